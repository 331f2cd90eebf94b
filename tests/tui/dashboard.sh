#!/bin/sh
# The dashboard shows what the database holds, on every terminal type the on-call engineer
# may have, in colour or not, with UTF-8 line drawing or ASCII.
. "$MO_SRCDIR/tests/tui/common.sh"
db=$(tui_seed t_tui_dash) || { echo "not ok 1 - seed"; exit 1; }
q() { sql "$1" -d t_tui_dash; }

counts=$(q "SELECT format('queued %s +loading %s +loaded %s +rejected %s +failed %s',
              count(*) FILTER (WHERE status = 'queued'), count(*) FILTER (WHERE status = 'loading'),
              count(*) FILTER (WHERE status = 'loaded' AND finished_at > now() - interval '1 day'),
              count(*) FILTER (WHERE status = 'rejected' AND finished_at > now() - interval '1 day'),
              count(*) FILTER (WHERE status = 'failed' AND finished_at > now() - interval '1 day'))
            FROM meterops.load_file")
is "$counts" "queued 2 +loading 1 +loaded 2 +rejected 2 +failed 1" "the seed holds every state (one loaded file is older than 24 h)"
today="(now() AT TIME ZONE 'UTC')::date"
meters=$(q "SELECT format('total %s +elec %s +gas %s +reporting today %s +silent %s', count(*),
              count(*) FILTER (WHERE fuel = 'elec'), count(*) FILTER (WHERE fuel = 'gas'),
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM meterops.reading_day r
                                             WHERE r.meter_id = m.meter_id AND r.day = $today)),
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM meterops.reading_day r
                                                 WHERE r.meter_id = m.meter_id AND r.day >= $today - 3)))
            FROM meterops.meter m")
is "$meters" "total 8 +elec 6 +gas 2 +reporting today 5 +silent 2" "the seed's registry: five reported today, two silent"
# The loading file's total is estimated from its size and the bytes per row of finished
# long-format files: 2,016,000 bytes at 613,250 bytes / 14,600 rows.
estimate=$(q "SELECT to_char(round(2016000 / (sum(bytes)::numeric / sum(rows_total))), 'FM999,999,999')
              FROM meterops.load_file WHERE format = 'long' AND status IN ('loaded', 'rejected') AND rows_total > 0")
is "$estimate" "47,996" "estimated rows of the loading file"

tui_start -- console --db "$db" --refresh 1
ok "$(tui_wait "$counts"; echo $?)" "dashboard shows the file counts the database holds: $counts"
ok "$(tui_wait "$meters"; echo $?)" "dashboard shows the meter counts: $meters"
like "$(tui_line '#7 ')" "elec-long-0007\.csv .*44% 21,000/~$estimate rows" "the loading file has its progress bar, percentage and estimated total"
like "$(tui_screen)" "throughput [0-9,]+ readings/s" "throughput is shown"
like "$(tui_screen)" "connections [0-9]+/100 +cache hit [0-9.]+%" "the health line shows connections and cache hit ratio"
like "$(tui_screen)" "Health +CRITICAL" "the failed file makes the health critical, as meterops status would exit 2"
like "$(tui_screen)" "WARNING +2 file\(s\) rejected in the last 24 h" "the rejected files are a warning"
ok "$(tui_wait '─'; echo $?)" "UTF-8 locale: line drawing characters"
is "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'meterops console' AND datname = 't_tui_dash'")" 1 \
   "the console's connection is named 'meterops console'"
tui_keys q
is "$(tui_exit_status 1)" 0 "q quits with status 0"


# Each TERM an on-call engineer may come in with draws the same facts.
n=1
for term in xterm screen tmux-256color vt100; do
    n=$((n + 1))
    TUI_TERM=$term tui_start -- console --db "$db"
    ok "$(tui_wait "$counts"; echo $?)" "TERM=$term: the dashboard's counts"
    tui_keys q
    is "$(tui_exit_status $n)" 0 "TERM=$term: clean exit"
done
TUI_TERM=vt100 tui_start -- console --db "$db"
n=$((n + 1))
tui_wait "$counts" >/dev/null
like "$(tui_screen)" "this terminal has no colours: using mono" "vt100 has no colour: the console says it uses mono"
like "$(tui_screen)" "theme mono" "vt100: mono theme in use"
tui_keys q
tui_exit_status $n >/dev/null

tui_start NO_COLOR=1 -- console --db "$db" --theme dark
n=$((n + 1))
tui_wait "$counts" >/dev/null
like "$(tui_screen)" "NO_COLOR is set: using mono" "NO_COLOR: mono whatever --theme asks"
like "$(tui_screen)" "theme mono" "NO_COLOR: the mono theme is the one in use"
tui_keys q
tui_exit_status $n >/dev/null

tui_start -- console --db "$db" --theme light
n=$((n + 1))
tui_wait "$counts" >/dev/null
like "$(tui_screen)" "theme light" "--theme light is used"
tui_keys q
tui_exit_status $n >/dev/null

tui_start -- console --db "$db" --theme nosuch
n=$((n + 1))
tui_wait "$counts" >/dev/null
like "$(tui_screen)" "theme: using the built-in default; no theme 'nosuch'" "an unknown --theme is reported, and the console still runs"
tui_keys q
tui_exit_status $n >/dev/null

# A locale without UTF-8: ASCII drawing.
tui_start LANG=C -- console --db "$db"
n=$((n + 1))
tui_wait "$counts" >/dev/null
like "$(tui_line '^ Files ')" "^ Files -{20}" "LANG=C: section rules drawn with '-'"
like "$(tui_line '#7 ')" "\.\.\.ox/2024-06-02/elec-long-0007\.csv #+\.+ +44%" "LANG=C: the progress bar is ASCII"
ok "$(tui_screen | grep -c '─' | grep -qx 0; echo $?)" "LANG=C: no UTF-8 line drawing at all"
tui_keys q
tui_exit_status $n >/dev/null

# --iterations N draws N refreshes and exits by itself. vt100 has no alternate screen, so
# the last frame stays on the terminal to be read.
TUI_TERM=vt100 tui_start -- console --db "$db" --iterations 2 --refresh 1
n=$((n + 1))
is "$(tui_exit_status $n 20)" 0 "--iterations 2 exits 0 without a key"
like "$(tui_screen)" "$counts" "the frame it drew holds the counts"

# `meterops` with no command is the console.
tui_start -- --db "$db"
n=$((n + 1))
ok "$(tui_wait "$counts"; echo $?)" "meterops with no command opens the console"
tui_keys q
is "$(tui_exit_status $n)" 0 "and quits cleanly"

# A COPY in flight (pg_stat_progress_copy) shows on the dashboard as it runs: here one fed
# two rows and then held open.
q "CREATE TABLE t_copy_target (x int)" >/dev/null
tui_start -- console --db "$db" --refresh 1
n=$((n + 1))
# The writer end is opened only now: the tmux server started above must not inherit it,
# or the COPY would never see its end.
fifo="$TUI_TMP/copy.fifo"
mkfifo "$fifo"
PGAPPNAME=t_copier psql -X -q -d t_tui_dash -c "COPY t_copy_target FROM STDIN" <"$fifo" >/dev/null 2>&1 &
copier=$!
exec 7>"$fifo"
# psql sends COPY data in 8 kB pieces: feed enough rows for it to send, then wait until
# the server has taken what arrived (the count stops moving).
copied() {
    _prev=-1
    _i=0
    while [ $_i -lt 100 ]; do
        _now=$(q "SELECT coalesce(max(tuples_processed), 0) FROM pg_stat_progress_copy WHERE relid = 't_copy_target'::regclass")
        [ "$_now" -gt 0 ] && [ "$_now" = "$_prev" ] && break
        _prev=$_now
        sleep 0.3
        _i=$((_i + 1))
    done
    echo "$_now"
}
commas() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; } # 123456 -> 123,456
seq 1 100000 >&7
first=$(copied)
ok "$(tui_wait "COPY pid [0-9]+ → t_copy_target $(commas "$first") tuples [0-9.]+ [kM]B +t_copier"; echo $?)" \
   "the COPY in flight: its backend, target table, tuples ($first) and bytes so far, and its session"
seq 100001 200000 >&7
second=$(copied)
ok "$([ "$second" -gt "$first" ]; echo $?)" "(the COPY moved on: $second rows)"
ok "$(tui_wait "COPY pid [0-9]+ → t_copy_target $(commas "$second") tuples"; echo $?)" "and the dashboard follows its progress"
exec 7>&-
wait $copier
ok "$(tui_wait_gone 'COPY pid'; echo $?)" "gone once the COPY finished"
is "$(q "SELECT count(*) FROM t_copy_target")" 200000 "(the COPY loaded all its rows)"

# Nothing changes but the clock: only the clock's cells are sent, no clear, no repaint.
tui_keys :
tui_type "refresh 3600"
tui_keys Enter
tui_wait 'refresh 3600s' >/dev/null
# A full second passes before listening, so that the command's own repaint is over.
tui_ticks 2
tmx pipe-pane -t 0 -o "cat >> '$TUI_TMP/idle.out'"
tui_ticks 3
tmx pipe-pane -t 0
bytes=$(wc -c <"$TUI_TMP/idle.out" | tr -d ' ')
ok "$([ "$bytes" -gt 0 ] && [ "$bytes" -lt 400 ]; echo $?)" "an idle console sends only the clock's changes: $bytes bytes in three seconds"
ok "$(grep -q "$(printf '\033')\[2J" "$TUI_TMP/idle.out"; [ $? = 1 ]; echo $?)" "and never clears the screen"
tui_keys q
is "$(tui_exit_status $n)" 0 "clean exit"

# At 80 columns the Database line wraps when its section has two lines, and takes shorter
# labels when it has one (a short terminal): either way its end (the size) is not cut off.
for h in 24 20; do
    TUI_W=80 TUI_H=$h tui_start -- console --db "$db" --refresh 1
    n=$((n + 1))
    tui_wait 'size [0-9.]+ ?[kMG]?B' 5; rc=$?
    ok $rc "80x$h: the whole Database line is shown, the size included"
    [ $rc = 0 ] || tui_screen | sed 's/^/# /'
    tui_keys q
    is "$(tui_exit_status $n)" 0 "and quits cleanly"
done
is "$(tui_stderr)" "" "the consoles wrote nothing to stderr"
done_testing
