#!/bin/sh
# Fault: the postmaster killed with SIGKILL again and again while files load (20 rounds).
# Each round waits (bounded) for a file in progress, kills the postmaster, waits for its
# orphaned backends to go, and starts the server again (crash recovery); the loaders
# reconnect and retry their files from the start. Afterwards: every file loaded exactly
# once, no meter-day twice, and the sum of Wh is the generated data's known total.
. "$MO_SRCDIR/tests/fault/common.sh"
t=$(tmpdir)
trap 'kill $(cat "$t"/loader.* 2>/dev/null) 2>/dev/null; fault_cleanup' EXIT
fault_server || { echo "not ok 1 - a private server"; exit 1; }
db=$(fresh_db t_fault_kill)
q() { sql "$1" -d t_fault_kill; }
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q "INSERT INTO meterops.meter (mpxn, fuel) SELECT '50000000' || lpad(i::text, 2, '0'), 'gas' FROM generate_series(0, 99) i"
rounds=${FAULT_ROUNDS:-20} files=40
# File k: 10 meters (a fifth of the fleet, by k) x 1 day (day k): 480 readings, no
# meter-day in two files.
k=0
while [ $k -lt $files ]; do
    awk -v k=$k 'BEGIN { print "mpxn,timestamp,kwh"; m0 = (k % 10) * 10
        for (m = m0; m < m0 + 10; m++) for (s = 0; s < 48; s++)
            printf "50000000%02d,2024-%02d-%02dT%02d:%02d:00Z,%d.%03d\n", m, 1 + int(k / 28), 1 + k % 28,
                int(s / 2), (s % 2) * 30, (m + k) % 3, (m * 7 + s * 3 + k) % 1000 }' >"$t/f$k.csv"
    k=$((k + 1))
done
total=$(wh_total "$t"/f*.csv)
# Each file takes about a second (4 kB chunks, 100 ms after each).
export MO_LOAD_THROTTLE_MS=100 MO_LOAD_CHUNK_BYTES=4096
"$MO_BIN" load --db "$db" --quiet --jobs 2 --lease 5 "$t"/f*.csv >"$t/out.0" 2>&1 &
echo $! >"$t/loader.0"

# A loader is running (one-shot loaders end when their files are done or they gave up):
# start another on the queue when none is.
keep_loading() {
    for f in "$t"/loader.*; do kill -0 "$(cat "$f")" 2>/dev/null && return 0; done
    n=$(ls "$t"/loader.* | wc -l)
    "$MO_BIN" load --db "$db" --quiet --jobs 2 --lease 5 --queued >"$t/out.$n" 2>&1 &
    echo $! >"$t/loader.$n"
}

killed=0 during=0 r=0
while [ $r -lt $rounds ]; do
    r=$((r + 1))
    keep_loading
    # a file's COPY is under way on this server (its connection names the file, and
    # progress_rows may be left from the attempt before); bounded: after 25 s the server is killed anyway, and counted
    wait_for "SELECT count(*) > 0 FROM pg_stat_activity WHERE datname = 't_fault_kill'
              AND application_name ~ ' file [0-9]+$' AND state = 'active'" t 125 &&
        during=$((during + 1))
    [ -n "${FAULT_TRACE:-}" ] && echo "# round $r: in progress $(date +%s.%N | cut -c7-14)"
    pm=$(server_pid)
    kids=$(ps -o pid= --ppid "$pm" | tr -d ' ')
    kill -KILL "$pm" && killed=$((killed + 1))
    # the orphaned backends notice the postmaster's death and leave; only then may a new
    # postmaster take the data directory
    # shellcheck disable=SC2086
    wait_gone "$pm" $kids || { echo "# round $r: backends outlived the postmaster; killing them"; kill -KILL $kids 2>/dev/null; }
    [ -n "${FAULT_TRACE:-}" ] && echo "# round $r: orphans gone $(date +%s.%N | cut -c7-14)"
    server_start 2>"$t/start.err" || { echo "# round $r: the server did not start again:"
        sed 's/^/#   /' "$t/start.err"; tail -5 "$srv/server.log" | sed 's/^/#   /'
        kill $(cat "$t"/loader.*) 2>/dev/null; break; }
    [ -n "${FAULT_TRACE:-}" ] && echo "# round $r: started $(date +%s.%N | cut -c7-14)"
done
is "$killed $during" "$rounds $rounds" "the postmaster was killed $rounds times, each time while a file was loading"

# let the loaders finish; files a loader gave up on are claimed again once their lease ran out
i=0
while [ $i -lt 20 ] && [ "$killed" = "$rounds" ] && [ "$(q "SELECT count(*) FROM meterops.load_file WHERE status <> 'loaded'")" != 0 ]; do
    keep_loading
    for f in "$t"/loader.*; do wait "$(cat "$f")" 2>/dev/null; done
    i=$((i + 1))
done
echo "# loaders run: $(ls "$t"/loader.* | wc -l); attempts: $(q "SELECT string_agg(attempts::text, ' ' ORDER BY file_id) FROM meterops.load_file")"
is "$(q "SELECT count(*) || ' ' || count(*) FILTER (WHERE status = 'loaded') FROM meterops.load_file")" "$files $files" \
   "every file is loaded"
is "$(q "SELECT count(DISTINCT path) || ' ' || sum(rows_loaded) FROM meterops.load_file")" "$files $((files * 480))" \
   "each once, with all its rows"
is "$(q "SELECT count(*) || ' ' || count(DISTINCT (meter_id, day)) FROM meterops.reading_day")" "$((files * 10)) $((files * 10))" \
   "no meter-day twice"
is "$(q "SELECT count(x) || ' ' || sum(x) FROM meterops.reading_day, unnest(wh) x")" "$((files * 480)) $total" \
   "every reading once: the sum of Wh is the generated total"
is "$(q "SELECT count(*) FROM meterops.load_error")" 0 "no rejected row"
[ -n "${FAULT_TRACE:-}" ] && grep -h ': failed' "$t"/out.* | sed 's/^/# /' 
done_testing
