#!/bin/sh
# bench/load.sh [METERS] [DAYS] - how fast `meterops load` is, against its ceiling and
# against pgloader, on the same readings in one run (default 20000 meters x 7 days, about
# 6.7M half-hourly readings from `meterops gen --seed 1`), in the long and the wide format.
#
#  (a) ceiling: server-side binary COPY FROM a file of the same readings already shaped as
#      reading_day rows (exactly the rows (b) stored, written out with COPY ... TO, so
#      (a) runs after (b)), into an identical empty partitioned table
#  (b) `meterops load --jobs 2` of the long CSV, end to end (hashing, queue, parsing,
#      validation, COPY, commit)
#  (c) pgloader loading the same CSV into a one-row-per-reading table (PK mpxn, ts)
#  (d) `meterops load` of a second file correcting every value (the merge path)
#  (bw) `meterops load --jobs 2` of the same meters and days as wide CSV (`meterops gen
#      --format wide`, same seed and start), end to end, into a fresh database
#  (aw) ceiling for (bw): as (a), with exactly the rows (bw) stored
# and prints readings/s, b/a, b/c, bw/aw, the loader's peak RSS and bytes per reading on
# disk (reading_day partitions with their indexes, after (b) and after (bw)). Targets on a
# 2-core machine: b/a >= 0.75, b/c >= 30, peak RSS <= 256 MB, <= 8 bytes per reading.
# There is no pgloader run for wide: pgloader loads a line into a row, and a wide line is
# a meter-day, so a row-per-reading table would need the file unpivoted first.
#
# (a) and (b), and (aw) and (bw), run REPEAT times each (default 5), alternating, each (b)
# from the same start (its partitions, rows and queue row dropped first), and the table
# shows the median: the machine is shared and single runs vary by 10-20 %. Every run's
# time is printed below the table.
#
# The wide runs start from what (b) started from: the long runs' database is dropped and
# made again (schema, registry, empty twin), so reading_day has no partitions, the queue
# is empty and none of the long data sits in the server's buffers or on the disk.
#
# Uses a private server (scripts/pg-sandbox) in a temporary directory, stopped at the
# end. Environment: MO_BIN (default build/meterops), START (first day, 2024-03-11),
# REPEAT (5; 1 at national scale), KEEP=1 keeps the directory (its database then holds
# the wide load, or the long one when the wide runs are skipped), SKIP="c d w" leaves
# runs out (w: both wide runs; national scale: pgloader would take most of an hour),
# BENCH_DIR puts the data elsewhere than $TMPDIR. AS_LOADER=1 runs the timed loads as a
# login in meterops_loader (its column grants and functions, 014_loader_rights) instead of
# the superuser.
set -eu
meters=${1:-20000}
days=${2:-7}
start=${START:-2024-03-11}
srcdir=$(cd "$(dirname "$0")/.." && pwd)
bin=${MO_BIN:-$srcdir/build/meterops}
skip=${SKIP:-}
want() { case " $skip " in *" $1 "*) return 1 ;; *) return 0 ;; esac; }
[ -x "$bin" ] || { echo "bench/load.sh: build meterops first ($bin)" >&2; exit 2; }
if want c; then
    command -v pgloader >/dev/null || { echo "bench/load.sh: pgloader is not installed (or SKIP=c)" >&2; exit 2; }
fi
[ -x /usr/bin/time ] || { echo "bench/load.sh: /usr/bin/time missing: apt-get install time" >&2; exit 2; }
work=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/meterops-bench.XXXXXX")
chmod 755 "$work"
cleanup() {
    "$srcdir/scripts/pg-sandbox" stop "$work/pg" >/dev/null 2>&1 || true
    [ "${KEEP:-0}" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT INT TERM

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
median() { printf '%s\n' $1 | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
repeat=${REPEAT:-5}

load0=$(cut -d' ' -f1 /proc/loadavg)
echo "generating $meters meters x $days days from $start (meterops gen) ..." >&2
"$bin" gen --meters "$meters" --days "$days" --start "$start" --seed 1 --quiet --out "$work" >/dev/null
# (d)'s file: the same lines, every value 1 Wh more (kWh has three decimals)
if want d; then
    awk -F, 'NR == 1 { print; next }
             { v = $3; sub(/\./, "", v); v = v + 1
               printf "%s,%s,%d.%03d,%s\n", $1, $2, int(v / 1000), v % 1000, $4 }' \
        "$work/readings.csv" >"$work/corrected.csv"
fi
chmod 755 "$work"
chmod 644 "$work"/*.csv
readings=$(($(wc -l <"$work/readings.csv") - 1))
if want w; then
    # its own directory: gen names the readings file readings.csv whatever the format
    "$bin" gen --meters "$meters" --days "$days" --start "$start" --seed 1 --format wide \
        --quiet --out "$work/wide" >/dev/null
    chmod 755 "$work/wide"
    chmod 644 "$work"/wide/*.csv
    # a wide line holds one reading per non-empty interval cell
    wreadings=$(awk -F, 'NR > 1 { for (i = 3; i <= NF; i++) if ($i != "") n++ } END { print n + 0 }' \
        "$work/wide/readings.csv")
fi

"$srcdir/scripts/pg-sandbox" start "$work/pg" >/dev/null
export PGHOST="$work/pg" PGPORT=5432 PGUSER=postgres PGDATABASE=meterops
unset PGSERVICE PGOPTIONS
p() { psql -X -q -v ON_ERROR_STOP=1 -tA -c "$1"; }
last=$(p "SELECT ('$start'::date + $days - 1)::text")

load_user=postgres
[ "${AS_LOADER:-0}" = 1 ] && load_user=bench_loader
setup_db() { # setup_db DIR: schema, DIR's registry feeds, the ceiling's empty twin (not timed)
    "$bin" db migrate >/dev/null
    [ "$load_user" = postgres ] ||
        p "DROP ROLE IF EXISTS $load_user; CREATE ROLE $load_user LOGIN IN ROLE meterops_loader"
    for f in customers tariffs meters; do
        "$bin" load --quiet "$1/$f.csv" >/dev/null || { echo "bench/load.sh: $f.csv did not load" >&2; exit 1; }
    done
    # the ceiling's table: reading_day's twin, partitions made beforehand
    p "CREATE SCHEMA bench;
       CREATE TABLE bench.reading_day (LIKE meterops.reading_day INCLUDING ALL) PARTITION BY RANGE (day);
       DO \$\$ DECLARE m date := date_trunc('month', '$start'::date); BEGIN
         WHILE m <= '$last'::date LOOP
           EXECUTE format('CREATE TABLE bench.rd_%s PARTITION OF bench.reading_day FOR VALUES FROM (%L) TO (%L)',
                          to_char(m, 'YYYY_MM'), m, m + interval '1 month');
           m := m + interval '1 month';
         END LOOP; END \$\$;"
}

load_timed() { # load_timed RUN FILE COUNT: sets secs, rss (MB); RUN.out keeps the summary line
    p "CHECKPOINT"
    t0=$(now)
    PGUSER=$load_user /usr/bin/time -f "%e %M" -o "$work/time.$1" "$bin" load --jobs 2 --quiet "$2" >"$work/$1.out"
    t1=$(now)
    secs=$(elapsed "$t0" "$t1")
    rss=$(awk '{ printf "%.0f", $2 / 1024 }' "$work/time.$1")
    got=$(p "SELECT readings_loaded || ' ' || status FROM meterops.load_file WHERE path = '$2'")
    [ "$got" = "$3 loaded" ] || { echo "bench/load.sh: ($1) loaded '$got', expected '$3 loaded'" >&2; exit 1; }
}

disk_bytes() { # disk_bytes TABLE: its partitions with their indexes
    p "SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = '$1'::regclass"
}

ceiling() { # ceiling RUN: copies the rows reading_day holds into the empty twin; sets secs
    # exactly the rows the load stored, written out in COPY's binary format (once)
    [ -f "$work/days.$1.bin" ] || {
        psql -X -q -v ON_ERROR_STOP=1 -c "COPY (SELECT meter_id, day, wh, flags, file_id
            FROM meterops.reading_day ORDER BY meter_id, day) TO STDOUT (FORMAT binary)" >"$work/days.$1.bin"
        chmod 644 "$work/days.$1.bin"
    }
    p "TRUNCATE bench.reading_day"
    p "CHECKPOINT"
    t0=$(now)
    p "COPY bench.reading_day FROM '$work/days.$1.bin' (FORMAT binary)"
    t1=$(now)
    secs=$(elapsed "$t0" "$t1")
}

forget_load() { # forget_load FILE: its rows with their partitions, and its queue row
    p "DO \$\$ DECLARE r regclass; BEGIN
         FOR r IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'meterops.reading_day'::regclass LOOP
           EXECUTE format('DROP TABLE %s', r);
         END LOOP; END \$\$;
       DELETE FROM meterops.load_error WHERE file_id IN (SELECT file_id FROM meterops.load_file WHERE path = '$1');
       DELETE FROM meterops.load_file WHERE path = '$1'"
}

pair() { # pair LOAD CEIL FILE COUNT: LOAD and its ceiling, REPEAT times; sets load_runs, ceil_runs
    load_runs=""; ceil_runs=""
    i=0
    while [ $i -lt "$repeat" ]; do
        [ $i -gt 0 ] && forget_load "$3"
        load_timed "$1" "$3" "$4"
        load_runs="$load_runs $secs"
        ceiling "$2"
        ceil_runs="$ceil_runs $secs"
        i=$((i + 1))
    done
}

setup_db "$work"

echo "(b) meterops load, and (a) server-side binary COPY of the same reading_day rows, $repeat times ..." >&2
pair b a "$work/readings.csv" "$readings"
sb=$(median "$load_runs"); sa=$(median "$ceil_runs"); runs_b=$load_runs; runs_a=$ceil_runs
rss_b=$rss
bytes=$(disk_bytes meterops.reading_day)
bytes_a=$(disk_bytes bench.reading_day)

sd=""; sc=""; rss_d="-"; bytes_c=""
if want d; then
    echo "(d) meterops load of corrected values (merge path) ..." >&2
    load_timed d "$work/corrected.csv" "$readings"
    sd=$secs; rss_d=$rss
fi

if want c; then
    echo "(c) pgloader into a row-per-reading table ..." >&2
    cat >"$work/pgloader.load" <<EOF
LOAD CSV
     FROM '$work/readings.csv' (mpxn, ts, kwh, quality)
     INTO postgresql://postgres@unix:$work/pg:5432/meterops
     TARGET TABLE bench.reading_row
     WITH skip header = 1, fields terminated by ','
     BEFORE LOAD DO
       \$\$ CREATE TABLE bench.reading_row (mpxn text NOT NULL, ts timestamptz NOT NULL,
            kwh numeric(10,3) NOT NULL, quality char(1) NOT NULL, PRIMARY KEY (mpxn, ts)); \$\$;
EOF
    p "CHECKPOINT"
    t0=$(now)
    pgloader --quiet "$work/pgloader.load" >"$work/c.out" 2>&1 || { cat "$work/c.out" >&2; exit 1; }
    t1=$(now)
    sc=$(elapsed "$t0" "$t1")
    got=$(p "SELECT count(*) FROM bench.reading_row")
    [ "$got" = "$readings" ] || { echo "bench/load.sh: (c) loaded $got rows" >&2; exit 1; }
    bytes_c=$(p "SELECT pg_total_relation_size('bench.reading_row')")
fi

sbw=""; saw=""
if want w; then
    echo "(bw) meterops load of the wide CSV, into a fresh database ..." >&2
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE meterops WITH (FORCE)" -c "CREATE DATABASE meterops"
    setup_db "$work/wide"
    pair bw aw "$work/wide/readings.csv" "$wreadings"
    sbw=$(median "$load_runs"); saw=$(median "$ceil_runs"); runs_bw=$load_runs; runs_aw=$ceil_runs
    rss_bw=$rss
    bytes_bw=$(disk_bytes meterops.reading_day)
    bytes_aw=$(disk_bytes bench.reading_day)
fi

row() { # row LABEL SECONDS [READINGS]
    if [ -n "$2" ]; then echo "| $1 | $2 | $(rate "${3:-$readings}" "$2") |"; else echo "| $1 | not run | |"; fi
}
csvmb=$(du -m "$work/readings.csv" | cut -f1)
echo "| run | seconds | readings/s |"
echo "|---|---:|---:|"
row "(a) server-side binary COPY of reading_day rows (ceiling)" "$sa"
row "(b) \`meterops load --jobs 2\` of the long CSV, end to end" "$sb"
row "(c) pgloader, long CSV into a row-per-reading table" "$sc"
row "(d) \`meterops load\` of corrected values (merge path)" "$sd"
row "(aw) server-side binary COPY of the wide load's reading_day rows (ceiling)" "$saw" "${wreadings:-}"
row "(bw) \`meterops load --jobs 2\` of the wide CSV, end to end" "$sbw" "${wreadings:-}"
echo
echo "- seconds are the median of $repeat runs each, alternating: (a)$runs_a; (b)$runs_b$([ -n "$sbw" ] && echo "; (aw)$runs_aw; (bw)$runs_bw")"
echo "- readings: $readings ($meters meters x $days days, \`meterops gen --seed 1\`: gaps and estimates as it makes them), long CSV $csvmb MB; load average at start $load0"
sbl=$(sed -n 's/.* in \([0-9.]*\) s (.*/\1/p' "$work/b.out")
echo "- (b) loading the claimed file took $sbl s in the last run ($(rate "$readings" "$sbl") readings/s, $(ratio "$sa" "$sbl") of (a), its sha256 included); the rest of (b) is starting, connecting, enqueueing"
echo "- b/a = $(ratio "$sa" "$sb") (target >= 0.75)$([ -n "$sc" ] && echo "; b/c = $(ratio "$sc" "$sb") (target >= 30)")$([ -n "$sd" ] && echo "; d/b = $(ratio "$sb" "$sd")")"
echo "- loader peak RSS: $rss_b MB for (b), $rss_d MB for (d) (target <= 256 MB)"
echo "- bytes per reading on disk, with indexes: $(ratio "$bytes" "$readings") for (b) (target <= 8); $(ratio "$bytes_a" "$readings") for (a)$([ -n "$bytes_c" ] && echo "; $(ratio "$bytes_c" "$readings") for (c)")"
if [ -n "$sbw" ]; then
    wmb=$(du -m "$work/wide/readings.csv" | cut -f1)
    sbwl=$(sed -n 's/.* in \([0-9.]*\) s (.*/\1/p' "$work/bw.out")
    echo "- wide: $wreadings readings (the same meters and days; no quality column, so every reading is actual), wide CSV $wmb MB; loaded into a fresh database (the long one dropped)"
    echo "- (bw) loading the claimed file took $sbwl s in the last run ($(rate "$wreadings" "$sbwl") readings/s, $(ratio "$saw" "$sbwl") of (aw))"
    echo "- bw/aw = $(ratio "$saw" "$sbw") (target >= 0.75); bw/b = $(ratio "$(rate "$wreadings" "$sbw")" "$(rate "$readings" "$sb")") (in readings/s)"
    echo "- loader peak RSS: $rss_bw MB for (bw) (target <= 256 MB)"
    echo "- bytes per reading on disk, with indexes: $(ratio "$bytes_bw" "$wreadings") for (bw) (target <= 8); $(ratio "$bytes_aw" "$wreadings") for (aw)"
    echo "- no pgloader run for wide: it loads a line into a row, and a wide line is a meter-day; a row-per-reading table would need the file unpivoted first"
fi
