#!/bin/sh
# bench/espi.sh [DAYS] - `meterops load` of a Green Button feed against the long CSV of
# the same readings, in one run, and the loader's peak RSS on each (default 3650 days of
# hourly readings for one meter, 87,600 readings: a 12 MB feed, a 3.6 MB CSV; DAYS=36500
# makes a 119 MB feed). Each file is loaded REPEAT times (default 3), alternating, each
# into a fresh database, and the table shows the medians and the ratio xml/csv of
# readings/s. The feed is one ReadingType (Wh) and daily IntervalBlocks, as utilities
# write them. Uses a private server (scripts/pg-sandbox) in a temporary directory,
# stopped at the end. Environment: MO_BIN (default build/meterops), REPEAT, BENCH_DIR.
set -eu
days=${1:-3650}
repeat=${REPEAT:-3}
srcdir=$(cd "$(dirname "$0")/.." && pwd)
bin=${MO_BIN:-$srcdir/build/meterops}
work=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/mo-espi.XXXXXX")
chmod 755 "$work"
cleanup() {
    "$srcdir/scripts/pg-sandbox" stop "$work/pg" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# The same readings twice: a feed (ESPI, Wh) and a long CSV (kWh to 3 decimals).
awk -v days="$days" -v xml="$work/feed.xml" -v csv="$work/long.csv" 'BEGIN {
    print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">" > xml
    print "<entry><content><ReadingType xmlns=\"http://naesb.org/espi\"><flowDirection>1</flowDirection><powerOfTenMultiplier>0</powerOfTenMultiplier><uom>72</uom></ReadingType></content></entry>" > xml
    print "mpxn,timestamp,kwh" > csv
    t0 = 1293840000 # 2011-01-01
    for (d = 0; d < days; d++) {
        printf "<entry><content><IntervalBlock xmlns=\"http://naesb.org/espi\"><interval><duration>86400</duration><start>%d</start></interval>\n", t0 + d * 86400 > xml
        for (h = 0; h < 24; h++) {
            t = t0 + d * 86400 + h * 3600; v = (d * 7 + h * 13) % 900 + 100
            printf "<IntervalReading><timePeriod><duration>3600</duration><start>%d</start></timePeriod><value>%d</value></IntervalReading>\n", t, v > xml
            printf "1200023305967,%s,%d.%03d\n", strftime("%Y-%m-%dT%H:%M:%SZ", t, 1), int(v / 1000), v % 1000 > csv
        }
        print "</IntervalBlock></content></entry>" > xml
    }
    print "</feed>" > xml
}'
readings=$((days * 24))
"$srcdir/scripts/pg-sandbox" start "$work/pg" > "$work/conninfo"
db=$(tail -1 "$work/conninfo")

# one load into a fresh database: prints "seconds peak_rss_kB"
one() {
    psql -X -q "$db" -c "DROP SCHEMA IF EXISTS meterops CASCADE" >/dev/null 2>&1
    "$bin" db migrate --db "$db" >/dev/null
    psql -X -q "$db" -c "INSERT INTO meterops.meter (mpxn, fuel, interval_minutes) VALUES ('1200023305967', 'elec', 60)" >/dev/null
    /usr/bin/time -f "%M" -o "$work/rss" "$bin" load --db "$db" --meter 1200023305967 \
        --not-before 2010-01-01 "$1" > "$work/out" 2>&1
    n=$(psql -X -tA "$db" -c "SELECT count(v) FROM meterops.reading_day, unnest(wh) v")
    [ "$n" = "$readings" ] || { echo "espi.sh: $1 loaded $n readings, not $readings" >&2; cat "$work/out" >&2; exit 1; }
    echo "$(sed -n 's/.* in \([0-9.]*\) s .*/\1/p' "$work/out" | tail -1) $(cat "$work/rss")"
}
: > "$work/xml.txt"; : > "$work/csv.txt"
i=0
while [ "$i" -lt "$repeat" ]; do
    one "$work/long.csv" >> "$work/csv.txt"
    one "$work/feed.xml" >> "$work/xml.txt"
    i=$((i + 1))
done
median() { sort -n -k"$2" "$1" | awk -v k="$2" '{ a[NR] = $k } END { print a[int((NR + 1) / 2)] }'; }
xs=$(median "$work/xml.txt" 1); cs=$(median "$work/csv.txt" 1)
xr=$(median "$work/xml.txt" 2); cr=$(median "$work/csv.txt" 2)
xb=$(wc -c < "$work/feed.xml"); cb=$(wc -c < "$work/long.csv")
awk -v n="$readings" -v xs="$xs" -v cs="$cs" -v xr="$xr" -v cr="$cr" -v xb="$xb" -v cb="$cb" -v r="$repeat" 'BEGIN {
    printf "| file | bytes | s (median of %d) | readings/s | peak RSS |\n|---|---|---|---|---|\n", r
    printf "| long CSV | %d | %.2f | %.0f | %.1f MB |\n", cb, cs, n / cs, cr / 1024
    printf "| ESPI feed | %d | %.2f | %.0f | %.1f MB |\n", xb, xs, n / xs, xr / 1024
    printf "\n%d hourly readings; xml/csv readings/s = %.2f\n", n, cs / xs
}'
echo "runs (s, peak RSS kB): csv $(tr '\n' ';' < "$work/csv.txt") xml $(tr '\n' ';' < "$work/xml.txt")"
