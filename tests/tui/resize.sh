#!/bin/sh
# Live resizing: down to 80x24 and back, every frame whole (header first, status and
# command lines last, nothing wider than the terminal), in every view.
. "$MO_SRCDIR/tests/tui/common.sh"
db=$(tui_seed t_tui_resize) || { echo "not ok 1 - seed"; exit 1; }
counts="queued 2 +loading 1 +loaded 2 +rejected 2 +failed 1"
lines() { tui_screen | wc -l | tr -d ' '; }
widest() { tui_screen | PYTHONIOENCODING=utf-8 python3 -c 'import sys; print(max(len(l.rstrip("\n")) for l in sys.stdin))'; }
resize() { tmx resize-window -t 0 -x "$1" -y "$2"; }
# whole W H: the frame fills the terminal: header on the first line, clock at its end,
# the view's key hints on the status line, the theme on the last line.
whole() {
    _s=$(tui_screen)
    printf '%s\n' "$_s" | head -1 | grep -Eq '^ meterops  1 Dashboard  2 Files  3 File  4 Jobs .* [0-9]{2}:[0-9]{2}:[0-9]{2}$' || { echo "header: $(printf '%s\n' "$_s" | head -1)"; return 1; }
    printf '%s\n' "$_s" | sed -n "$(($2 - 1))p" | grep -Eq '(\? help|^ [a-z])' || { echo "status line: $(printf '%s\n' "$_s" | sed -n "$(($2 - 1))p")"; return 1; }
    printf '%s\n' "$_s" | sed -n "${2}p" | grep -Eq '^ theme default  refresh 2s$' || { echo "bottom: $(printf '%s\n' "$_s" | sed -n "${2}p")"; return 1; }
    return 0
}
# The bottom line is drawn, and then nothing more changes: the frame is complete.
settled() { tui_wait "^ theme default" >/dev/null && tui_settle; }

tui_start -- console --db "$db"
tui_wait "$counts" >/dev/null
is "$(lines)x$(widest)" "30x100" "starts at 100x30"
is "$(whole 100 30)" "" "the 100x30 frame is whole"

resize 80 24
tui_wait_gone "^ Files ─{60}" >/dev/null
settled
is "$(lines)" 24 "resized to 24 lines"
ok "$([ "$(widest)" -le 80 ]; echo $?)" "no line wider than 80 columns"
is "$(whole 80 24)" "" "the 80x24 frame is whole"
like "$(tui_screen)" "$counts" "the dashboard still shows the counts"
like "$(tui_line '^ Files ')" "^ Files ─+ queue now, finished in the last 24 h$" "the section rule is redrawn to the new width"

for v in 2 3 4; do
    tui_keys $v
    settled
    is "$(whole 80 24)" "" "view $v at 80x24 is whole"
done
tui_keys 2
tui_wait '^ Files  9' >/dev/null
is "$(tui_screen | grep -cE '^ +[0-9]+ +[0-9-]+ +(queued|loading|loaded|rejected|failed) ')" 9 "all nine files fit at 80x24"
like "$(tui_line '^ +4 +2 rejected')" "elec-long-0003\.csv$" "a path keeps its file name when cut to fit"
tui_keys Enter
tui_wait '^ File #' >/dev/null

resize 100 30
tui_wait "^ theme default" >/dev/null
settled
is "$(lines)x$(widest)" "30x100" "back to 100x30"
is "$(whole 100 30)" "" "the 100x30 frame is whole again"
like "$(tui_screen)" "^ File #9  queued" "the view and its selection survived both resizes"

resize 30 8
settled
like "$(tui_screen)" "terminal too small" "a terminal below 40x10 says so instead of drawing a broken frame"
resize 80 24
settled
tui_keys 1
settled
is "$(whole 80 24)" "" "and recovers when it grows again"
like "$(tui_screen)" "$counts" "with its data"
tui_keys q
is "$(tui_exit_status 1)" 0 "clean exit after resizing"
is "$(tui_stderr)" "" "the consoles wrote nothing to stderr"
done_testing
