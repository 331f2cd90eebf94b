#!/bin/sh
# The dashboard's throughput is the rate now: while a loading file's progress advances the
# line shows readings/s "now" above zero, with the progress of what is queued and loading;
# once it stops advancing the rate falls to 0 at the next samples, not a minute later.
. "$MO_SRCDIR/tests/tui/common.sh"
db=$(tui_seed t_tui_throughput) || { echo "not ok 1 - seed"; exit 1; }
q() { sql "$1" -d t_tui_throughput; }
feeder=""
trap '[ -n "$feeder" ] && kill "$feeder" 2>/dev/null; tui_cleanup' EXIT
tui_start -- console --db "$db" --refresh 1
ok "$(tui_wait 'throughput [0-9,]+ readings/s'; echo $?)" "the throughput line is drawn"
ok "$(tui_wait 'throughput 0 readings/s now'; echo $?)" "nothing advancing: 0 readings/s now"
like "$(tui_line throughput)" "queue [0-9]+% of [0-9.]+ [KMG]?B, ETA " "with the progress of the queued and loading bytes"
# A loader's progress: file 7's progress_rows advances twice a second.
( while :; do q "UPDATE meterops.load_file SET progress_rows = progress_rows + 500 WHERE file_id = 7" >/dev/null; sleep 0.5; done ) &
feeder=$!
ok "$(tui_wait 'throughput [1-9][0-9,]* readings/s now'; echo $?)" "progress advancing: a rate above 0 now"
kill "$feeder"; feeder=""
ok "$(tui_wait 'throughput 0 readings/s now'; echo $?)" "progress stopped: back to 0 within a few samples"
tui_keys q
is "$(tui_exit_status 1)" 0 "clean exit"
done_testing
