#!/bin/sh
# bench/console.sh [BUILDDIR] - how responsive the console is, measured in one run:
#   baseline  key-to-screen latency with the server idle (20 presses of ?, median and max)
#   blocked   the same while the console's query waits on another session's table lock
#   ratio     blocked / baseline median (1.0: a stalled server costs the keys nothing)
#   idle      bytes sent to the terminal in 10 s by a console with nothing to show but the
#             clock (a repaint of a 100x30 screen is about 4 kB)
# A private PostgreSQL (scripts/pg-sandbox) and tmux server are started and removed.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
bin="$build/meterops"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/meterops-bench.XXXXXX")
chmod 755 "$tmp"
export TMUX_TMPDIR="$tmp"
# The console run from the build tree finds its themes in the source tree.
export METEROPS_THEMEDIR="$src/themes"
T="tmux -L bench -f /dev/null"
holder=""
cleanup() {
    [ -n "$holder" ] && kill "$holder" 2>/dev/null || true
    $T kill-server >/dev/null 2>&1 || true
    "$src/scripts/pg-sandbox" stop "$tmp/pg" >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT
"$src/scripts/pg-sandbox" start "$tmp/pg" >/dev/null
db="host=$tmp/pg port=5432 user=postgres dbname=meterops"
"$bin" db migrate --db "$db" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$src/tests/tui/seed.sql" >/dev/null

$T -u new-session -d -x 100 -y 30 "env TERM=tmux-256color LANG=C.UTF-8 XDG_STATE_HOME=$tmp HOME=$tmp \
    $bin console --db '$db' --lock-timeout 0 --statement-timeout 0 --refresh 1"
screen_has() { $T capture-pane -p -t 0 | grep -q "$1"; }
until screen_has "connected"; do sleep 0.1; done
$T send-keys -t 0 2
until screen_has "^ Files  9"; do sleep 0.1; done

# press: milliseconds from sending ? until the help is on screen (then closes it again)
press() {
    t0=$(date +%s%N)
    $T send-keys -t 0 '?'
    until screen_has "^ Keys in"; do :; done
    t1=$(date +%s%N)
    $T send-keys -t 0 x
    while screen_has "^ Keys in"; do :; done
    echo $(( (t1 - t0) / 1000 ))
}
series() { i=0; while [ $i -lt 20 ]; do press; i=$((i + 1)); done | sort -n; }
median() { sed -n 10p; }

base=$(series)
PGAPPNAME=bench_lock psql -X -q -d "$db" -c "BEGIN; LOCK TABLE meterops.load_file; SELECT pg_sleep(600)" >/dev/null 2>&1 &
holder=$!
until [ "$(psql -X -tA -d "$db" -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'meterops console' AND wait_event_type = 'Lock'")" = 1 ]; do sleep 0.1; done
blocked=$(series)
still=$(psql -X -tA -d "$db" -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'meterops console' AND wait_event_type = 'Lock'")
kill "$holder"; holder=""
psql -X -q -d "$db" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'bench_lock'" >/dev/null

$T send-keys -t 0 : && $T send-keys -t 0 -l "refresh 3600" && $T send-keys -t 0 Enter
sleep 2
$T pipe-pane -t 0 -o "cat >> '$tmp/idle.out'"
sleep 10
$T pipe-pane -t 0
idle=$(wc -c <"$tmp/idle.out" | tr -d ' ')

bm=$(echo "$base" | median); bx=$(echo "$base" | tail -1)
km=$(echo "$blocked" | median); kx=$(echo "$blocked" | tail -1)
printf 'key to screen, server idle:     median %d.%03d ms, max %d.%03d ms (20 presses)\n' $((bm / 1000)) $((bm % 1000)) $((bx / 1000)) $((bx % 1000))
printf 'key to screen, query blocked:   median %d.%03d ms, max %d.%03d ms (20 presses; still blocked after: %s)\n' \
    $((km / 1000)) $((km % 1000)) $((kx / 1000)) $((kx % 1000)) "$([ "$still" = 1 ] && echo yes || echo no)"
printf 'ratio blocked/idle (median):    %s\n' "$(awk "BEGIN { printf \"%.2f\", $km / $bm }")"
printf 'idle console, 10 s:             %s bytes to the terminal\n' "$idle"
