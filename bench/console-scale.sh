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
    "$bin" load --quiet --jobs 1 --max-reject-ratio 1.0 --db "$db" "$feeds/unknown-meters-5m.csv" >"$dir/errfile.out" 2>&1 || echo "bench: the 5M file: exit $?"
    say "5M-row file loaded in $(elapsed "$t0e" "$(now)") s: $(cat "$dir/errfile.out" | tail -2 | tr '\n' ' ')"
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

case $action in
build) build ;;
stop) "$sandbox" stop "$dir/pg" ;;
run) measure ;;
*) echo "usage: bench/console-scale.sh [build|run|stop] [DIR]" >&2; exit 2 ;;
esac
