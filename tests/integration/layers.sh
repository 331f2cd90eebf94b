#!/bin/sh
# The console's layering holds in the source: ui/ never calls libpq nor writes SQL,
# backend/ never draws, and every console query is an embedded file with its purpose on top.
. "$MO_SRCDIR/tests/lib.sh"
cd "$MO_SRCDIR" || exit 1
is "$(grep -lE 'libpq-fe\.h|\bPQ[a-z][A-Za-z]*\(' ui/*.c ui/*.h | tr '\n' ' ')" "" "no file in ui/ includes libpq or calls a PQ function"
is "$(grep -liE '"[^"]*\b(SELECT|INSERT|UPDATE|DELETE|LISTEN)\b[^"]* (FROM|INTO|SET|meterops)' ui/*.c | tr '\n' ' ')" "" "no SQL text in ui/"
is "$(grep -lE '#include <(n?curses|readline)' backend/*.c backend/*.h | tr '\n' ' ')" "" "no file in backend/ includes curses or readline"
is "$(grep -lE '#include "ui/' backend/*.c backend/*.h | tr '\n' ' ')" "" "backend/ does not reach up into ui/"
missing=""
for f in queries/console/*.sql; do
    name=${f#queries/}; name=${name%.sql}
    head -1 "$f" | grep -q "^-- $name: " || missing="$missing $f(purpose)"
    grep -q "queries/console/$(basename "$f")" Makefile.am || missing="$missing $f(embedded)"
    grep -qw "SQL_$(echo "$name" | tr 'a-z/' 'A-Z_')" backend/*.c || missing="$missing $f(unused)"
done
is "$missing" "" "each queries/console/*.sql starts with its purpose, is embedded, and is used by backend/"
done_testing
