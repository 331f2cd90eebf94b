#!/bin/sh
# At 80x24 on a terminal or locale that cannot show UTF-8 (TERM=vt100 with a UTF-8 locale,
# or LANG=C on any terminal), the console draws no byte >= 0x80 in any view, help or
# prompt, and still shows the key facts.
. "$MO_SRCDIR/tests/tui/common.sh"
db=$(tui_seed t_tui_glyphs) || { echo "not ok 1 - seed"; exit 1; }
# high_bytes: how many bytes >= 0x80 the screen holds (capture-pane, as the terminal shows it)
high_bytes() { tui_screen | LC_ALL=C tr -d '\000-\177' | wc -c | tr -d ' '; }
export TUI_W=80 TUI_H=24
n=0
for env in "TERM=vt100 LANG=C.UTF-8" "TERM=xterm LANG=C"; do
    term=${env%% *}; term=${term#TERM=}
    lang=${env##* }
    n=$((n + 1))
    TUI_TERM=$term tui_start "$lang" -- console --db "$db" --refresh 1
    ok "$(tui_wait 'queued 2 +loading 1 +loaded 2 +rejected 2 +failed 1'; echo $?)" "$env: the Files section's counts at 80x24"
    ok "$(tui_wait '#7 .*44%'; echo $?)" "$env: the loading file with its percentage"
    ok "$(tui_wait '^ Health '; echo $?)" "$env: the Health line"
    tui_settle >/dev/null
    is "$(high_bytes)" 0 "$env: the dashboard holds no byte >= 0x80"
    like "$(tui_line '^ Files ')" "^ Files -+" "$env: rules drawn with '-'"
    like "$(tui_screen | head -1)" " \* connected " "$env: the connected dot is '*'"
    tui_keys 2
    ok "$(tui_wait '^ Files  9'; echo $?)" "$env: the Files view"
    tui_settle >/dev/null
    is "$(high_bytes)" 0 "$env: the Files view holds no byte >= 0x80"
    like "$(tui_line 'elec-wide-0004')" " failed .* [0-9]+[smhd] ago " "$env: the Files view's times are relative (\"2h ago\")"
    tui_keys t
    ok "$(tui_wait 'times: absolute'; echo $?)" "$env: t switches to absolute times"
    like "$(tui_line 'elec-wide-0004')" " failed .* ([0-9]{2}:[0-9]{2}:[0-9]{2}|[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}) " "$env: the clock time of the same file"
    tui_keys t
    tui_wait 'times: relative' >/dev/null
    tui_keys Enter
    tui_settle >/dev/null
    is "$(high_bytes)" 0 "$env: a file's detail holds no byte >= 0x80"
    tui_keys 4
    tui_settle >/dev/null
    is "$(high_bytes)" 0 "$env: the Jobs view holds no byte >= 0x80"
    tui_keys '?'
    tui_wait '^ Keys in' >/dev/null
    is "$(high_bytes)" 0 "$env: the help holds no byte >= 0x80"
    tui_keys x q
    is "$(tui_exit_status $n)" 0 "$env: clean exit"
done
done_testing
