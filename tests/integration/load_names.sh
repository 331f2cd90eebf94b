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

# Bytes from a file's content: a NUL would cut a message short so that it quotes a valid-
# looking value ('0.5'); an escape sequence in a value must not reach the terminal, nor be
# stored in a message. A line with a NUL byte is refused as such (encoding, the byte's
# place); other control characters are quoted escaped, in the messages printed and stored.
sql "INSERT INTO meterops.meter (mpxn, fuel) VALUES ('5000000001', 'gas')" -d t_load_names >/dev/null
printf 'mpxn,timestamp,kwh\n5000000001,2024-10-01T00:00:00Z,0.5\n5000000001,2024-10-01T00:30:00Z,0.5\000abc\n5000000001,2024-10-01T01:00:00Z,0.5%s[2J\n5000000001\000x,2024-10-01T01:30:00Z,0.5\n' "$esc" >"$t/bytes.csv"
"$MO_BIN" load --db "$db" --max-reject-ratio 1 --quiet "$t/bytes.csv" >"$t/out" 2>"$t/err"; rc=$?
is "$rc" 1 "a file with a NUL byte and an escape in its values: exit 1 (rows rejected)"
like "$(cat "$t/err")" "bytes\.csv:3: the line holds a NUL byte \(byte 36\): not text \[encoding\]" \
   "a line with a NUL byte is refused as such, never quoted cut short"
like "$(cat "$t/err")" "bytes\.csv:5: the line holds a NUL byte \(byte 11\): not text \[encoding\]" "... wherever the NUL is"
like "$(cat "$t/err")" "bytes\.csv:4:3: kwh '0\.5\\\\x1B\[2J' is not a decimal number" "an escape in a value is quoted as \\x1B"
is "$(grep -c "$esc" "$t/out" "$t/err" | awk -F: '{ s += $2 } END { print s }')" 0 "no escape byte is printed"
is "$(sql "SELECT string_agg(line_no || ' ' || code || ' ' || (position(chr(27) in e.message) = 0), ',' ORDER BY line_no) FROM meterops.load_error e JOIN meterops.load_file f USING (file_id) WHERE f.path LIKE '%bytes.csv'" -d t_load_names)" \
   "3 encoding true,4 value_syntax true,5 encoding true" "stored messages hold no escape byte"
is "$(sql "SELECT raw FROM meterops.load_error e JOIN meterops.load_file f USING (file_id) WHERE f.path LIKE '%bytes.csv' AND line_no = 3" -d t_load_names)" \
   '5000000001,2024-10-01T00:30:00Z,0.5\x00abc' "the raw line keeps the NUL as \\x00 (PostgreSQL text cannot hold it)"
is "$(sql "SELECT first_message FROM meterops.load_error_summary s JOIN meterops.load_file f USING (file_id) WHERE f.path LIKE '%bytes.csv' AND code = 'value_syntax'" -d t_load_names)" \
   "kwh '0.5\\x1B[2J' is not a decimal number (digits with an optional decimal point, e.g. 0.215)" "the summary's message is escaped too"

# A failure's message names the file: stored in load_file.message with the name escaped.
sql "INSERT INTO meterops.load_file (path, format, status, bytes)
     VALUES ('$t/gone' || chr(27) || '[2J.csv', 'long', 'queued', 10)" -d t_load_names >/dev/null
"$MO_BIN" load --db "$db" --quiet --queued >"$t/out" 2>"$t/err"
is "$(sql "SELECT status || ' ' || (position(chr(27) in message) = 0) || ' ' || (message LIKE '%gone\\\\x1B[2J.csv: cannot open%')
           FROM meterops.load_file WHERE path LIKE '%gone%'" -d t_load_names)" "failed true true" \
   "a failed file's stored message names it escaped"
done_testing
