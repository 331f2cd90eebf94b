#!/bin/sh
# --max-line-bytes: a line over the limit is rejected as line_too_long with its line
# number and its first 200 bytes, without being held (the loader reads on to its newline),
# and the rest of the file loads; the stored sha256 is still the whole file's. Lines over
# the limit inside a chunk, across chunks (64-byte chunks), much longer than a chunk, at
# the end without a newline, at one or two jobs; a registry feed's line the same way.
. "$MO_SRCDIR/tests/lib.sh"
db=$(fresh_db t_line_limit)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q() { sql "$1" -d t_line_limit; }
q "INSERT INTO meterops.meter (mpxn, fuel, interval_minutes) VALUES ('2700003640001', 'elec', 30)"
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT

# n bytes of a reading line padded with spaces inside the value field (valid CSV)
long_line() { # long_line HOUR BYTES
    head=$(printf '2700003640001,2024-06-01T%02d:00:00Z,' "$1")
    printf '%s%*s0.001\n' "$head" $(($2 - ${#head} - 5)) ""
}
{
    echo "mpxn,timestamp,kwh"
    echo "2700003640001,2024-06-01T00:00:00Z,0.100"     # 2
    long_line 1 5000                                      # 3: over 4096
    echo "2700003640001,2024-06-01T02:00:00Z,0.200"     # 4
    long_line 3 3000000                                   # 5: far over, and over a chunk
    echo "2700003640001,2024-06-01T04:00:00Z,0.300"     # 6
    long_line 5 4096                                      # 7: at the limit: loads
    long_line 6 4097 | tr -d '\n'                         # 8: over, and no newline at the end
} >"$t/long.csv"
sum=$(sha256sum "$t/long.csv" | cut -c1-64)

n=0
for run in "1 default" "2 default" "1 64" "2 64"; do
    jobs=${run% *}; chunk=${run#* }
    n=$((n + 1))
    cp "$t/long.csv" "$t/long$n.csv"
    if [ "$chunk" = default ]; then
        out=$("$MO_BIN" load --db "$db" --quiet --jobs "$jobs" --max-line-bytes 4096 --max-reject-ratio 1 "$t/long$n.csv" 2>&1); rc=$?
    else
        out=$(MO_LOAD_CHUNK_BYTES=$chunk "$MO_BIN" load --db "$db" --quiet --jobs "$jobs" --max-line-bytes 4096 --max-reject-ratio 1 "$t/long$n.csv" 2>&1); rc=$?
    fi
    id=$(q "SELECT file_id FROM meterops.load_file WHERE path = '$t/long$n.csv'")
    is "$rc" 1 "jobs $jobs, chunks $chunk: rows rejected, exit 1"
    is "$(q "SELECT status || ' ' || rows_total || ' ' || rows_loaded || ' ' || rows_rejected FROM meterops.load_file WHERE file_id = $id")" \
       "loaded 7 4 3" "... 7 rows: 4 loaded, the 3 over the limit rejected"
    is "$(q "SELECT string_agg(line_no || ':' || coalesce(column_name, '-') || ':' || code, ' ' ORDER BY line_no) FROM meterops.load_error WHERE file_id = $id")" \
       "3:-:line_too_long 5:-:line_too_long 8:-:line_too_long" "... line_too_long at lines 3, 5 and 8"
    is "$(q "SELECT sha256 FROM meterops.load_file WHERE file_id = $id")" "$sum" "... and the sha256 is the whole file's"
    # (file ids differ, the content is the same: each copy is requeued over the last)
    q "UPDATE meterops.load_file SET status = 'rejected' WHERE file_id = $id" >/dev/null
    q "TRUNCATE meterops.reading_day, meterops.meter_seen" >/dev/null
done
is "$(q "SELECT message FROM meterops.load_error WHERE line_no = 5 LIMIT 1")" \
   "the line is 3000000 bytes long, more than the limit of 4096 bytes (--max-line-bytes)" "the message gives the line's length and the limit"
is "$(q "SELECT length(raw) FROM meterops.load_error WHERE line_no = 5 LIMIT 1")" 200 "the raw text kept is the line's first 200 bytes"
like "$out" "long4.csv:5:.*line_too_long|long4.csv" "the terminal names the file"

# The default limit (1 MiB) takes the widest real lines and refuses a 2 MB one.
{ echo "mpxn,timestamp,kwh"; long_line 1 2000000; echo "2700003640001,2024-06-01T08:00:00Z,0.400"; } >"$t/default.csv"
"$MO_BIN" load --db "$db" --quiet --max-reject-ratio 1 "$t/default.csv" >/dev/null 2>&1
is "$(q "SELECT rows_loaded || ' ' || rows_rejected || ' ' || (SELECT string_agg(line_no || ':' || code, ' ') FROM meterops.load_error e WHERE e.file_id = f.file_id) FROM meterops.load_file f WHERE path = '$t/default.csv'")" \
   "1 1 2:line_too_long" "default limit: a 2 MB line is line_too_long, the next line loads"

# A registry feed: the same rule, the other records load.
"$MO_BIN" gen --quiet --meters 5 --days 1 --start 2024-03-11 --seed 3 --out "$t/gen" >/dev/null || echo "gen failed"
{ cat "$t/gen/customers.csv"; printf 'C9%8998s\n' x; } >"$t/customers.csv"
"$MO_BIN" load --db "$db" --quiet --max-line-bytes 4096 --max-reject-ratio 1 "$t/customers.csv" >/dev/null 2>&1
lines=$(wc -l <"$t/customers.csv")
is "$(q "SELECT rows_loaded || ' ' || rows_rejected || ' ' || (SELECT string_agg(line_no || ':' || code, ' ') FROM meterops.load_error e WHERE e.file_id = f.file_id) FROM meterops.load_file f WHERE path = '$t/customers.csv'")" \
   "$((lines - 2)) 1 $lines:line_too_long" "a registry feed's long line is line_too_long, the other records load"

# Very many short faulty lines: past 1024 of a code a chunk only counts them; the counts
# stay exact and the first rows are kept (--keep-errors, 1000).
{ echo "mpxn,timestamp,kwh"; i=0; while [ $i -lt 3000 ]; do echo; i=$((i + 1)); done
  echo "2700003640001,2024-06-01T09:00:00Z,0.500"; echo "x"; echo "x"; } >"$t/blank.csv"
"$MO_BIN" load --db "$db" --quiet --max-reject-ratio 1 "$t/blank.csv" >/dev/null 2>&1
id=$(q "SELECT file_id FROM meterops.load_file WHERE path = '$t/blank.csv'")
is "$(q "SELECT rows_total || ' ' || rows_loaded || ' ' || rows_rejected FROM meterops.load_file WHERE file_id = $id")" \
   "3003 1 3002" "3000 blank lines and two junk ones: every row counted"
is "$(q "SELECT string_agg(code || ' ' || errors || ' ' || first_line || ' ' || last_line, ', ') FROM meterops.load_error_summary WHERE file_id = $id")" \
   "field_count 3002 2 3004" "... one count by code and column, lines 2 to 3004"
is "$(q "SELECT count(*) || ' ' || min(line_no) || ' ' || max(line_no) FROM meterops.load_error WHERE file_id = $id")" \
   "1000 2 1001" "... the first 1000 rows kept"

out=$("$MO_BIN" load --db "$db" --max-line-bytes 100 "$t/long.csv" 2>&1); rc=$?
is "$rc" 2 "--max-line-bytes below 256 is refused (exit 2)"
done_testing
