#!/bin/sh
# bench/gen.sh [METERS] [DAYS] - how fast `meterops gen` writes readings on ONE core,
# against the raw write ceiling measured in the same invocation: dd and cat copying the
# file gen just produced to the same file system (what it costs only to write those
# bytes). Long and wide layouts, best of RUNS (default 3) each; on the disk under
# BENCH_DIR (default $TMPDIR or /tmp) and, when present, on tmpfs (/dev/shm), where the
# write costs least and the generator's own CPU shows. Prints a Markdown section and
# replaces the "## Generator" section of bench/RESULTS.md with it (BENCH_NO_RESULTS=1
# to leave the file alone).
# Defaults: 10000 meters x 30 days = 14.4 M readings (about 600 MB of long CSV).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
bin=${MO_BIN:-$top/build/meterops}
meters=${1:-10000}
days=${2:-30}
runs=${RUNS:-3}
start=${BENCH_START:-2024-01-01}
[ -x "$bin" ] || { echo "bench/gen.sh: $bin not built (run scripts/check or make)" >&2; exit 2; }

one_core=""
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then one_core="taskset -c 0"; fi

# Children's user and system CPU seconds so far: the second line of the shell's `times`,
# which must run in this shell (not in a pipeline or $(...), whose subshell has no children).
times_file=$(mktemp)
cpu_parse() {
    awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.3f %.3f\n", u[1] * 60 + u[2], s[1] * 60 + s[2] }' "$times_file"
}
now() { date +%s.%N; }

# timed CMD...: runs CMD, sets wall, user, sys (seconds).
timed() {
    times >"$times_file"; c0=$(cpu_parse); t0=$(now)
    "$@"
    t1=$(now); times >"$times_file"; c1=$(cpu_parse)
    wall=$(echo "$t0 $t1" | awk '{ printf "%.3f", $2 - $1 }')
    user=$(echo "$c0 $c1" | awk '{ printf "%.3f", $3 - $1 }')
    sys=$(echo "$c0 $c1" | awk '{ printf "%.3f", $4 - $2 }')
}

report=$(mktemp)
trap 'rm -rf "$report" "$times_file" ${dirs:-}' EXIT
dirs=""

bench_on() { # bench_on BASE LABEL (LABEL without spaces)
    base=$1 label=$2
    d=$(mktemp -d "$base/meterops-bench-gen.XXXXXX")
    dirs="$dirs $d"
    for fmt in long wide; do
        best=""; bu=""; bs=""
        i=0
        while [ $i -lt "$runs" ]; do
            rm -rf "$d/out"
            timed $one_core "$bin" gen --quiet --meters "$meters" --days "$days" --start "$start" \
                --format "$fmt" --seed 1 --out "$d/out"
            if [ -z "$best" ] || [ "$(echo "$wall $best" | awk '{ print ($1 < $2) }')" = 1 ]; then
                best=$wall; bu=$user; bs=$sys
            fi
            i=$((i + 1))
        done
        bytes=$(wc -c <"$d/out/readings.csv")
        if [ "$fmt" = long ]; then
            readings=$(($(wc -l <"$d/out/readings.csv") - 1))
        else
            readings=$(tail -n +2 "$d/out/readings.csv" | tr ',' '\n' | grep -c '\.')
        fi
        dd_best=""; cat_best=""
        i=0
        while [ $i -lt "$runs" ]; do
            rm -f "$d/copy"
            timed $one_core dd if="$d/out/readings.csv" of="$d/copy" bs=4M status=none
            if [ -z "$dd_best" ] || [ "$(echo "$wall $dd_best" | awk '{ print ($1 < $2) }')" = 1 ]; then dd_best=$wall; fi
            rm -f "$d/copy"
            timed $one_core sh -c 'cat "$1" >"$2"' sh "$d/out/readings.csv" "$d/copy"
            if [ -z "$cat_best" ] || [ "$(echo "$wall $cat_best" | awk '{ print ($1 < $2) }')" = 1 ]; then cat_best=$wall; fi
            i=$((i + 1))
        done
        rm -f "$d/copy"
        ceiling=$(echo "$dd_best $cat_best" | awk '{ print ($1 < $2) ? $1 : $2 }')
        echo "$label $fmt $readings $bytes $best $bu $bs $dd_best $cat_best $ceiling" | awk '{
            mb = $4 / 1e6
            printf "| %s | %s | %.1f M | %.0f MB | %.2f s (user %.2f, sys %.2f) | **%.2f M/s** | %.0f MB/s | %.2f M/s | %.2f s / %.2f s | %.0f MB/s | %.2f |\n",
                $1, $2, $3 / 1e6, mb, $5, $6, $7, $3 / $5 / 1e6, mb / $5, $3 / ($6 + $7) / 1e6, $8, $9, mb / $10, $10 / $5
        }' >>"$report"
        rm -rf "$d/out"
    done
}

bench_on "${BENCH_DIR:-${TMPDIR:-/tmp}}" "disk:${BENCH_DIR:-${TMPDIR:-/tmp}}"
[ -d /dev/shm ] && [ -w /dev/shm ] && bench_on /dev/shm "tmpfs:/dev/shm"

cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo unknown)
section=$(mktemp)
{
    echo "## Generator"
    echo
    echo "\`bench/gen.sh $meters $days\` ($(date -u +%Y-%m-%d), $(nproc) cores: $cpu_model; ${one_core:-not pinned}; best of $runs):"
    echo "\`meterops gen --meters $meters --days $days --start $start --format long|wide\`, then \`dd bs=4M\` and"
    echo "\`cat\` copying the file gen produced on the same file system: the raw write ceiling."
    echo
    echo "| where | layout | readings | size | gen wall (CPU) | gen readings/s | gen MB/s | readings per CPU-s | dd / cat | ceiling MB/s | gen vs ceiling |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    cat "$report"
    echo
    echo "\"gen vs ceiling\" is the copy's time over gen's: 1.00 means generating, formatting and"
    echo "writing the file costs no more than copying the finished bytes. Readings per CPU-second"
    echo "(user + system) is the rate with the write's kernel time included but no waiting."
} >"$section"
cat "$section"

if [ "${BENCH_NO_RESULTS:-0}" != 1 ]; then
    results="$here/RESULTS.md"
    touch "$results"
    # Replace our section (up to the next "## " heading), or append it.
    awk -v sec="$section" '
        /^## / { skipping = ($0 == "## Generator") }
        /^## Generator$/ { while ((getline l < sec) > 0) print l; print ""; done = 1 }
        !skipping { print }
        END { if (!done) { if (NR) print ""; while ((getline l < sec) > 0) print l } }
    ' "$results" >"$results.new" && mv "$results.new" "$results"
    echo "(written to bench/RESULTS.md, section \"## Generator\")"
fi
rm -f "$section"
