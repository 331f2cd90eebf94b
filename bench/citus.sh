#!/bin/sh
# bench/citus.sh [METERS] - one national-day-like file (METERS half-hourly meters x 1 day,
# `meterops gen --seed 1`; default 1000000: 48M readings, about 2 GB of long CSV) loaded in
# one run three ways, on this machine:
#
#  (s) single server: `meterops load --jobs 2` into plain PostgreSQL (the baseline)
#  (c) Citus through the coordinator: the same into a coordinator with 2 workers,
#      `--citus-direct off` (every row through the coordinator's COPY)
#  (d) Citus straight to the workers: the same, `--citus-direct auto` (shardwriter.c)
#
# For each: wall time, readings/s and meter-days/s, the ratio to (s), and the CPU time of
# each node over the load: the postmaster and all its processes, living and reaped
# (/proc/PID/stat utime+stime of each child, plus the postmaster's cutime+cstime for the
# backends that ended), and the loader's own (user+sys from /usr/bin/time). On a 2-core
# machine the cluster cannot be faster than one server (three servers and the loader share
# two cores), so the table also gives the extrapolation to one machine per node: each
# node's share runs in parallel, so the load takes about as long as its busiest node's
# CPU time (one backend per file and worker: one core each), the loader's parse threads
# having a machine of their own.
#
# (c) and (d) load into the same cluster: before (d), (c)'s partitions and queue rows are
# dropped, so both start from empty reading_day partitions. REPEAT=N (default 1) repeats
# the three in turn and reports each run. Uses private servers (scripts/pg-sandbox) under
# BENCH_DIR (default $TMPDIR), stopped and deleted at the end (KEEP=1 keeps them stopped).
# Run it under nice: the machine is shared.
set -eu
meters=${1:-1000000}
start=${START:-2024-03-11}
repeat=${REPEAT:-1}
srcdir=$(cd "$(dirname "$0")/.." && pwd)
bin=${MO_BIN:-$srcdir/build/meterops}
sandbox=$srcdir/scripts/pg-sandbox
[ -x "$bin" ] || { echo "bench/citus.sh: build meterops first ($bin)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/citus.sh: /usr/bin/time missing: apt-get install time" >&2; exit 2; }
[ -f "$(pg_config --pkglibdir 2>/dev/null || echo /usr/lib/postgresql/15/lib)/citus.so" ] ||
    { echo "bench/citus.sh: Citus is not installed" >&2; exit 2; }
work=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/meterops-citus.XXXXXX")
chmod 755 "$work"
sport=${PORT:-6960}
cport=$((sport + 10))
cleanup() {
    PGSANDBOX_PORT=$sport "$sandbox" stop "$work/one" >/dev/null 2>&1 || true
    PGSANDBOX_PORT=$cport "$sandbox" stop "$work/cluster" >/dev/null 2>&1 || true
    [ "${KEEP:-0}" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT INT TERM

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
sub_() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# CPU seconds of a server: the postmaster, its living children, and those it reaped
node_cpu() {
    pm=$(head -1 "$1/postmaster.pid")
    { cat "/proc/$pm/stat"; for c in $(ps -o pid= --ppid "$pm"); do cat "/proc/$c/stat" 2>/dev/null || true; done; } |
        awk -v pm="$pm" -v hz="$(getconf CLK_TCK)" '{
            s = $0; sub(/^[^)]*\) /, "", s); split(s, f, " ")
            t += f[12] + f[13]; if ($1 == pm) t += f[14] + f[15]
        } END { printf "%.2f", t / hz }'
}

echo "generating $meters meters x 1 day from $start (meterops gen --seed 1) ..." >&2
"$bin" gen --meters "$meters" --days 1 --start "$start" --seed 1 --quiet --out "$work/g" >/dev/null
chmod 755 "$work/g"; chmod 644 "$work"/g/*.csv
file=$work/g/readings.csv
readings=$(($(wc -l <"$file") - 1))
mdays=$(awk -F, 'NR > 1 && $1 != last { n++; last = $1 } END { print n + 0 }' "$file")
size=$(du -m "$file" | cut -f1)

PGSANDBOX_PORT=$sport "$sandbox" start "$work/one" >/dev/null
PGSANDBOX_PORT=$cport "$sandbox" start --workers 2 "$work/cluster" >/dev/null
one="host=$work/one port=$sport dbname=meterops user=postgres"
two="host=$work/cluster port=$cport dbname=meterops user=postgres"
for db in "$one" "$two"; do
    "$bin" db migrate --db "$db" >/dev/null 2>&1
    for f in customers tariffs meters; do
        "$bin" load --db "$db" --quiet "$work/g/$f.csv" >/dev/null ||
            { echo "bench/citus.sh: $f.csv did not load" >&2; exit 1; }
    done
done
p() { psql -X -q -v ON_ERROR_STOP=1 -tA -d "$1" -c "$2"; }

forget() { # forget DB: reading_day's partitions and the readings file's queue rows
    p "$1" "DO \$\$ DECLARE r regclass; BEGIN
         FOR r IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'meterops.reading_day'::regclass LOOP
           EXECUTE format('DROP TABLE %s', r);
         END LOOP; END \$\$;
       DELETE FROM meterops.load_error WHERE file_id IN (SELECT file_id FROM meterops.load_file WHERE path = '$file');
       DELETE FROM meterops.load_file WHERE path = '$file'" >/dev/null
}

nodes_of() { # nodes_of RUN: the data directories of the servers of that run
    case $1 in s) echo "$work/one/data" ;; *) echo "$work/cluster/data $work/cluster/worker1/data $work/cluster/worker2/data" ;; esac
}

timed() { # timed RUN DB OPTION: loads the file; sets secs, cpu (per node), lcpu
    forget "$2"
    p "$2" CHECKPOINT >/dev/null
    [ "$1" = s ] || for w in 1 2; do psql -X -q -d "host=$work/cluster port=$((cport + w)) dbname=meterops user=postgres" -c CHECKPOINT; done
    before=""; for d in $(nodes_of "$1"); do before="$before $(node_cpu "$d")"; done
    t0=$(now)
    /usr/bin/time -f "%U %S" -o "$work/time.$1" "$bin" load --db "$2" --jobs 2 --quiet $3 "$file" >"$work/$1.out" 2>&1
    t1=$(now)
    secs=$(elapsed "$t0" "$t1")
    sleep 1 # the loader's backends end after it: their CPU counts once their postmaster reaps them
    cpu=""; set -- "$1" "$2" $before; run=$1; shift 2
    for d in $(nodes_of "$run"); do cpu="$cpu $(sub_ "$1" "$(node_cpu "$d")")"; shift; done
    lcpu=$(awk '{ printf "%.2f", $1 + $2 }' "$work/time.$run")
    got=$(p "$([ "$run" = s ] && echo "$one" || echo "$two")" "SELECT readings_loaded || ' ' || status FROM meterops.load_file WHERE path = '$file'")
    [ "$got" = "$readings loaded" ] || { cat "$work/$run.out" >&2; echo "bench/citus.sh: ($run) '$got', expected '$readings loaded'" >&2; exit 1; }
    if grep -q "through the coordinator" "$work/$run.out"; then
        echo "bench/citus.sh: ($run) fell back to the coordinator" >&2; exit 1
    fi
}

echo "| run | wall s | readings/s | meter-days/s | vs (s) | loader CPU s | coordinator (or server) CPU s | worker 1 CPU s | worker 2 CPU s | busiest node CPU s |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
i=0
while [ $i -lt "$repeat" ]; do
    for r in s c d; do
        case $r in s) db=$one; opt="" ;; c) db=$two; opt="--citus-direct off" ;; d) db=$two; opt="--citus-direct auto" ;; esac
        echo "($r) ..." >&2
        timed "$r" "$db" "$opt"
        [ "$r" = s ] && base=$secs
        set -- $cpu
        busiest=$(printf '%s\n' "$@" | sort -n | tail -1)
        echo "| ($r) | $secs | $(rate "$readings" "$secs") | $(rate "$mdays" "$secs") | $(ratio "$secs" "$base") | $lcpu | $1 | ${2:--} | ${3:--} | $busiest |"
    done
    i=$((i + 1))
done
echo
echo "File: $meters meters x 1 day from $start, $readings readings, $mdays meter-days, $size MB of long CSV; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end."
echo "Sizes: single $(p "$one" "SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) FROM pg_inherits WHERE inhparent = 'meterops.reading_day'::regclass"); cluster shards $(p "$two" "SELECT pg_size_pretty(sum(shard_size)) FROM citus_shards WHERE table_name::text LIKE 'meterops.reading_day_%'")."
