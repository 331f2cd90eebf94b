#!/bin/sh
# A file's name is text from outside: printed by `meterops load`, `requeue` and `status`,
# a newline in it must not forge another summary line, and an escape sequence must not
# reach the terminal. Control characters are shown escaped (\n, \x1B).
. "$MO_SRCDIR/tests/lib.sh"
db=$(fresh_db t_load_names)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
nl='
'
esc=$(printf '\033')
name="$t/a${nl}forged.csv: loaded (file 99): 1 rows loaded, 0 rejected${esc}[2J.csv"
cp "$MO_SRCDIR/tests/fixtures/load/clean.csv" "$name"
"$MO_BIN" load --db "$db" --create-meters --quiet "$name" >"$t/out" 2>"$t/err"
is "$(wc -l <"$t/out" | tr -d ' ')" 1 "one summary line for one file, whatever its name"
like "$(cat "$t/out")" 'a\\nforged\.csv: loaded \(file 99\).*\\x1B\[2J\.csv: (loaded|rejected) \(file 1\)' \
   "the newline and the escape are shown as \\n and \\x1B"
is "$(grep -c "$esc" "$t/out" "$t/err" | awk -F: '{ s += $2 } END { print s }')" 0 "no escape byte is printed"
fid=$(sql "SELECT file_id FROM meterops.load_file" -d t_load_names)
"$MO_BIN" requeue "$fid" --reason "names test" --db "$db" >"$t/out" 2>"$t/err"
is "$(wc -l <"$t/out" | tr -d ' ')" 1 "requeue: one line for one file (stderr: no loader is alive)"
like "$(cat "$t/out")" "a\\\\nforged" "... with the newline escaped"
done_testing
