#!/bin/sh
# The `:` command line: GNU readline inside the console, with completion from the command
# table, a history file under XDG_STATE_HOME, and the commands themselves; `?` help.
. "$MO_SRCDIR/tests/tui/common.sh"
db=$(tui_seed t_tui_cmdline) || { echo "not ok 1 - seed"; exit 1; }
q() { sql "$1" -d t_tui_cmdline; }
bottom() { tui_screen | tail -1; }
hist="$TUI_TMP/state/meterops/history"

# 60 lines: the whole help screen fits.
TUI_H=60 tui_start -- console --db "$db"
tui_wait "connected" >/dev/null
tui_keys :
ok "$(tui_wait '^:$'; echo $?)" ": opens the prompt on the bottom line"
tui_type "th"
tui_keys Tab
tui_type "hi"
ok "$(tui_wait '^:theme hi$'; echo $?)" "Tab completes a command name and adds a space"
tui_keys Tab
ok "$(tui_wait '^:theme high-contrast$'; echo $?)" "Tab completes a theme name from the theme files"
tui_keys Enter
ok "$(tui_wait 'theme high-contrast  refresh 2s'; echo $?)" ":theme switches the theme"
tui_keys :
tui_type "re"
tui_keys Tab Tab
ok "$(tui_wait '^ refresh  requeue$'; echo $?)" "Tab twice lists the candidates in the status line"
tui_keys C-u
tui_type "requeue status=re"
tui_keys Tab
ok "$(tui_wait '^:requeue status=rejected$'; echo $?)" "Tab completes status values"
tui_keys C-u
tui_type "requeue j"
tui_keys Tab
tui_type "2"
ok "$(tui_wait '^:requeue job=2$'; echo $?)" "job= completes without a space after it"
tui_keys C-u
tui_type "view jo"
tui_keys Tab Enter
ok "$(tui_wait '^ Load jobs  3'; echo $?)" ":view jobs (completed) shows the Jobs view"
like "$(tui_screen)" "^ +3 running +loader-b:4242 +3 +3 +0 +0 +0 +0 .*load --daemon" "the jobs are listed with status, host, pid, file counts and arguments"
like "$(tui_line '^ +2 done ')" "^ +2 done +loader-a:4711 +5 +0 +2 +2 +1 " "job 2's files by status: 5 files, 2 loaded, 2 rejected, 1 failed"
tui_keys Down Enter
ok "$(tui_wait 'filter: job=2'; echo $?)" "Enter on a job lists its files"
tui_wait '^ Files  5' >/dev/null
like "$(tui_screen)" "^ Files  5" "the job's five files"

tui_keys :
tui_type "filter status=failed"
tui_keys Enter
ok "$(tui_wait 'filter: status=failed$'; echo $?)" ":filter status=failed"
tui_wait '^ Files  1' >/dev/null
like "$(tui_screen)" "^ +5 +2 failed " "only the failed file"
tui_keys :
tui_type "filter"
tui_keys Enter
ok "$(tui_wait '^ Files  9'; echo $?)" ":filter with no argument clears it"
tui_keys :
tui_type "frobnicate now"
tui_keys Enter
ok "$(tui_wait "unknown command 'frobnicate' \(:help lists them; Tab completes\)"; echo $?)" "an unknown command is named"
tui_keys :
tui_type "refresh 5"
tui_keys Enter
ok "$(tui_wait 'refresh 5s$'; echo $?)" ":refresh 5 sets the interval"
tui_keys :
tui_type "help requeue"
tui_keys Enter
ok "$(tui_wait '^ :requeue \[ID\.\.\.\] \[status=S\[,S\]\] \[job=N\] \[path=TEXT\]'; echo $?)" ":help COMMAND shows its usage"
tui_keys :
tui_type "help"
tui_keys Enter
ok "$(tui_wait '^ Commands \(: then the name; Tab completes; history in '; echo $?)" ":help shows the commands..."
like "$(tui_screen)" "^   :requeue \[ID\.\.\.\]" "...from the command table"
like "$(tui_screen)" "^ Keys in Files" "...and the keys of the current view"
tui_keys x
tui_wait_gone '^ Keys in' >/dev/null
tui_keys 3
tui_keys '?'
ok "$(tui_wait '^ Keys in File'; echo $?)" "? shows the current view's keys"
like "$(tui_screen)" "^   / +search the errors" "the File view's own keys are in it"
tui_keys Escape
tui_wait_gone '^ Keys in' >/dev/null
# Ctrl-C and Esc cancel a prompt, not the console.
tui_keys :
tui_type "quit"
tui_keys C-c
ok "$(tui_wait_gone '^:quit'; echo $?)" "Ctrl-C cancels the prompt"
tui_keys :
tui_type "quit"
tui_keys Escape
tui_wait_gone '^:quit' >/dev/null
like "$(tui_screen)" "connected" "the console is still there"
ok "$(grep -qx 'theme high-contrast' "$hist"; echo $?)" "the history file (XDG_STATE_HOME/meterops/history) has the commands"
ok "$(grep -qx 'quit' "$hist"; [ $? = 1 ]; echo $?)" "a cancelled line is not in the history"
tui_keys :
tui_type "quit"
tui_keys Enter
is "$(tui_exit_status 1)" 0 ":quit leaves with status 0";

# A new console recalls the last session's commands with Up.
tui_start -- console --db "$db"
tui_wait "connected" >/dev/null
tui_keys : Up
ok "$(tui_wait '^:quit$'; echo $?)" "Up recalls the previous session's last command"
tui_keys Up
ok "$(tui_wait '^:help$'; echo $?)" "and the one before it"
tui_keys Escape
tui_keys q
is "$(tui_exit_status 2)" 0 "clean exit"

# A theme of one's own in $XDG_CONFIG_HOME/meterops/themes: found by --theme, :theme and Tab.
mkdir -p "$TUI_TMP/config/meterops/themes"
printf 'normal = default default\nerror = magenta default bold\n' >"$TUI_TMP/config/meterops/themes/night-shift.theme"
printf 'normal = default default\nwarn = puce default\n' >"$TUI_TMP/config/meterops/themes/broken.theme"
TUI_W=160 tui_start XDG_CONFIG_HOME="$TUI_TMP/config" -- console --db "$db" --theme night-shift
tui_wait "connected" >/dev/null
like "$(tui_screen | tail -1)" "theme night-shift" "--theme finds a theme in XDG_CONFIG_HOME/meterops/themes"
tui_keys :
tui_type "theme ni"
tui_keys Tab
ok "$(tui_wait '^:theme night-shift$'; echo $?)" "Tab completes it too"
tui_keys C-u
tui_type "theme broken"
tui_keys Enter
ok "$(tui_wait "theme: .*/broken\.theme:2:8: unknown colour 'puce' \[theme_colour\]"; echo $?)" \
   ":theme with a broken file names the file, line and column"
like "$(tui_screen | tail -1)" "theme night-shift" "and keeps the theme in use"
tui_keys q
is "$(tui_exit_status 3)" 0 "clean exit"
is "$(tui_stderr)" "" "the consoles wrote nothing to stderr"
done_testing
