#!/bin/sh
# `meterops load` on a terminal and off it. On a real TTY (tmux) a throttled load of a
# generated readings file draws one bar line: the file's name, the bar, a percentage that
# moves, the rate and an ETA, never wider than the terminal (40 columns included), gone once
# the file's summary line is printed; meanwhile load_file.progress_rows grows within the
# file's row count. With stdout, or stdout and stderr, not a terminal: exactly one summary
# line per file and not one escape sequence or carriage return.
. "$MO_SRCDIR/tests/tui/common.sh"
data="$TUI_TMP/data"
"$MO_BIN" gen --meters 40 --days 2 --start 2024-05-01 --seed 11 --quiet --out "$data" ||
    { echo "not ok 1 - gen"; exit 1; }
rows() { echo $(($(wc -l < "$data/$1.csv") - 1)); }
total=$(rows readings)
registry="$data/customers.csv $data/tariffs.csv $data/meters.csv $data/bills.csv"
# About ten chunks of readings, each followed by a pause: a load of a few seconds, long
# enough for the bar to be redrawn and progress_rows to be renewed (every second) often.
SLOW="MO_LOAD_CHUNK_BYTES=16384 MO_LOAD_THROTTLE_MS=400"
ESC=$(printf '\033')
CR=$(printf '\r')

# fresh N [registry]: database t_tui_load_progress_N, migrated, with the registry loaded
# when asked; prints its conninfo.
fresh() {
    _db=$(fresh_db "t_tui_load_progress_$1")
    "$MO_BIN" db migrate --db "$_db" >/dev/null || return 1
    if [ "${2:-}" = registry ]; then
        # shellcheck disable=SC2086 # the list of registry files
        "$MO_BIN" load --db "$_db" $registry >/dev/null 2>&1 || return 1
    fi
    echo "$_db"
}
q() { sql "$1" -d "t_tui_load_progress_$2"; }

# load_start COLUMNS STDOUT-FILE|"" -- LOAD-ARGS...: `meterops load LOAD-ARGS`, slowed, in a
# fresh tmux session COLUMNS wide with stderr (and stdout unless a file is named) on its
# terminal. Its status lands in $TUI_TMP/exit.N like tui_start's.
load_start() {
    _w=$1 _out=$2
    shift 3
    tmx kill-server >/dev/null 2>&1
    TUI_N=$((TUI_N + 1))
    _run="$TUI_TMP/run.$TUI_N.sh"
    {
        echo "export TERM=tmux-256color LANG=C.UTF-8 LC_ALL= HOME=$(_q "$TUI_TMP") $SLOW"
        printf '%s load' "$(_q "$MO_BIN")"
        for a in "$@"; do printf ' %s' "$(_q "$a")"; done
        [ -n "$_out" ] && printf ' >%s' "$(_q "$_out")"
        echo
        echo "echo \$? > $(_q "$TUI_TMP/exit.$TUI_N")"
        echo "exec sleep 600"
    } > "$_run"
    tmx -u new-session -d -x "$_w" -y 30 "sh $_run"
}

# joined: the screen with the lines the terminal wrapped joined again, as printed.
joined() { tmx capture-pane -p -J -t 0; }

# watch N: until the Nth load exits (the generous limit only keeps a hung loader from
# hanging the suite), the bar lines seen on screen go to bars.N and the readings file's
# progress_rows, while the database says it is loading, to progress.N.
watch() {
    : > "$TUI_TMP/bars.$1"
    : > "$TUI_TMP/progress.$1"
    _i=0
    while [ ! -s "$TUI_TMP/exit.$1" ] && [ $_i -lt 1200 ]; do
        joined | grep -E 'ETA|%' >> "$TUI_TMP/bars.$1"
        q "SELECT progress_rows FROM meterops.load_file
           WHERE status = 'loading' AND path LIKE '%/readings.csv'" "$1" >> "$TUI_TMP/progress.$1"
        sleep 0.1
        _i=$((_i + 1))
    done
}

# summary PATH ROWS: the summary line of a clean load of PATH with ROWS rows (a regex).
summary() { echo "^$1: loaded \\(file [0-9]+\\): $2 rows loaded, 0 rejected, [0-9]+ readings in [0-9.]+ s"; }
# each_once OUTPUT: the files whose summary line OUTPUT does not hold exactly once.
each_once() {
    for f in customers tariffs meters bills readings; do
        n=$(grep -cE "$(summary "$data/$f.csv" "$(rows $f)")" "$1")
        [ "$n" = 1 ] || printf ' %s(%s)' "$f" "$n"
    done
}
# A bar's remnant: the bar, its figures.
remnant='\[[#.]+\]|rows/s|ETA '

# --- 1: a terminal 100 columns wide ------------------------------------------------------
db=$(fresh 1 registry) || { echo "not ok 1 - set-up"; exit 1; }
load_start 100 "" -- --db "$db" "$data/readings.csv"
watch 1
is "$(tui_exit_status 1)" 0 "the load exits 0"
full='^readings\.csv \[[#.]{30}\] +[0-9]{1,3}%  +[0-9.]+[kM]? rows  +[0-9.]+[kM]? rows/s  ETA [0-9]+:[0-9]{2}$'
like "$(cat "$TUI_TMP/bars.1")" "$full" \
    "the bar names the file, then the bar, a percentage, rows so far, the rate and an ETA"
pcts=$(grep -oE ' [0-9]{1,3}% ' "$TUI_TMP/bars.1" | sort -u | wc -l)
ok "$([ "$pcts" -ge 2 ]; echo $?)" "the percentage moves while the file loads ($pcts different ones seen)"
# progress_rows as the database showed it: every value within 0..total, never going back,
# and more than one value seen.
prog=$(awk -v t="$total" '
    $1 !~ /^[0-9]+$/ || $1 > t { bad = bad " " $1 }
    NR > 1 && $1 < prev { bad = bad " " prev ">" $1 }
    { prev = $1; if (!($1 in seen)) { seen[$1]; n++ } }
    END { print (bad == "" && n >= 2) ? "ok" : "values" bad ", " n " distinct" }' "$TUI_TMP/progress.1")
is "$prog" ok "while it loads, load_file.progress_rows grows within 0..$total ($(sort -nu "$TUI_TMP/progress.1" | tr '\n' ' '))"
after=$(joined)
like "$after" "$(summary "$data/readings.csv" "$total")" "the screen ends with the file's summary line"
is "$(printf '%s\n' "$after" | grep -E "$remnant")" "" "and no remnant of the bar"
is "$(q "SELECT status || ' ' || rows_total || ' ' || rows_loaded || ' ' || rows_rejected
          FROM meterops.load_file WHERE path LIKE '%/readings.csv'" 1)" "loaded $total $total 0" \
   "the database says loaded, $total rows of $total, none rejected"

# --- 2: a terminal 40 columns wide -------------------------------------------------------
db=$(fresh 2 registry) || { echo "not ok 9 - set-up"; exit 1; }
load_start 40 "" -- --db "$db" "$data/readings.csv"
watch 2
is "$(tui_exit_status 2)" 0 "40 columns: the load exits 0"
like "$(cat "$TUI_TMP/bars.2")" '^(readings\.csv|~[a-z]*\.csv)( \[[#.]+\])? +[0-9]{1,3}% +[0-9.]+[kM]?/s ETA [0-9]+:[0-9]{2}$' \
    "40 columns: the bar keeps the name, the percentage, the rate and the ETA"
# The terminal wrapping a bar line would show as a joined line wider than the terminal.
is "$(awk 'length > 40' "$TUI_TMP/bars.2" | head -3)" "" "40 columns: no bar line is wider than the terminal"
after=$(joined)
like "$after" "$(summary "$data/readings.csv" "$total")" "40 columns: the screen ends with the file's summary line"
is "$(printf '%s\n' "$after" | grep -E "$remnant")" "" "40 columns: and no remnant of the bar"

# --- 3: stdout to a file, stderr on the terminal ------------------------------------------
# Registry and readings in one run: five files, five summary lines.
db=$(fresh 3) || { echo "not ok 14 - set-up"; exit 1; }
# shellcheck disable=SC2086 # the list of registry files
load_start 100 "$TUI_TMP/out.3" -- --db "$db" $registry "$data/readings.csv"
watch 3
is "$(tui_exit_status 3)" 0 "stdout to a file: the load exits 0"
like "$(cat "$TUI_TMP/bars.3")" "$full" "stdout to a file: the bar is still drawn on the terminal (stderr)"
is "$(wc -l < "$TUI_TMP/out.3" | tr -d ' ')" 5 "stdout to a file: five lines for five files"
is "$(each_once "$TUI_TMP/out.3")" "" "stdout to a file: one summary line for each file, with its rows"
is "$(grep -c "$ESC\\|$CR" "$TUI_TMP/out.3")" 0 "stdout to a file: no escape sequence, no carriage return"
is "$(joined | grep -E "$remnant|: loaded ")" "" "stdout to a file: the terminal keeps neither the bar nor a summary line"

# --- 4: neither stdout nor stderr a terminal -------------------------------------------------
db=$(fresh 4) || { echo "not ok 20 - set-up"; exit 1; }
# shellcheck disable=SC2086 # the list of registry files, and the slowing variables
env $SLOW "$MO_BIN" load --db "$db" $registry "$data/readings.csv" >"$TUI_TMP/out.4" 2>"$TUI_TMP/err.4"
is "$?" 0 "no terminal: the load exits 0"
is "$(grep -vcE "$(summary '[^:]+' '[0-9]+')" "$TUI_TMP/out.4")" 0 "no terminal: stdout holds summary lines only"
is "$(each_once "$TUI_TMP/out.4")" "" "no terminal: one summary line for each file, with its rows"
is "$(cat "$TUI_TMP/out.4" "$TUI_TMP/err.4" | grep -c "$ESC\\|$CR")" 0 \
   "no terminal: no escape sequence, no carriage return on stdout or stderr"
is "$(grep -E "$remnant" "$TUI_TMP/err.4")" "" "no terminal: no bar on stderr"
is "$(q "SELECT string_agg(status, ',') FROM meterops.load_file" 4)" "loaded,loaded,loaded,loaded,loaded" \
   "no terminal: the database says all five loaded"
done_testing
