#!/bin/sh
# bench/memory.sh - peak RSS of `meterops load` (GNU time's maximum resident set size),
# the new binary against a baseline built from BASE in the same run, on the cases issue 15
# names ("Memory bounded by configuration, not by the input"):
#
#  lines8     a long-format file of eight 60 MB lines (480 MB), at --jobs 1, 2 and 4
#  lines200   a 1.2 GB file of six 200 MB lines, --jobs 2
#  national   a national day: 3.5M meters registered (meterops gen feeds), their readings
#             for one day as long CSV (168M readings, 6.7 GB), --jobs 2
#  fleet10m   a registry of 10M meters (SQL generate_series straight into meterops.meter,
#             on a scratch database) loading a small file (one meter's day), --jobs 2
#
# Each case runs the baseline, then the new binary, from the same start (the readings and
# the queue row of the previous run removed). Target: <= 256 MB in every row.
#
# Uses a private server (scripts/pg-sandbox) in a temporary directory, stopped and removed
# at the end with every file made (the national day needs about 9 GB of disk while it runs).
# Environment: MO_BIN (default build/meterops), OLD_BIN (the baseline binary; default:
# built here from `git archive ${BASE:-main}`), CASES (default "lines8 lines200 national
# fleet10m"), NATIONAL_METERS (3500000), FLEET (10000000), BENCH_DIR (instead of $TMPDIR).
set -eu
srcdir=$(cd "$(dirname "$0")/.." && pwd)
bin=${MO_BIN:-$srcdir/build/meterops}
cases=${CASES:-lines8 lines200 national fleet10m}
nmeters=${NATIONAL_METERS:-3500000}
fleet=${FLEET:-10000000}
[ -x "$bin" ] || { echo "bench/memory.sh: build meterops first ($bin)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/memory.sh: /usr/bin/time missing: apt-get install time" >&2; exit 2; }
work=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/meterops-mem.XXXXXX")
chmod 755 "$work"
cleanup() {
    "$srcdir/scripts/pg-sandbox" stop "$work/pg" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
has() { case " $cases " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

old=${OLD_BIN:-}
if [ -z "$old" ]; then
    base=${BASE:-main}
    echo "building the baseline from $base ..." >&2
    mkdir "$work/old"
    git -C "$srcdir" archive "$base" | tar -x -C "$work/old"
    (cd "$work/old" && autoreconf -fi >/dev/null 2>&1 && mkdir build && cd build &&
     ../configure -q >/dev/null && make -s -j2 meterops >/dev/null 2>&1) ||
        { echo "bench/memory.sh: the baseline did not build" >&2; exit 2; }
    old=$work/old/build/meterops
    oldname="$base $(git -C "$srcdir" rev-parse --short "$base")"
else
    oldname=$old
fi
newname="$(git -C "$srcdir" rev-parse --abbrev-ref HEAD) $(git -C "$srcdir" rev-parse --short HEAD)"

"$srcdir/scripts/pg-sandbox" start "$work/pg" >/dev/null
export PGHOST="$work/pg" PGPORT=5432 PGUSER=postgres PGDATABASE=meterops
unset PGSERVICE PGOPTIONS
p() { psql -X -q -v ON_ERROR_STOP=1 -tA -c "$1"; }
"$bin" db migrate >/dev/null

rows=""
row() { rows="$rows$1|$2|$3|$4|$5
"; }
# measure CASE JOBS FILE: one load by each binary; a row of the table
measure() {
    for which in old new; do
        b=$old
        [ "$which" = new ] && b=$bin
        # from the same start: no readings, no queue row for the file's content
        p "TRUNCATE meterops.reading_day, meterops.meter_seen;
           DELETE FROM meterops.load_file WHERE sha256 IN (SELECT sha256 FROM meterops.load_file WHERE path = '$3')
              OR path = '$3'" >/dev/null 2>&1 || true
        /usr/bin/time -f "%e %M" -o "$work/time" "$b" load --jobs "$2" --quiet --max-reject-ratio 1 "$3" \
            >"$work/out" 2>&1 || true
        # GNU time writes "Command exited with non-zero status N" first when the load
        # exits non-zero (a rejected file): the figures are on its last line
        rss=$(tail -n 1 "$work/time" | awk '{ printf "%.0f", $2 / 1024 }')
        sec=$(tail -n 1 "$work/time" | awk '{ print $1 }')
        eval "rss_$which=\$rss sec_$which=\$sec"
        eval "sum_$which=\$(tail -n 1 \"\$work/out\" | sed 's/^.*: //' | cut -c1-70)"
    done
    row "$1" "$2" "$rss_old MB ($sec_old s)" "$rss_new MB ($sec_new s)" "$sum_new"
    echo "$1 --jobs $2: old $rss_old MB, new $rss_new MB ($sum_new)" >&2
}

# a long-format file of COUNT lines of MB megabytes each (no newline inside)
long_lines() { # long_lines FILE COUNT MB
    { echo "mpxn,timestamp,kwh"
      i=0
      while [ "$i" -lt "$2" ]; do
          head -c $(($3 * 1000000)) /dev/zero | tr '\0' '7'
          echo
          i=$((i + 1))
      done; } >"$1"
    chmod 644 "$1"
}

if has lines8; then
    long_lines "$work/lines8.csv" 8 60
    for j in 1 2 4; do measure "eight 60 MB lines" "$j" "$work/lines8.csv"; done
    rm -f "$work/lines8.csv"
fi
if has lines200; then
    long_lines "$work/lines200.csv" 6 200
    measure "six 200 MB lines (1.2 GB)" 2 "$work/lines200.csv"
    rm -f "$work/lines200.csv"
fi
if has national; then
    echo "generating a national day: $nmeters meters (meterops gen) ..." >&2
    mkdir "$work/nat"
    chmod 755 "$work/nat"
    "$bin" gen --meters "$nmeters" --days 1 --start 2024-03-11 --seed 1 --quiet --out "$work/nat" >/dev/null
    chmod 644 "$work"/nat/*.csv
    for f in customers tariffs meters; do
        "$bin" load --quiet "$work/nat/$f.csv" >/dev/null
    done
    measure "national day: $nmeters meters, long CSV" 2 "$work/nat/readings.csv"
    rm -rf "$work/nat"
    p "TRUNCATE meterops.reading_day, meterops.meter_seen" >/dev/null
fi
if has fleet10m; then
    echo "registering $fleet meters (generate_series) ..." >&2
    p "CREATE DATABASE fleet" >/dev/null
    PGDATABASE=fleet "$bin" db migrate >/dev/null
    # 10-digit MPRNs (gas: no check digit to compute); one 13-digit MPAN core among them
    PGDATABASE=fleet p "INSERT INTO meterops.meter (mpxn, fuel, interval_minutes)
        SELECT (1000000000 + i)::text, 'gas', 30 FROM generate_series(1, $fleet - 1) i;
        INSERT INTO meterops.meter (mpxn, fuel, interval_minutes) VALUES ('2700003640001', 'elec', 30)" >/dev/null
    PGDATABASE=fleet p "VACUUM ANALYZE meterops.meter" >/dev/null
    { echo "mpxn,timestamp,kwh"
      for h in $(seq 0 47); do
          printf '2700003640001,2024-03-11T%02d:%02d:00Z,0.%03d\n' $((h / 2)) $((h % 2 * 30)) "$h"
      done; } >"$work/small.csv"
    chmod 644 "$work/small.csv"
    PGDATABASE=fleet measure "registry of $fleet meters, a 48-line file" 2 "$work/small.csv"
    p "DROP DATABASE fleet" >/dev/null
fi

echo
echo "Peak RSS of \`meterops load\` (GNU time %M; wall time in brackets)"
echo "baseline: $oldname; new: $newname; $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)"
echo
echo "| case | --jobs | baseline | new | new: the file's outcome |"
echo "|---|---|---|---|---|"
printf '%s' "$rows" | awk -F'|' 'NF >= 5 { printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }'
