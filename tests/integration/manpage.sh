#!/bin/sh
# doc/meterops.1 and the option tables agree: every option of a command's table (cli/opt.h,
# listed by `meterops help --options`) is an item (.TP) of that command's section of the
# man page, and the man page names no option the command does not take. --db is every
# command's and is described once, under CONNECTING.
. "$MO_SRCDIR/tests/lib.sh"
man="$MO_SRCDIR/doc/meterops.1"

tables=$("$MO_BIN" help --options); rc=$?
is "$rc" 0 "meterops help --options lists the tables"
like "$tables" "^console --theme" "the list names each command's options"

# "CMD --option" for each .TP item in a "meterops CMD ..." section of the man page.
documented=$(sed 's/\\-/-/g' "$man" | awk '
    /^\.SH/ { cmd = ""; next }
    /^\.SS/ { line = $0; gsub(/"/, "", line); split(line, w, " ")
              cmd = (w[2] == "meterops") ? w[3] : ""; gsub(/[][]/, "", cmd); next }
    /^\.TP/ { tag = 1; next }
    tag { tag = 0
          if (cmd == "") next
          s = $0
          while (match(s, /--[a-z][a-z-]*/)) { print cmd " " substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH) } }' |
    sort -u)
want=$(printf '%s\n' "$tables" | grep -v ' --db$' | sort -u)

is "$(printf '%s\n' "$want" | grep -vxF "$documented" | tr '\n' ' ')" "" \
   "every option in the tables is an item of its command's section in doc/meterops.1"
is "$(printf '%s\n' "$documented" | grep -vxF "$want" | tr '\n' ' ')" "" \
   "doc/meterops.1 documents no option a command does not take"
commands_with_db=$(printf '%s\n' "$tables" | grep -c ' --db$')
ok "$([ "$commands_with_db" -ge 1 ] && grep -q '^\.B \\-\\-db$' "$man"; echo $?)" "--db is described under CONNECTING"
done_testing
