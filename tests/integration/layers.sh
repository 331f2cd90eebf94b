#!/bin/sh
# The layering holds in the source: ui/ never reaches libpq nor writes SQL, backend/ never
# draws nor reaches up into ui/ or cli/, cli/ reaches no libpq, and every console query is
# an embedded file with its purpose on top.
#
# What a file includes is read from the preprocessor (`cc -M` with the build's own flags,
# taken from the build's Makefile), so a header that pulls libpq-fe.h or curses.h in two
# floors down counts as much as a direct #include.
. "$MO_SRCDIR/tests/lib.sh"
cd "$MO_SRCDIR" || exit 1
src=$(pwd -P)
work=$(tmpdir)
trap 'rm -rf "$work"' EXIT

# The compiler and preprocessor flags the build uses, expanded by make itself.
flags=$(printf 'print-layers-flags:\n\t@echo "LAYERS_CC=$(CC)"\n\t@echo "LAYERS_FLAGS=$(DEFS) $(DEFAULT_INCLUDES) $(AM_CPPFLAGS) $(CPPFLAGS) $(AM_CFLAGS) $(CFLAGS)"\n' |
    make -s -C "$MO_BUILDDIR" -f Makefile -f - print-layers-flags 2>/dev/null)
cc=$(printf '%s\n' "$flags" | sed -n 's/^LAYERS_CC=//p')
cflags=$(printf '%s\n' "$flags" | sed -n 's/^LAYERS_FLAGS=//p')
like "$cc" "." "the build's compiler and flags are known"

# deps FILE: every file FILE reads through #include, transitively, one absolute path a line.
# Runs in the build directory, where the build's relative -I flags point.
deps() {
    # shellcheck disable=SC2086 # cflags is a list of flags
    (cd "$MO_BUILDDIR" && $cc $cflags -x c -M -MT x "$1") >"$work/m" 2>"$work/err" || return 1
    tr '\\' ' ' <"$work/m" | tr ' \t' '\n\n' | sed -e '1d' -e '/^$/d' |
        (cd "$MO_BUILDDIR" && xargs realpath -m) | { grep -vxF "$1" || true; }
}

# reaches FILE ERE: the files FILE reads whose absolute path matches ERE, space-separated.
reaches() { grep -E "$2" "$work/deps/$(echo "$1" | tr / _)" | tr '\n' ' ' | sed 's/ $//'; }

mkdir "$work/deps"
unread=""
for f in ui/*.c ui/*.h backend/*.c backend/*.h cli/*.c cli/*.h; do
    deps "$src/$f" >"$work/deps/$(echo "$f" | tr / _)" || unread="$unread $f($(head -c 200 "$work/err"))"
done
is "$unread" "" "the preprocessor reads every file of ui/, backend/ and cli/ with the build's flags"

LIBPQ='/libpq-fe\.h$'
CURSES='/n?curses(w)?\.h$|/ncursesw?/|/readline/'

# The check sees through headers: a file that includes db.h reaches libpq-fe.h, one that
# includes ui/draw.h reaches curses. Without this a broken preprocessor step would pass.
printf '#include "backend/db.h"\n' >"$work/canary_pq.c"
printf '#include "ui/draw.h"\n' >"$work/canary_curses.c"
like "$(deps "$work/canary_pq.c" | grep -E "$LIBPQ")" "libpq-fe" "a file including backend/db.h is seen to reach libpq-fe.h"
like "$(deps "$work/canary_curses.c" | grep -E "$CURSES")" "curses" "a file including ui/draw.h is seen to reach curses"

# violations GLOB ERE [EXCEPTIONS]: "file(header ...)" for each file of GLOB that reaches ERE.
violations() {
    out=""
    for f in $1; do
        hit=$(reaches "$f" "$2")
        [ -n "$hit" ] && out="$out $f($(echo "$hit" | sed "s|$src/||g"))"
    done
    echo "${out# }"
}

is "$(violations 'ui/*.c ui/*.h' "$LIBPQ")" "" "nothing in ui/ reaches libpq-fe.h, directly or through a header"
is "$(violations 'ui/*.c ui/*.h' "^$src/cli/")" "" "nothing in ui/ includes a cli/ header"
is "$(violations 'backend/*.c backend/*.h' "$CURSES")" "" "nothing in backend/ reaches curses or readline"
is "$(violations 'backend/*.c backend/*.h' "^$src/(ui|cli)/")" "" "backend/ does not reach up into ui/ or cli/"

# cli/ talks to the database through backend/ only: not even a libpq type reaches it.
is "$(violations 'cli/*.c cli/*.h' "$LIBPQ")" "" "nothing in cli/ reaches libpq-fe.h, directly or through a header"

is "$(grep -lE '\bPQ[a-z][A-Za-z]*\(' ui/*.c ui/*.h | tr '\n' ' ')" "" "no file in ui/ calls a PQ function"
is "$(grep -liE '"[^"]*\b(SELECT|INSERT|UPDATE|DELETE|LISTEN)\b[^"]* (FROM|INTO|SET|meterops)' ui/*.c | tr '\n' ' ')" "" "no SQL text in ui/"
missing=""
for f in queries/console/*.sql; do
    name=${f#queries/}; name=${name%.sql}
    head -1 "$f" | grep -q "^-- $name: " || missing="$missing $f(purpose)"
    grep -q "queries/console/$(basename "$f")" Makefile.am || missing="$missing $f(embedded)"
    grep -qw "SQL_$(echo "$name" | tr 'a-z/' 'A-Z_')" backend/*.c || missing="$missing $f(unused)"
done
is "$missing" "" "each queries/console/*.sql starts with its purpose, is embedded, and is used by backend/"
done_testing
