#!/bin/sh
# bench/console-scale.sh [build [DIR] | run [DIR]] - the console and `meterops status` at
# national scale (issue 9): a database of 3.5M meters, 24 monthly reading_day partitions,
# 100k load_file rows and a file with 5M rejected rows, built once and measured many times.
#
#   bench/console-scale.sh build [DIR]   makes the database in DIR (default /work/benchdb):
#                                        a private server (scripts/pg-sandbox) in DIR/pg, the
#                                        schema (`meterops db migrate`), registry, readings,
#                                        files; log in DIR/build.log; ~30-40 min on 2 cores.
#                                        Refuses to run again on a DIR that holds a database.
#   bench/console-scale.sh [run [DIR]]   starts the server on DIR if it is not running,
#                                        applies a newer schema (`db migrate`), then measures
#                                        each console/status query (p50, p95 of N runs with
#                                        pgbench; whether its plan reads reading_day),
#                                        `status --json` wall time (free and with load_file
#                                        locked), the dashboard's first full paint and the
#                                        opening of a file's detail, against their targets
#                                        and a floor (SELECT 1 round trip), and writes the
#                                        section "Console at national scale" of
#                                        bench/RESULTS.md (LABEL=before|after names the run).
#   bench/console-scale.sh stop [DIR]    stops DIR's server (its data stays).
#
# What `build` makes (dates relative to the day it runs; exact counts are kept in
# bench.info in the database and printed by `run`):
#   - registry: 3,500,000 meters (2,500,000 elec, 1,000,000 gas; every 50th removed in the
#     previous month; every 997th active meter silent this month), 2,500,000 customers, the
#     tariffs of `meterops gen`; plus the few meters of the small files loaded normally;
#   - reading_day: 24 monthly partitions ending with the current month; the current month
#     to yesterday and the previous month at every meter (one row per meter per day, 48
#     int4, flags NULL but in 1 row of 211), PREV_DAYS (default: the whole month; fewer when
#     the measured insert rate or the free disk says it would not fit, printed) of the
#     previous month's last days; the 22 older months 1 day each (the 15th) for every 10th
#     meter;
#   - 100,000 load_file rows made by SQL over 30 days (one per synthesized national day,
#     the rest loaded/rejected/failed/queued/loading files of 5,000 jobs) with a few
#     load_error rows per rejected file;
#   - through the real loader: the registry feeds and small long and wide files of
#     `meterops gen` (so whatever the loader keeps per file and format exists), and one long
#     file of 5,000,000 readings of meters that are not in the registry, loaded with
#     --max-reject-ratio 1.0 (every row rejected, the whole file read);
#   - meterops.meter_seen_rebuild(from, to) over the last 40 days when the schema has it.
#
# Environment: MO_BIN (default build/meterops), N (runs per query, 30), PREV_DAYS (build),
# PAINTS (console launches, 3), OPENS (opens of each file, 5), STATUS_RUNS (10),
# LABEL (run: "before" or "after", default "after"; RESULTS.md keeps one block per label).
set -eu
srcdir=$(cd "$(dirname "$0")/.." && pwd)
bin=${MO_BIN:-$srcdir/build/meterops}
action=${1:-run}
meters=${METERS:-3500000}          # METERS: a smaller database to try the script on
elec=$((meters * 5 / 7))
dir=${2:-/work/benchdb}
[ -x "$bin" ] || { echo "bench/console-scale.sh: build meterops first ($bin)" >&2; exit 2; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
chmod 755 "$dir"
sandbox="$srcdir/scripts/pg-sandbox"
export PGHOST="$dir/pg" PGPORT=5432 PGUSER=postgres PGDATABASE=meterops
unset PGSERVICE PGOPTIONS
db="host=$dir/pg port=5432 user=postgres dbname=meterops"

p() { psql -X -q -v ON_ERROR_STOP=1 -tA -c "$1"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
say() { echo "$(date -u +%H:%M:%S) $*"; }
freegb() { df -Pk "$dir" | awk 'NR == 2 { printf "%.1f", $4 / 1048576 }'; }

# ---------------------------------------------------------------------------------------
build() {
    [ -f "$dir/pg/data/PG_VERSION" ] && { echo "bench/console-scale.sh: $dir already holds a database (remove $dir/pg to build again)" >&2; exit 2; }
    t_start=$(now)
    say "build in $dir; free disk ${free0:=$(freegb)} GB"
    "$sandbox" start "$dir/pg" >/dev/null
    # Bulk-building only: with wal_level minimal, rows written into a relation made in the
    # same transaction (the TRUNCATE below) skip the WAL; reset at the end.
    p "ALTER SYSTEM SET wal_level = minimal"; p "ALTER SYSTEM SET max_wal_senders = 0"
    "$sandbox" stop "$dir/pg"; "$sandbox" start "$dir/pg" >/dev/null
    "$bin" db migrate --db "$db" >/dev/null
    p "CREATE SCHEMA IF NOT EXISTS bench;
       CREATE TABLE bench.info (k text PRIMARY KEY, v text NOT NULL);
       CREATE TABLE bench.day_file (day date PRIMARY KEY, file_id bigint NOT NULL);"
    info() { p "INSERT INTO bench.info VALUES ('$1', '$2') ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v"; }

    # Small files through the real loader: registry feeds (the tariffs are gen's), a long
    # and a wide readings file of yesterday and the day before.
    yday=$(p "SELECT (current_date - 1)::text"); y2=$(p "SELECT (current_date - 2)::text")
    feeds="$dir/feeds"; rm -rf "$feeds"; mkdir -p "$feeds"
    "$bin" gen --meters 2000 --days 2 --start "$y2" --seed 1 --quiet --out "$feeds/long" >/dev/null
    "$bin" gen --meters 1000 --days 1 --start "$yday" --seed 2 --format wide --quiet --out "$feeds/wide" >/dev/null
    chmod -R a+rX "$feeds"
    for d in long wide; do
        for f in customers tariffs meters bills; do
            "$bin" load --quiet --db "$db" "$feeds/$d/$f.csv" >/dev/null || { echo "bench: $d/$f.csv did not load" >&2; exit 1; }
        done
    done
    say "registry feeds loaded: $(p "SELECT count(*) FROM meterops.meter") meters"

    # The national registry by SQL, after gen's meters: 3,500,000 meters in all.
    p "SELECT setseed(0.9);
       INSERT INTO meterops.customer (account_no, name, postcode, email, phone)
       SELECT 'N-' || lpad(i::text, 8, '0'),
              (ARRAY['Olivia','Amelia','Isla','Ava','Noah','Oliver','George','Arthur','Muhammad','Leo','Harry','Rhys','Charlie','Freya','Mia'])[1 + i % 15]
                || ' ' ||
              (ARRAY['Smith','Jones','Taylor','Brown','Williams','Wilson','Johnson','Davies','Patel','Robinson','Wright','Thompson','Evans','Walker','White','Ward','Khan'])[1 + (i / 15) % 17]
                || CASE WHEN i % 7 = 0 THEN '-' || (i % 997) ELSE '' END,
              (ARRAY['HU5','CF10','LS6','M14','B29','G12','EH9','NE4','BS7','SW1A','E17','N1','L18','NG7','S10'])[1 + i % 15]
                || ' ' || (i % 10) || chr(65 + i % 26) || chr(65 + (i / 26) % 26),
              'cust' || i || '@example.org', '07700 ' || lpad((i % 1000000)::text, 6, '0')
       FROM generate_series(1, $elec) i"
    say "customers: $(p "SELECT count(*) FROM meterops.customer")"
    have=$(p "SELECT count(*) FROM meterops.meter")
    p "WITH t AS (SELECT fuel, array_agg(tariff_id ORDER BY tariff_id) a FROM meterops.tariff GROUP BY fuel)
       INSERT INTO meterops.meter (mpxn, fuel, interval_minutes, customer_id, tariff_id, installed_on, removed_on)
       SELECT CASE WHEN i <= $elec THEN '99' || lpad(i::text, 11, '0') ELSE '9' || lpad(i::text, 9, '0') END,
              t.fuel, 30, c.customer_id, t.a[1 + i % cardinality(t.a)],
              date '2019-01-01' + (i % 2000),
              CASE WHEN i % 50 = 0 THEN (date_trunc('month', current_date) - interval '20 days')::date END
       FROM generate_series(1, $meters - $have) i
       JOIN t ON t.fuel = CASE WHEN i <= $elec THEN 'elec' ELSE 'gas' END
       JOIN meterops.customer c ON c.account_no = 'N-' || lpad((CASE WHEN i <= $elec THEN i ELSE i - $elec END)::text, 8, '0')"
    p "VACUUM ANALYZE meterops.customer"; p "VACUUM ANALYZE meterops.meter"
    maxid=$(p "SELECT max(meter_id) FROM meterops.meter")
    info meters "$(p "SELECT count(*) FROM meterops.meter")"
    info meters_by_fuel "$(p "SELECT string_agg(fuel || ' ' || n, ', ' ORDER BY fuel) FROM (SELECT fuel, count(*) n FROM meterops.meter GROUP BY fuel) x")"
    info meters_removed "$(p "SELECT count(*) FROM meterops.meter WHERE removed_on IS NOT NULL")"
    info customers "$(p "SELECT count(*) FROM meterops.customer")"
    say "meters: $(p "SELECT count(*) FROM meterops.meter") (max id $maxid); free disk $(freegb) GB"

    # Partitions: the 24 months ending with this one.
    cur=$(p "SELECT date_trunc('month', current_date)::date")
    prev=$(p "SELECT (date_trunc('month', current_date) - interval '1 month')::date")
    first=$(p "SELECT (date_trunc('month', current_date) - interval '23 months')::date")
    p "SELECT meterops.ensure_reading_partitions('$first', (date_trunc('month', current_date) + interval '1 month - 1 day')::date)" >/dev/null

    # Jobs and files: one national file per synthesized day, the rest spread over 30 days.
    p "SELECT setseed(0.42);
       INSERT INTO meterops.load_job (started_at, finished_at, host, pid, args, status)
       SELECT ts, ts + interval '20 minutes', 'loader-' || (1 + j % 3), 10000 + j,
              'load --jobs 2 /srv/meterops/inbox/' || to_char(ts, 'YYYY-MM-DD') || '/*.csv', 'done'
       FROM generate_series(1, 5000) j, LATERAL (SELECT now() - interval '30 days' * (j / 5000.0) AS ts) x"
    p "CREATE TEMP TABLE days AS
         SELECT d::date AS day FROM generate_series('$first'::date, current_date - 1, '1 day') d
         WHERE d >= '$cur' OR d >= '$prev' OR extract(day FROM d) = 15;
       INSERT INTO meterops.load_file (job_id, path, sha256, bytes, format, status, rows_total,
           rows_loaded, readings_loaded, progress_rows, queued_at, started_at, finished_at,
           claimed_by, attempts, stage)
       SELECT NULL, '/srv/meterops/inbox/national/' || to_char(day, 'YYYY-MM-DD') || '.csv',
              encode(sha256(convert_to('national' || day, 'UTF8')), 'hex'), 13000000000, 'wide',
              'loaded', 3500000, 3500000, 168000000, 3500000, day + interval '26 hours',
              day + interval '26 hours 1 minute', day + interval '26 hours 3 minutes', 'loader-1:9999', 1, 1
       FROM days ORDER BY day;
       INSERT INTO bench.day_file SELECT (regexp_match(path, '(\d{4}-\d\d-\d\d)'))[1]::date, file_id
       FROM meterops.load_file WHERE path LIKE '/srv/meterops/inbox/national/%';"
    nat=$(p "SELECT count(*) FROM bench.day_file")
    p "SELECT setseed(0.43);
       CREATE TEMP TABLE f AS
       SELECT i, q, j, fmt, st,
              CASE fmt WHEN 'long' THEN 2000 + (i * 7919) % 200000 WHEN 'wide' THEN 500 + (i * 7919) % 20000
                       WHEN 'lcl' THEN 48 + (i * 31) % 5000 WHEN 'esb-hdf' THEN 48 + (i * 31) % 3000 ELSE 100 + i % 900 END AS rows
       FROM (SELECT i, q, 1 + floor(5000 * (1 - extract(epoch FROM now() - q) / (30 * 86400)))::int AS j,
                    (ARRAY['long','long','long','long','wide','wide','wide','lcl','esb-hdf','meters','customers','bills','tariffs'])[1 + i % 13] AS fmt,
                    CASE WHEN i <= 20 THEN 'queued' WHEN i <= 22 THEN 'loading'
                         WHEN i % 67 = 0 THEN 'rejected' WHEN i % 101 = 0 THEN 'failed' ELSE 'loaded' END AS st
             FROM (SELECT i, CASE WHEN i <= 22 THEN now() - interval '1 minute' * i
                                  ELSE now() - interval '30 days' * random() END AS q
                   FROM generate_series(1, 100000 - $nat) i) a) b;
       UPDATE f SET j = least(greatest(j, 1), 5000);
       INSERT INTO meterops.load_file (job_id, path, sha256, bytes, format, status, rows_total,
           rows_loaded, rows_rejected, readings_loaded, progress_rows, message, queued_at,
           started_at, finished_at, lease_until, claimed_by, attempts, stage)
       SELECT j, '/srv/meterops/inbox/' || to_char(q, 'YYYY-MM-DD') || '/supplier-' || (i % 40) || '/'
                 || CASE WHEN fmt IN ('long', 'wide') THEN (CASE i % 2 WHEN 0 THEN 'elec' ELSE 'gas' END) || '-' || fmt ELSE fmt END
                 || '-' || lpad(i::text, 6, '0') || '.csv',
              encode(sha256(convert_to('file' || i, 'UTF8')), 'hex'), rows * 42, fmt, st,
              CASE WHEN st IN ('loaded', 'rejected') THEN rows ELSE 0 END,
              CASE WHEN st = 'loaded' THEN rows - (i % 3) ELSE 0 END,
              CASE WHEN st = 'loaded' THEN i % 3 WHEN st = 'rejected' THEN 1 + rows / 20 ELSE 0 END,
              CASE WHEN st = 'loaded' AND fmt IN ('long', 'lcl', 'esb-hdf') THEN rows - (i % 3)
                   WHEN st = 'loaded' AND fmt = 'wide' THEN (rows - (i % 3)) * 48 ELSE 0 END,
              CASE WHEN st IN ('loaded', 'rejected') THEN rows WHEN st = 'loading' THEN rows / 3 ELSE 0 END,
              CASE st WHEN 'rejected' THEN (1 + rows / 20) || ' of ' || rows || ' rows rejected (' || round(100.0 * (1 + rows / 20) / rows, 2) || '% > 1.00%); nothing loaded'
                      WHEN 'failed' THEN 'could not read /srv/meterops/inbox/file-' || i || '.csv: Permission denied'
                      WHEN 'loaded' THEN CASE WHEN i % 3 > 0 THEN (i % 3) || ' of ' || rows || ' rows rejected' END END,
              q,
              CASE WHEN st <> 'queued' THEN q + interval '3 seconds' END,
              CASE WHEN st IN ('loaded', 'rejected', 'failed') THEN q + interval '3 seconds' + interval '1 ms' * rows / 5 END,
              CASE WHEN st = 'loading' THEN now() + interval '40 seconds' END,
              CASE WHEN st <> 'queued' THEN 'loader-' || (1 + j % 3) || ':' || (10000 + j) END,
              CASE WHEN st = 'queued' THEN 0 WHEN st = 'failed' THEN 3 ELSE 1 END,
              CASE WHEN fmt IN ('customers', 'tariffs') THEN 0 WHEN fmt IN ('meters', 'bills') THEN 1 ELSE 2 END
       FROM f ORDER BY q;
       INSERT INTO meterops.load_error (file_id, line_no, column_name, code, message, raw)
       SELECT file_id, 2 + k * 37, CASE k % 2 WHEN 0 THEN 'mpxn' ELSE 'kwh' END,
              CASE k % 2 WHEN 0 THEN 'unknown_meter' ELSE 'value_range' END,
              CASE k % 2 WHEN 0 THEN 'meter 1700000' || k || ' is not in the registry' ELSE 'kwh 512.000 is above the plausible 50.000 for a 30-minute interval' END,
              '1700000' || k || ',2026-11-01T00:00:00Z,0.100,A'
       FROM meterops.load_file, generate_series(0, 4) k WHERE status = 'rejected' AND path NOT LIKE '%/national/%';
       ANALYZE meterops.load_job; ANALYZE meterops.load_file; ANALYZE meterops.load_error;"
    say "load_file: $(p "SELECT count(*) FROM meterops.load_file") rows"

    # Readings. A pool of 97 shapes of 48 values; rows written in (meter_id, day) order in
    # chunks of 100k meters, each partition TRUNCATEd in the same transaction (no WAL).
    p "CREATE TABLE bench.pool AS
         SELECT k, array_agg(((50 + 400 * (1 + sin((h + k) / 7.6)) / 2) * (1 + k % 5))::int4 ORDER BY h) AS wh
         FROM generate_series(0, 96) k, generate_series(0, 47) h GROUP BY k;
       CREATE TABLE bench.flags AS SELECT decode(repeat('41', 20) || '4545' || repeat('41', 26), 'hex') AS f;"
    fill() { # fill PARTITION FROM TO EVERY: meters with meter_id % EVERY = 0 (1: all), days FROM..TO
        cat <<SQL
BEGIN;
TRUNCATE meterops.$1;
DO \$\$
DECLARE lo bigint := 0; n bigint; total bigint := 0;
BEGIN
  WHILE lo <= $maxid LOOP
    INSERT INTO meterops.$1 (meter_id, day, wh, flags, file_id)
    SELECT m.meter_id, d.day, p.wh, CASE WHEN (m.meter_id + (d.day - date '2000-01-01')) % 211 = 0 THEN (SELECT f FROM bench.flags) END, d.file_id
    FROM meterops.meter m
    CROSS JOIN (SELECT day, file_id FROM bench.day_file WHERE day BETWEEN '$2' AND '$3') d
    JOIN bench.pool p ON p.k = (m.meter_id + (d.day - date '2000-01-01')) % 97
    WHERE m.meter_id > lo AND m.meter_id <= lo + 100000 AND m.meter_id % $4 = 0
      AND (m.removed_on IS NULL OR d.day < m.removed_on)
      AND NOT (m.meter_id % 997 = 0 AND d.day >= '$cur')
    ;
    GET DIAGNOSTICS n = ROW_COUNT;
    total := total + n;
    lo := lo + 100000;
  END LOOP;
  RAISE NOTICE 'rows % %', '$1', total;
END
\$\$;
COMMIT;
SQL
    }
    part() { p "SELECT 'reading_day_' || to_char('$1'::date, 'YYYY_MM')"; }
    rows_of() { sed -n "s/.*rows $1 \([0-9]*\)/\1/p" "$dir/fill.log" | tail -1; }
    : >"$dir/fill.log"
    # the current month to yesterday, timed to size the previous month
    cpart=$(part "$cur")
    t0=$(now)
    fill "$cpart" "$cur" "$yday" 1 | psql -X -q -v ON_ERROR_STOP=1 2>>"$dir/fill.log"
    t1=$(now)
    crow=$(rows_of "$cpart")
    cbytes=$(p "SELECT pg_total_relation_size('meterops.$cpart')")
    rate=$(awk -v n="$crow" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')
    say "$cpart: $crow rows in $(elapsed "$t0" "$t1") s ($rate rows/s, $cbytes bytes); free disk $(freegb) GB"
    pdays=$(p "SELECT extract(day FROM '$cur'::date - 1)::int")
    if [ -z "${PREV_DAYS:-}" ]; then
        # fit: leave 25 GB free for the others, and take at most 30 minutes
        per_day=$(awk -v b="$cbytes" -v n="$(p "SELECT '$yday'::date - '$cur'::date + 1")" 'BEGIN { printf "%.0f", b / n }')
        by_disk=$(awk -v f="$(df -Pk "$dir" | awk 'NR == 2 { print $4 * 1024 }')" -v d="$per_day" 'BEGIN { n = int((f - 25 * 2^30 - 3 * 2^30) / d); print n < 1 ? 1 : n }')
        by_time=$(awk -v r="$rate" -v m="$crow" -v n="$(p "SELECT '$yday'::date - '$cur'::date + 1")" 'BEGIN { print int(1800 * r / (m / n)) }')
        PREV_DAYS=$pdays
        [ "$by_disk" -lt "$PREV_DAYS" ] && PREV_DAYS=$by_disk
        [ "$by_time" -lt "$PREV_DAYS" ] && PREV_DAYS=$by_time
        say "previous month: $PREV_DAYS of $pdays days (fit by disk $by_disk, by time $by_time)"
    fi
    pfrom=$(p "SELECT ('$cur'::date - $PREV_DAYS)::text")
    ppart=$(part "$prev")
    t0=$(now)
    fill "$ppart" "$pfrom" "$(p "SELECT ('$cur'::date - 1)::text")" 1 | psql -X -q -v ON_ERROR_STOP=1 2>>"$dir/fill.log" &
    prevpid=$!
    # meanwhile, on the other core: the older months, then the loader's files
    m=$first
    while [ "$m" != "$prev" ]; do
        fill "$(part "$m")" "$m" "$(p "SELECT ('$m'::date + interval '1 month - 1 day')::date")" 10 | psql -X -q -v ON_ERROR_STOP=1 2>>"$dir/fill.log"
        m=$(p "SELECT ('$m'::date + interval '1 month')::date")
    done
    say "older months done; free disk $(freegb) GB"

    for d in long wide; do
        "$bin" load --quiet --jobs 1 --db "$db" "$feeds/$d/readings.csv" >/dev/null || echo "bench: $d/readings.csv: exit $?"
    done
    # 5,000,000 readings of meters that are not in the registry (gen seed 9)
    "$bin" gen --meters $(( ${ERR_ROWS:-5000000} / 1440 + 10 )) --days 30 --start "$prev" --seed 9 --quiet --out "$feeds/unknown" >/dev/null
    head -n $((${ERR_ROWS:-5000000} + 1)) "$feeds/unknown/readings.csv" >"$feeds/unknown-meters-5m.csv"
    rm -rf "$feeds/unknown"
    chmod a+r "$feeds/unknown-meters-5m.csv"
    t0e=$(now)
    "$bin" load --quiet --jobs 1 --max-reject-ratio 1.0 --db "$db" "$feeds/unknown-meters-5m.csv" >"$dir/errfile.out" 2>&1 &
    loadpid=$!
    # main's loader (before issue 9) spends minutes to hours in the foreign-key checks at
    # the end of its 5M-row error COPY: after ERR_LOAD_TIMEOUT seconds (900) it is stopped
    # and the same rows are written by SQL from the same CSV, and bench.info says so
    waited=0
    while kill -0 "$loadpid" 2>/dev/null && [ "$waited" -lt "${ERR_LOAD_TIMEOUT:-900}" ]; do sleep 5; waited=$((waited + 5)); done
    if kill -0 "$loadpid" 2>/dev/null; then
        kill -9 "$loadpid"
        p "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'meterops load%' AND pid <> pg_backend_pid()" >/dev/null
        sleep 2
        psql -X -q -v ON_ERROR_STOP=1 <<SQL
BEGIN;
CREATE TEMP TABLE raw (line text);
COPY raw FROM PROGRAM 'tail -n +2 $feeds/unknown-meters-5m.csv' (FORMAT text);
INSERT INTO meterops.load_error (file_id, line_no, column_name, code, message, raw)
SELECT f.file_id, 1 + row_number() OVER (), 'mpxn', 'unknown_meter',
       'meter ' || split_part(line, ',', 1) || ' is not in the registry (register it, or load with --create-meters)', line
FROM raw, meterops.load_file f WHERE f.path = '$feeds/unknown-meters-5m.csv';
UPDATE meterops.load_file SET status = 'loaded', rows_total = ${ERR_ROWS:-5000000}, rows_loaded = 0,
       rows_rejected = ${ERR_ROWS:-5000000}, readings_loaded = 0, progress_rows = ${ERR_ROWS:-5000000},
       finished_at = now(), lease_until = NULL,
       message = '${ERR_ROWS:-5000000} of ${ERR_ROWS:-5000000} rows rejected (see load_error)'
 WHERE path = '$feeds/unknown-meters-5m.csv';
COMMIT;
SQL
        info big_error_file_note "the loader was still in its error COPY after ${ERR_LOAD_TIMEOUT:-900} s and was stopped; the rejected rows were written by SQL from the same CSV (same code, column, message, raw, line numbers)"
    else
        wait "$loadpid" || echo "bench: the 5M file: exit $?"
    fi
    say "5M-row file loaded in $(elapsed "$t0e" "$(now)") s: $(tail -2 "$dir/errfile.out" | tr '\n' ' ')"
    info big_error_file "$(p "SELECT file_id FROM meterops.load_file WHERE path = '$feeds/unknown-meters-5m.csv'")"
    info ordinary_file "$(p "SELECT file_id FROM meterops.load_file WHERE path = '$feeds/long/readings.csv'")"

    wait "$prevpid" || { echo "bench: the previous month failed (see $dir/fill.log)" >&2; exit 1; }
    say "$ppart: $(rows_of "$ppart") rows in $(elapsed "$t0" "$(now)") s; free disk $(freegb) GB"
    info current_month "$cpart: days $cur..$yday at every meter (but removed and every 997th), $crow rows"
    info previous_month "$ppart: days $pfrom..$(p "SELECT ('$cur'::date - 1)::text") ($PREV_DAYS of $pdays days) at every meter (but removed after removal), $(rows_of "$ppart") rows"
    info older_months "22 partitions $first..$(p "SELECT ('$prev'::date - 1)::text"): the 15th of each month for every 10th meter, $(p "SELECT count(*) FROM meterops.reading_day WHERE day < '$prev'") rows"

    if [ "$(p "SELECT to_regprocedure('meterops.meter_seen_rebuild(date,date)') IS NOT NULL")" = t ]; then
        p "SELECT meterops.meter_seen_rebuild(current_date - 40, current_date)" >/dev/null
        info meter_seen "rebuilt for the last 40 days"
    else
        say "note: meterops.meter_seen_rebuild(date, date) is not in this schema; skipped (run build's step by hand after merging: SELECT meterops.meter_seen_rebuild(current_date - 40, current_date))"
        info meter_seen "meter_seen_rebuild absent at build time: not run"
    fi
    vacuumdb -q -j 2 -z -d meterops
    p "CHECKPOINT"
    p "ALTER SYSTEM RESET wal_level"; p "ALTER SYSTEM RESET max_wal_senders"
    "$sandbox" stop "$dir/pg"; "$sandbox" start "$dir/pg" >/dev/null
    info built_at "$(date -u '+%Y-%m-%d %H:%M UTC')"
    info build_seconds "$(elapsed "$t_start" "$(now)")"
    say "build done in $(elapsed "$t_start" "$(now)") s; database $(p "SELECT pg_size_pretty(pg_database_size('meterops'))"); free disk $(freegb) GB"
}

# ---------------------------------------------------------------------------------------
# The queries measured, one a line: LABEL|FILE|PARAMETERS. FILE is under queries/;
# PARAMETERS are separated by ";" and each is NULL or a literal ('text', 3); the symbols
# ORD (an ordinary rejected file: the newest with errors but the 5M one), BIG (the 5M-error
# file), ACCT (a customer's account_no), MPXN, POSTCODE, NAME, FROM and TO (the last 7
# days) are replaced by values taken from the database. Queries in queries/console/ that
# take no parameters are measured even when not listed; listen and requeue (they write)
# never are.
queries_table() {
    cat <<'TAB'
dash_files|console/dash_files.sql|
dash_throughput: first sample|console/dash_throughput.sql|NULL
dash_throughput: next sample|console/dash_throughput.sql|extract(epoch from now()) - 2
dash_loaders|console/dash_loaders.sql|20
dash_waiting|console/dash_waiting.sql|20
dash_problems|console/dash_problems.sql|50
dash_loading|console/dash_loading.sql|50
dash_copy|console/dash_copy.sql|
dash_meters|console/dash_meters.sql|3
dash_health|console/dash_health.sql|
files: all|console/files.sql|'';'';NULL;NULL;5000
files: path filter|console/files.sql|'';'supplier-7/';NULL;NULL;5000
files: status rejected|console/files.sql|'rejected';'';NULL;NULL;5000
files: one job|console/files.sql|'';'';2500;NULL;5000
files: the 5M file's meta|console/files.sql|'';'';NULL;'{BIG}';1
jobs|console/jobs.sql|200
file_error_groups: ordinary|console/file_error_groups.sql|ORD
file_error_groups: 5M|console/file_error_groups.sql|BIG
file_errors: ordinary|console/file_errors.sql|ORD;1000
file_errors: 5M|console/file_errors.sql|BIG;1000
file_attempts: ordinary|console/file_attempts.sql|ORD
file_attempts: 5M|console/file_attempts.sql|BIG
requeue_match: default|console/requeue_match.sql|NULL;NULL;''
requeue_match: path|console/requeue_match.sql|'{rejected,failed}';NULL;'supplier-7/'
customer find: account|customer/find.sql|'ACCT'
customer find: mpxn|customer/find.sql|'MPXN'
customer find: postcode|customer/find.sql|'POSTCODE'
customer find: name|customer/find.sql|'NAME'
customer period|customer/period.sql|NULL;7
customer meters|customer/meters.sql|'ACCT'
customer daily|customer/daily.sql|'ACCT';'FROM';'TO'
customer insights|customer/insights.sql|'ACCT';'FROM';'TO'
TAB
}

# the highest $n a query file uses
nparams() { grep -v '^[[:space:]]*--' "$1" | grep -o '\$[0-9][0-9]*' | tr -d '$' | sort -n | tail -1; }

# pct FILE P: the P-th percentile (nearest rank) of the numbers in FILE, one a line
pct() { sort -n "$1" | awk -v p="$2" '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit } i = int(NR * p / 100 + 0.999); if (i < 1) i = 1; print v[i] }'; }
ms() { awk -v u="$1" 'BEGIN { if (u == "-") print "-"; else printf "%.1f", u / 1000 }'; }
ms3() { awk -v u="$1" 'BEGIN { printf "%.3f", u / 1000 }'; }

# bench_sql LABEL SQLFILE: runs it N times through pgbench (extended protocol, one
# connection); leaves per-run latencies in microseconds in $work/lat
bench_sql() {
    rm -f "$work"/pgb.*
    # one run first: a query taking seconds is run fewer times (at least 5, about 60 s)
    pgbench -n -M extended -f "$2" -t 1 -l --log-prefix="$work/pgb" meterops >"$work/pgbench.out" 2>&1 || return 1
    first=$(awk '{ print $3 }' "$work"/pgb.* | head -1)
    rm -f "$work"/pgb.*
    runs=$runs_max
    [ "$first" -gt 0 ] && [ $((60000000 / first)) -lt "$runs" ] && runs=$((60000000 / first))
    [ "$runs" -lt "${MIN_RUNS:-5}" ] && runs=${MIN_RUNS:-5}
    pgbench -n -M extended -f "$2" -t "$runs" -l --log-prefix="$work/pgb" meterops >"$work/pgbench.out" 2>&1 || return 1
    grep -q "aborted" "$work/pgbench.out" && return 1
    awk '{ print $3 }' "$work"/pgb.* >"$work/lat"
}

measure() {
    work=$(mktemp -d "${TMPDIR:-/tmp}/meterops-cscale.XXXXXX")
    chmod 755 "$work"
    holder=""
    cleanup() {
        [ -n "$holder" ] && kill "$holder" 2>/dev/null
        tmux -L cscale -f /dev/null kill-server >/dev/null 2>&1
        rm -rf "$work"
    }
    trap cleanup EXIT
    trap 'exit 1' INT TERM
    [ -f "$dir/pg/data/PG_VERSION" ] || { echo "bench/console-scale.sh: no database in $dir: run '$0 build $dir' first" >&2; exit 2; }
    "$sandbox" start "$dir/pg" >/dev/null
    "$bin" db migrate --db "$db" >/dev/null
    command -v pgbench >/dev/null || { echo "bench/console-scale.sh: pgbench missing (Debian package postgresql-client)" >&2; exit 2; }
    command -v tmux >/dev/null || { echo "bench/console-scale.sh: tmux missing" >&2; exit 2; }
    label=${LABEL:-after}
    runs_max=${N:-30}
    load0=$(cut -d' ' -f1 /proc/loadavg)
    commit=$(cd "$srcdir" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
    big=$(p "SELECT v FROM bench.info WHERE k = 'big_error_file'")
    ord=$(p "SELECT max(file_id) FROM meterops.load_file WHERE status = 'rejected' AND file_id <> $big")
    acct=$(p "SELECT account_no FROM meterops.customer WHERE account_no = 'N-00123457'")
    mpxn=$(p "SELECT mpxn FROM meterops.meter m JOIN meterops.customer c USING (customer_id) WHERE c.account_no = '$acct' ORDER BY meter_id LIMIT 1")
    postcode=$(p "SELECT postcode FROM meterops.customer WHERE account_no = '$acct'")
    name=$(p "SELECT split_part(name, ' ', 2) FROM meterops.customer WHERE account_no = '$acct'")
    from=$(p "SELECT (current_date - 7)::text"); to=$(p "SELECT (current_date - 1)::text")
    out="$work/table"; : >"$out"; notes="$work/notes"; : >"$notes"

    say "measuring on $dir (label $label, code $commit, load average $load0)" >&2
    # the floor: a round trip, and an indexed lookup of one load_file row
    echo "SELECT 1;" >"$work/floor.sql"
    bench_sql floor "$work/floor.sql"; floor=$(pct "$work/lat" 50)
    echo "SELECT * FROM meterops.load_file WHERE file_id = $big;" >"$work/floor2.sql"
    bench_sql floor2 "$work/floor2.sql"; floor2=$(pct "$work/lat" 50)

    row() { # row LABEL P50 P95 RUNS READS TARGET_OK
        printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$(ms "$2")" "$(ms "$3")" "$4" \
            "$(awk -v a="$2" -v b="$floor" 'BEGIN { printf "%.0f", a / b }')" "$5" "$6" >>"$out"
    }
    queries_table >"$work/tab"
    # and the console queries not listed that take no parameters
    for f in "$srcdir"/queries/console/*.sql; do
        n=$(basename "$f" .sql)
        case $n in listen|requeue) continue ;; esac
        grep -q "|console/$n.sql|" "$work/tab" && continue
        if [ -z "$(nparams "$f")" ]; then echo "$n (not in the table)|console/$n.sql|" >>"$work/tab"
        else echo "$n: skipped: not in the script's table, takes $(nparams "$f") parameters" >>"$notes"; fi
    done
    while IFS='|' read -r qlabel qfile qparams; do
        f="$srcdir/queries/$qfile"
        if [ ! -f "$f" ]; then echo "$qlabel: skipped: queries/$qfile is gone" >>"$notes"; continue; fi
        want=$(nparams "$f"); want=${want:-0}
        have=0; [ -n "$qparams" ] && have=$(echo "$qparams" | awk -F';' '{ print NF }')
        if [ "$want" != "$have" ]; then
            echo "$qlabel: skipped: queries/$qfile takes $want parameters, the table gives $have" >>"$notes"; continue
        fi
        # the parameters in, as literals: the plan is a custom plan, as PQexecParams gets
        # comments out (whole lines and the ends of lines): the text goes onto one line
        sql=$(grep -v '^[[:space:]]*--' "$f" | sed 's/[[:space:]]*--.*$//')
        i=$have
        while [ "$i" -ge 1 ]; do
            v=$(echo "$qparams" | cut -d';' -f"$i" | sed "s/ORD/$ord/; s/BIG/$big/; s/ACCT/$acct/; s/MPXN/$mpxn/; s/POSTCODE/$postcode/; s/NAME/$name/; s/FROM/$from/; s/TO/$to/")
            sql=$(printf '%s\n' "$sql" | sed "s|\\\$$i\\([^0-9]\\)|$v\\1|g; s|\\\$$i\$|$v|")
            i=$((i - 1))
        done
        printf '%s;\n' "$sql" | tr '\n' ' ' | sed 's/;[[:space:]]*;[[:space:]]*$/;/' >"$work/q.sql"
        echo >>"$work/q.sql"
        reads=$(psql -X -tA -c "EXPLAIN $(sed 's/;[[:space:]]*$//' "$work/q.sql")" 2>&1 |
            awk '/reading_day_[0-9]/ { n++; if ($0 ~ /Seq Scan/) s = 1 } /ERROR/ { e = 1 }
                 END { if (e) print "explain failed"; else if (n) printf "yes: %d partition scans%s\n", n, s ? " (seq)" : ""; else print "no" }')
        case $qfile in customer/daily.sql|customer/insights.sql) reads="$reads (inside functions: not seen)" ;; esac
        say "  $qlabel ..." >&2
        if ! bench_sql "$qlabel" "$work/q.sql"; then
            echo "$qlabel: skipped: it failed: $(grep -m1 -i 'error\|abort' "$work/pgbench.out")" >>"$notes"; continue
        fi
        p50=$(pct "$work/lat" 50); p95=$(pct "$work/lat" 95)
        ok=$(awk -v v="$p95" 'BEGIN { print (v <= 100000 ? "yes" : "NO") }')
        row "$qlabel" "$p50" "$p95" "$runs" "$reads" "$ok"
    done <"$work/tab"

    # `meterops status --json`, wall time including connecting
    say "  status --json ..." >&2
    : >"$work/status"
    i=0
    while [ $i -lt "${STATUS_RUNS:-10}" ]; do
        t0=$(date +%s%N)
        rc=0; "$bin" status --json --db "$db" >"$work/status.json" 2>"$work/status.err" || rc=$?
        t1=$(date +%s%N)
        echo "$(( (t1 - t0) / 1000 )) $rc" >>"$work/status"
        i=$((i + 1))
    done
    cut -d' ' -f1 "$work/status" >"$work/lat"
    st50=$(pct "$work/lat" 50); stmax=$(pct "$work/lat" 100)
    strc=$(cut -d' ' -f2 "$work/status" | sort -u | paste -sd, -)
    PGAPPNAME=bench_lock psql -X -q -c "BEGIN" -c "LOCK TABLE meterops.load_file" -c "SELECT pg_sleep(600)" >/dev/null 2>&1 &
    holder=$!
    until [ "$(p "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'bench_lock' AND l.mode = 'AccessExclusiveLock' AND l.granted")" -ge 1 ]; do sleep 0.1; done
    t0=$(date +%s%N)
    lrc=0; "$bin" status --json --db "$db" >"$work/status.json" 2>"$work/status.err" || lrc=$?
    t1=$(date +%s%N)
    stlock=$(( (t1 - t0) / 1000 ))
    kill "$holder" 2>/dev/null; holder=""
    p "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'bench_lock'" >/dev/null

    # the console in tmux: first full paint, then file opens
    export TMUX_TMPDIR="$work"
    export METEROPS_THEMEDIR="$srcdir/themes"
    T="tmux -L cscale -f /dev/null"
    screen() { $T capture-pane -p -t 0 2>/dev/null; }
    # wait_for REGEX... : until every REGEX is on the screen (0), a section says it could
    # not answer (1; its line in $work/why) or 30 s pass (2)
    wait_for() {
        deadline=$(( $(date +%s) + 30 ))
        while :; do
            screen >"$work/screen"
            all=1
            for r in "$@"; do grep -Eq -- "$r" "$work/screen" || { all=0; break; }; done
            if grep -Eiq 'unavailable|timed out|canceling statement' "$work/screen"; then
                grep -Eim1 'unavailable|timed out|canceling statement' "$work/screen" | sed 's/^ *//' >"$work/why"; return 1
            fi
            [ $all = 1 ] && return 0
            [ "$(date +%s)" -ge "$deadline" ] && { echo "not all drawn after 30 s" >"$work/why"; return 2; }
            sleep 0.02
        done
    }
    # what each dashboard section draws once it has its answer
    dash_marks="queued [0-9] readings/s total [0-9] connections [0-9] Loading Health"
    : >"$work/paint"; paint_notes=""
    k=0
    while [ $k -lt "${PAINTS:-3}" ]; do
        $T kill-server >/dev/null 2>&1 || true
        t0=$(date +%s%N)
        $T -u new-session -d -x 100 -y 30 "env TERM=tmux-256color LANG=C.UTF-8 HOME=$work XDG_STATE_HOME=$work $bin console --db '$db'; sleep 600"
        # shellcheck disable=SC2086
        if wait_for $dash_marks; then
            t1=$(date +%s%N); echo $(( (t1 - t0) / 1000 )) >>"$work/paint"
        else
            paint_notes="$paint_notes; launch $((k + 1)) after $(( ($(date +%s%N) - t0) / 1000000 )) ms: $(cat "$work/why")"
        fi
        k=$((k + 1))
    done
    # file opens, alternating the ordinary file and the 5M one, from the same console
    : >"$work/open.ord"; : >"$work/open.big"; open_notes=""
    k=0
    while [ $k -lt "${OPENS:-5}" ]; do
        for which in ord big; do
            id=$ord; [ $which = big ] && id=$big
            $T send-keys -t 0 Escape 1 2>/dev/null
            sleep 0.3
            $T send-keys -t 0 :; $T send-keys -t 0 -l "open $id"
            t0=$(date +%s%N)
            $T send-keys -t 0 Enter
            if wait_for "File #$id " " Errors [0-9]"; then
                t1=$(date +%s%N); echo $(( (t1 - t0) / 1000 )) >>"$work/open.$which"
            else
                open_notes="$open_notes; $which #$id after $(( ($(date +%s%N) - t0) / 1000000 )) ms: $(cat "$work/why")"
            fi
        done
        k=$((k + 1))
    done
    $T kill-server >/dev/null 2>&1 || true

    fig() { # fig FILE: median and max in ms, and how many
        if [ -s "$1" ]; then
            printf '%s / %s ms (%s)' "$(ms "$(pct "$1" 50)")" "$(ms "$(pct "$1" 100)")" "$(wc -l <"$1" | tr -d ' ')"
        else printf 'not drawn'; fi
    }
    okif() { [ -s "$1" ] && awk -v v="$(pct "$1" 100)" -v t="$2" 'BEGIN { print (v <= t ? "yes" : "NO") }' || echo NO; }

    # what the database holds
    holds=$(psql -X -tA -F' ' -c "
        SELECT 'database ' || pg_size_pretty(pg_database_size('meterops'))
            || '; reading_day ' || (SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) FROM pg_inherits WHERE inhparent = 'meterops.reading_day'::regclass)
            || ' in ' || (SELECT count(*) FROM pg_inherits WHERE inhparent = 'meterops.reading_day'::regclass) || ' partitions, '
            || (SELECT to_char(sum(c.reltuples), 'FM999,999,999,999') FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'meterops.reading_day'::regclass)
            || ' rows (reltuples); ' || string_agg(relname || ' ' || to_char(reltuples, 'FM999,999,999,999'), ', ' ORDER BY relname)
        FROM pg_class WHERE relnamespace = 'meterops'::regnamespace AND relkind = 'r' AND relname !~ '^reading_day' AND reltuples > 0")
    built=$(p "SELECT string_agg(k || ': ' || v, '; ' ORDER BY k) FROM bench.info")
    parts=$(p "SELECT string_agg(to_char(lower_day, 'YYYY-MM') || ' ' || to_char(n, 'FM999,999,999'), ', ' ORDER BY lower_day)
               FROM (SELECT to_date(substr(c.relname, 13), 'YYYY_MM') AS lower_day, c.reltuples AS n
                     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'meterops.reading_day'::regclass) x")

    # shellcheck disable=SC2016 # the backquotes in the printf formats are Markdown
    {
        echo "### $label: $(date -u '+%Y-%m-%d %H:%M UTC'), code $commit"
        echo
        echo "\`bench/console-scale.sh run $dir\` (LABEL=$label; load average at start $load0, 2 cores shared)."
        echo "Database: $holds."
        echo "Rows per reading_day partition (reltuples): $parts."
        echo "Built: $built."
        echo
        echo "| query | p50 ms | p95 ms | runs | p50/floor | reads reading_day | p95 <= 100 ms |"
        echo "|---|---:|---:|---:|---:|---|---|"
        cat "$out"
        echo
        echo "Floor: \`SELECT 1\` p50 $(ms3 "$floor") ms; one load_file row by id p50 $(ms3 "$floor2") ms. Each query ran through \`pgbench -M extended\` with its parameters as literals (a custom plan, as the console gets), $runs_max times, or fewer (at least ${MIN_RUNS:-5}) when that would take over 60 s; latencies without the console's 5 s statement timeout, so a query over 5 s is one the console cancels."
        [ -s "$notes" ] && sed 's/^/- /' "$notes"
        echo
        echo "| what | median / max (n) | target | met |"
        echo "|---|---|---|---|"
        printf '| `meterops status --json`, wall incl. connecting | %s; exit %s | <= 1 s | %s |\n' "$(ms "$st50") / $(ms "$stmax") ms (${STATUS_RUNS:-10})" "$strc" "$(awk -v v="$stmax" 'BEGIN { print (v <= 1000000 ? "yes" : "NO") }')"
        printf '| `meterops status --json` while LOCK TABLE load_file is held | %s ms; exit %s | <= 1 s | %s |\n' "$(ms "$stlock")" "$lrc" "$(awk -v v="$stlock" 'BEGIN { print (v <= 1000000 ? "yes" : "NO") }')"
        printf '| console: launch to first full paint of the dashboard | %s%s | <= 1 s | %s |\n' "$(fig "$work/paint")" "$paint_notes" "$(okif "$work/paint" 1000000)"
        printf '| console: `:open` of an ordinary rejected file (#%s) until its errors are drawn | %s | <= 500 ms | %s |\n' "$ord" "$(fig "$work/open.ord")" "$(okif "$work/open.ord" 500000)"
        printf '| console: `:open` of the 5M-error file (#%s) until its errors are drawn | %s%s | <= 500 ms | %s |\n' "$big" "$(fig "$work/open.big")" "$open_notes" "$(okif "$work/open.big" 500000)"
        echo
        echo "A paint counts when every section has drawn its figures (\`$dash_marks\`); a screen saying \"unavailable\", \"timed out\" or \"canceling statement\" counts as not drawn. Times from tmux polling every 20 ms."
    } >"$work/section"
    cat "$work/section"
    results="$srcdir/bench/RESULTS.md"
    [ -f "$results" ] || : >"$results"
    grep -q '^## Console at national scale' "$results" || cat >>"$results" <<'HEAD'

## Console at national scale

`bench/console-scale.sh` (issue 9): every query the console and `meterops status` run, the
status wall time, the dashboard's first paint and a file's opening, on 3.5M meters with 24
monthly reading_day partitions, 100k load_file rows and a file with 5M rejected rows. One
block per label (`before`: main before issue 9; `after`: the merged pieces); a new run of
the same label replaces its block.
HEAD
    awk -v label="$label" -v f="$work/section" '
        function emit() { while ((getline l < f) > 0) print l; print "<!-- /console-scale " label " -->"; done = 1 }
        $0 == "<!-- console-scale " label " -->" { print; emit(); skip = 1; next }
        skip && $0 == "<!-- /console-scale " label " -->" { skip = 0; next }
        skip { next }
        { print }
        END { if (!done) { print ""; print "<!-- console-scale " label " -->"; emit() } }' "$results" >"$work/results" &&
        cat "$work/results" >"$results"
    say "written to bench/RESULTS.md (block $label)" >&2
}

case $action in
build) build ;;
stop) "$sandbox" stop "$dir/pg" ;;
run) measure ;;
*) echo "usage: bench/console-scale.sh [build|run|stop] [DIR]" >&2; exit 2 ;;
esac
