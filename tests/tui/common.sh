# common.sh - driving the real console in tmux for the tests/tui/*.sh scripts (sourced
# after tests/lib.sh's variables are set by `make check`). Every script gets its own tmux
# server (-L, a socket named after the script and its pid) and its own temp dir; both go
# away on exit whatever happened.
. "$MO_SRCDIR/tests/lib.sh"

TUI_SOCK="mo-tui-$(basename "$0" .sh)"
TUI_TMP=$(tmpdir)
# tmux's sockets live in the test's own temp dir, and go with it.
export TMUX_TMPDIR="$TUI_TMP"
TUI_N=0
# One tmux server per console started: a server being shut down cannot be reused at once.
tmx() { tmux -L "$TUI_SOCK.$TUI_N" -f /dev/null "$@"; }
tui_cleanup() {
    _k=1
    while [ $_k -le $TUI_N ]; do tmux -L "$TUI_SOCK.$_k" kill-server >/dev/null 2>&1; _k=$((_k + 1)); done
    rm -rf "$TUI_TMP"
}
trap tui_cleanup EXIT
trap 'exit 1' INT TERM

# tui_seed DBNAME: a fresh, migrated database holding what the loader writes for a day of
# files (tests/tui/seed.sql); prints its conninfo. The one place the console tests get
# their data from.
tui_seed() {
    _db=$(fresh_db "$1")
    "$MO_BIN" db migrate --db "$_db" >/dev/null || return 1
    psql -X -q -v ON_ERROR_STOP=1 -d "$1" -f "$MO_SRCDIR/tests/tui/seed.sql" >/dev/null || return 1
    echo "$_db"
}

_q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

# tui_start [VAR=VALUE...] -- MO_ARGS...: runs `meterops MO_ARGS` in a fresh tmux session
# of TUI_W x TUI_H (default 100x30) with TERM=$TUI_TERM (default tmux-256color, what tmux emulates) and a UTF-8
# locale unless VARs say otherwise. When it exits, its status lands in $TUI_TMP/exit.N.
tui_start() {
    tmx kill-server >/dev/null 2>&1
    TUI_N=$((TUI_N + 1))
    _run="$TUI_TMP/run.$TUI_N.sh"
    {
        echo "export TERM=${TUI_TERM:-tmux-256color} LANG=C.UTF-8 LC_ALL= HOME=$(_q "$TUI_TMP")"
        echo "export XDG_STATE_HOME=$(_q "$TUI_TMP/state") INPUTRC=/dev/null"
        echo "unset NO_COLOR TMUX"
        # Ctrl-C in the pane signals this shell too: it must survive to record the status.
        echo "trap true INT"
        while [ "$1" != "--" ]; do echo "export $(printf '%s' "$1" | cut -d= -f1)=$(_q "${1#*=}")"; shift; done
        shift
        printf '%s' "$(_q "$MO_BIN")"
        for a in "$@"; do printf ' %s' "$(_q "$a")"; done
        echo " 2>$(_q "$TUI_TMP/stderr.$TUI_N")"
        echo "echo \$? > $(_q "$TUI_TMP/exit.$TUI_N")"
        echo "exec sleep 600"
    } > "$_run"
    tmx -u new-session -d -x "${TUI_W:-100}" -y "${TUI_H:-30}" "sh $_run"
}

tui_screen() { tmx capture-pane -p -t 0; }
tui_keys() { tmx send-keys -t 0 "$@"; }
# tui_type TEXT: sends the text literally (no key names)
tui_type() { tmx send-keys -t 0 -l "$1"; }

# tui_wait REGEX [SECONDS]: waits until the screen matches the extended regex; 0 when it
# does, 1 after SECONDS (default 15). A wait, not a timing assertion: the generous limit
# only keeps a broken console from hanging the suite.
tui_wait() {
    _i=0
    _limit=$(( ${2:-15} * 10 ))
    while [ $_i -lt $_limit ]; do
        tui_screen | grep -Eq -- "$1" && return 0
        sleep 0.1
        _i=$((_i + 1))
    done
    return 1
}

# tui_wait_gone REGEX [SECONDS]: until nothing on the screen matches.
tui_wait_gone() {
    _i=0
    _limit=$(( ${2:-15} * 10 ))
    while [ $_i -lt $_limit ]; do
        tui_screen | grep -Eq -- "$1" || return 0
        sleep 0.1
        _i=$((_i + 1))
    done
    return 1
}

# tui_settle [SECONDS]: waits until the screen stops changing (two captures 0.2 s apart
# agree): a frame being drawn has been drawn. 0 when it did, 1 after SECONDS (default 15).
tui_settle() {
    _i=0
    _limit=$(( ${1:-15} * 5 ))
    _prev=$(tui_screen)
    while [ $_i -lt $_limit ]; do
        sleep 0.2
        _now=$(tui_screen)
        [ "$_now" = "$_prev" ] && return 0
        _prev=$_now
        _i=$((_i + 1))
    done
    return 1
}

# tui_ticks N [SECONDS]: waits until the header's clock has moved on N times (each within
# SECONDS, default 15): the console's own measure of time passing.
tui_ticks() {
    _t=$1
    while [ "$_t" -gt 0 ]; do
        _c=$(tui_screen | head -1 | grep -Eo '[0-9]{2}:[0-9]{2}:[0-9]{2}$')
        [ -n "$_c" ] || return 1
        tui_wait_gone "^ meterops .* $_c\$" "${2:-15}" || return 1
        _t=$((_t - 1))
    done
}

# tui_exit_status N [SECONDS]: the exit status of the Nth console started, once it exited.
tui_exit_status() {
    _i=0
    while [ ! -s "$TUI_TMP/exit.$1" ] && [ $_i -lt $(( ${2:-15} * 10 )) ]; do sleep 0.1; _i=$((_i + 1)); done
    cat "$TUI_TMP/exit.$1" 2>/dev/null || echo "still running"
}

# tui_line REGEX: the first screen line matching, for a readable failure message.
tui_line() { tui_screen | grep -E -- "$1" | head -1; }

# tui_click X Y [double]: a left click at column X, line Y (0-based) as an xterm mouse
# report, the way the terminal sends it once the console asked for the mouse.
_mchar() { printf "\\$(printf '%03o' "$1")"; }
tui_click() {
    _x=$(_mchar $((33 + $1))); _y=$(_mchar $((33 + $2)))
    tmx send-keys -t 0 -l "$(printf '\033[M ')$_x$_y"
    tmx send-keys -t 0 -l "$(printf '\033[M#')$_x$_y"
    if [ "${3:-}" = double ]; then
        tmx send-keys -t 0 -l "$(printf '\033[M ')$_x$_y"
        tmx send-keys -t 0 -l "$(printf '\033[M#')$_x$_y"
    fi
    # Clicks closer together than the console's double-click interval (200 ms) would
    # become one double click.
    sleep 0.3
}
# tui_wheel X Y up|down
tui_wheel() {
    _b=$([ "$3" = up ] && echo 96 || echo 97)
    tmx send-keys -t 0 -l "$(printf '\033[M')$(_mchar $_b)$(_mchar $((33 + $1)))$(_mchar $((33 + $2)))"
}

# tui_stderr: what the consoles started so far wrote to stderr (a sanitizer's report, a
# libpq notice...): it should be nothing.
tui_stderr() { cat "$TUI_TMP"/stderr.* 2>/dev/null; }
