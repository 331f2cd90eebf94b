#!/bin/sh
# bench/load.sh [METERS] [DAYS] - how fast `meterops load` is, against its ceiling and
# against pgloader, on the same readings in one run (default 20000 meters x 7 days, about
# 6.7M half-hourly readings from `meterops gen --seed 1`).
#
#  (a) ceiling: server-side binary COPY FROM a file of the same readings already shaped as
#      reading_day rows (exactly the rows (b) stored, written out with COPY ... TO, so
#      (a) runs after (b)), into an identical empty partitioned table
#  (b) `meterops load --jobs 2` of the long CSV, end to end (hashing, queue, parsing,
#      validation, COPY, commit)
#  (c) pgloader loading the same CSV into a one-row-per-reading table (PK mpxn, ts)
#  (d) `meterops load` of a second file correcting every value (the merge path)
# and prints readings/s, b/a, b/c, the loader's peak RSS and bytes per reading on disk
# (reading_day partitions with their indexes, after (b)). Targets on a 2-core machine:
# b/a >= 0.75, b/c >= 30, peak RSS <= 256 MB, <= 8 bytes per reading.
#
# Uses a private server (scripts/pg-sandbox) in a temporary directory, stopped at the
# end. Environment: MO_BIN (default build/meterops), START (first day, 2024-03-11),
# KEEP=1 keeps the directory, SKIP="c d" leaves runs out (national scale: pgloader would
# take most of an hour), BENCH_DIR puts the data elsewhere than $TMPDIR.
set -eu
meters=${1:-20000}
days=${2:-7}
start=${START:-2024-03-11}
srcdir=$(cd "$(dirname "$0")/.." && pwd)
bin=${MO_BIN:-$srcdir/build/meterops}
[ -x "$bin" ] || { echo "bench/load.sh: build meterops first ($bin)" >&2; exit 2; }
command -v pgloader >/dev/null || { echo "bench/load.sh: pgloader is not installed" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/load.sh: /usr/bin/time missing: apt-get install time" >&2; exit 2; }
skip=${SKIP:-}
want() { case " $skip " in *" $1 "*) return 1 ;; *) return 0 ;; esac; }
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

"$srcdir/scripts/pg-sandbox" start "$work/pg" >/dev/null
export PGHOST="$work/pg" PGPORT=5432 PGUSER=postgres PGDATABASE=meterops
unset PGSERVICE PGOPTIONS
"$bin" db migrate >/dev/null
p() { psql -X -q -v ON_ERROR_STOP=1 -tA -c "$1"; }
for f in customers tariffs meters; do
    "$bin" load --quiet "$work/$f.csv" >/dev/null || { echo "bench/load.sh: $f.csv did not load" >&2; exit 1; }
done
last=$(p "SELECT ('$start'::date + $days - 1)::text")
# (a)'s table: reading_day's twin, partitions made beforehand (not timed)
p "CREATE SCHEMA bench;
   CREATE TABLE bench.reading_day (LIKE meterops.reading_day INCLUDING ALL) PARTITION BY RANGE (day);
   DO \$\$ DECLARE m date := date_trunc('month', '$start'::date); BEGIN
     WHILE m <= '$last'::date LOOP
       EXECUTE format('CREATE TABLE bench.rd_%s PARTITION OF bench.reading_day FOR VALUES FROM (%L) TO (%L)',
                      to_char(m, 'YYYY_MM'), m, m + interval '1 month');
       m := m + interval '1 month';
     END LOOP; END \$\$;"

echo "(b) meterops load ..." >&2
p "CHECKPOINT"
t0=$(now)
/usr/bin/time -f "%e %M" -o "$work/time.b" "$bin" load --jobs 2 --quiet "$work/readings.csv" >"$work/b.out"
t1=$(now)
sb=$(elapsed "$t0" "$t1")
rss_b=$(awk '{ printf "%.0f", $2 / 1024 }' "$work/time.b")
got=$(p "SELECT readings_loaded || ' ' || status FROM meterops.load_file WHERE path = '$work/readings.csv'")
[ "$got" = "$readings loaded" ] || { echo "bench/load.sh: (b) loaded '$got', expected '$readings loaded'" >&2; exit 1; }
bytes=$(p "SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = 'meterops.reading_day'::regclass")

echo "(a) server-side binary COPY of the same reading_day rows ..." >&2
# exactly the rows (b) stored, written out in COPY's binary format, into the empty twin
psql -X -q -v ON_ERROR_STOP=1 -c "COPY (SELECT meter_id, day, wh, flags, file_id
    FROM meterops.reading_day ORDER BY meter_id, day) TO STDOUT (FORMAT binary)" >"$work/days.bin"
chmod 644 "$work/days.bin"
p "CHECKPOINT"
t0=$(now)
p "COPY bench.reading_day FROM '$work/days.bin' (FORMAT binary)"
t1=$(now)
sa=$(elapsed "$t0" "$t1")
bytes_a=$(p "SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = 'bench.reading_day'::regclass")

sd=""; sc=""; rss_d="-"; bytes_c=""
if want d; then
    echo "(d) meterops load of corrected values (merge path) ..." >&2
    p "CHECKPOINT"
    t0=$(now)
    /usr/bin/time -f "%e %M" -o "$work/time.d" "$bin" load --jobs 2 --quiet "$work/corrected.csv" >"$work/d.out"
    t1=$(now)
    sd=$(elapsed "$t0" "$t1")
    rss_d=$(awk '{ printf "%.0f", $2 / 1024 }' "$work/time.d")
    got=$(p "SELECT readings_loaded || ' ' || status FROM meterops.load_file WHERE path = '$work/corrected.csv'")
    [ "$got" = "$readings loaded" ] || { echo "bench/load.sh: (d) loaded '$got'" >&2; exit 1; }
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

row() { # row LABEL SECONDS
    if [ -n "$2" ]; then echo "| $1 | $2 | $(rate "$readings" "$2") |"; else echo "| $1 | not run | |"; fi
}
csvmb=$(du -m "$work/readings.csv" | cut -f1)
echo "| run | seconds | readings/s |"
echo "|---|---:|---:|"
row "(a) server-side binary COPY of reading_day rows (ceiling)" "$sa"
row "(b) \`meterops load --jobs 2\` of the long CSV, end to end" "$sb"
row "(c) pgloader, long CSV into a row-per-reading table" "$sc"
row "(d) \`meterops load\` of corrected values (merge path)" "$sd"
echo
echo "- readings: $readings ($meters meters x $days days, \`meterops gen --seed 1\`: gaps and estimates as it makes them), long CSV $csvmb MB; load average at start $load0"
sbl=$(sed -n 's/.* in \([0-9.]*\) s (.*/\1/p' "$work/b.out")
echo "- (b) loading the claimed file took $sbl s ($(rate "$readings" "$sbl") readings/s, $(ratio "$sa" "$sbl") of (a)); the rest of (b) is hashing the file (sha256), enqueueing, connecting"
echo "- b/a = $(ratio "$sa" "$sb") (target >= 0.75)$([ -n "$sc" ] && echo "; b/c = $(ratio "$sc" "$sb") (target >= 30)")$([ -n "$sd" ] && echo "; d/b = $(ratio "$sb" "$sd")")"
echo "- loader peak RSS: $rss_b MB for (b), $rss_d MB for (d) (target <= 256 MB)"
echo "- bytes per reading on disk, with indexes: $(ratio "$bytes" "$readings") for (b) (target <= 8); $(ratio "$bytes_a" "$readings") for (a)$([ -n "$bytes_c" ] && echo "; $(ratio "$bytes_c" "$readings") for (c)")"
