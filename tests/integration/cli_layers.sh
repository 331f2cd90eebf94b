#!/bin/sh
# cli/ parses options, calls the backend and prints: it makes no libpq call, holds no SQL,
# and reads option values only through its option tables (cli/opt.c).
. "$MO_SRCDIR/tests/lib.sh"
cd "$MO_SRCDIR" || exit 1
is "$(grep -lE 'libpq-fe\.h|\bPQ[a-z][A-Za-z]*\(' cli/*.c cli/*.h | tr '\n' ' ')" "" \
   "no file in cli/ includes libpq or calls a PQ function"
is "$(grep -liE '"[^"]*\b(SELECT|INSERT|UPDATE|DELETE|LISTEN|SET)\b[^"]* (FROM|INTO|SET|meterops|[a-z_]+ *=)' cli/*.c | tr '\n' ' ')" "" \
   "no SQL text in cli/"
is "$(grep -lE '\b(strto(l|ll|ul|ull|d|f)|ato(i|l|ll|f))\(' cli/*.c | grep -vx cli/opt.c | tr '\n' ' ')" "" \
   "numbers on the command line are parsed by cli/opt.c only"
is "$(grep -l 'getopt_long\|struct option ' cli/*.c | grep -vx cli/opt.c | tr '\n' ' ')" "" \
   "every command's options come from its table (cli/opt.h), none calls getopt_long itself"
done_testing
