#!/bin/sh
# Rejections at scale: exact counts by code and column in load_error_summary, the first
# --keep-errors rows of each code in load_error; a file whose reject ratio can no longer
# be met stops early; each attempt of a file is its own load_attempt row, and a failed or
# requeued file shows nothing of an earlier attempt.
. "$MO_SRCDIR/tests/lib.sh"
db=$(fresh_db t_reject_scale)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q() { sql "$1" -d t_reject_scale; }
# a console query with its parameters written in (psql has no $1)
console() { sed "s/\\\$1/$2/g; s/\\\$2/${3:-}/g" "$MO_SRCDIR/queries/console/$1.sql" | psql -X -q -tA -d t_reject_scale 2>&1; }
q "INSERT INTO meterops.meter (mpxn, fuel, interval_minutes) VALUES ('2700003640001', 'elec', 30)"
t=$(tmpdir)

# rows N of meter 2700003640039 (not in the registry), from day D
unknown() { # unknown N D
    awk -v n="$1" -v d0="$2" 'BEGIN { for (i = 0; i < n; i++) {
        d = int(i / 48); h = int((i % 48) / 2); m = (i % 2) * 30
        printf "2700003640039,%s,0.%03d\n", strftime("%Y-%m-%dT", (d0 + d) * 86400, 1) sprintf("%02d:%02d:00Z", h, m), i % 1000 } }'
}

# --- more rejections of one code than --keep-errors: counts exact, K rows kept ----------
{ echo "mpxn,timestamp,kwh"
  unknown 5000 19723
  for i in $(seq 0 29); do
      printf '2700003640001,2024-06-01T%02d:%02d:00Z,%s\n' $((i / 2)) $(((i % 2) * 30)) "$([ $((i % 3)) = 0 ] && echo abc || echo -1)"
  done
  echo "2700003640001,2024-06-02T00:00:00Z"
} >"$t/many.csv"
out=$("$MO_BIN" load --db "$db" --quiet --keep-errors 10 --max-reject-ratio 1 "$t/many.csv" 2>/dev/null); rc=$?
is "$rc" 1 "a file with rejected rows exits 1"
like "$out" "many.csv: loaded \(file 1\): 0 rows loaded, 5031 rejected" "the printed summary has the exact count"
is "$(q "SELECT rows_total || ' ' || rows_rejected FROM meterops.load_file WHERE file_id = 1")" "5031 5031" "load_file counts every rejection"
is "$(q "SELECT string_agg(code || ':' || column_name || ':' || errors || ':' || first_line || '-' || last_line, ' ' ORDER BY code, column_name)
         FROM meterops.load_error_summary WHERE file_id = 1")" \
   "field_count::1:5032-5032 unknown_meter:mpxn:5000:2-5001 value_range:kwh:20:5003-5031 value_syntax:kwh:10:5002-5029" \
   "the summary counts each code and column exactly, with its first and last line"
is "$(q "SELECT string_agg(code || ':' || n, ' ' ORDER BY code) FROM (SELECT code, count(*) n FROM meterops.load_error WHERE file_id = 1 GROUP BY code) x")" \
   "field_count:1 unknown_meter:10 value_range:10 value_syntax:10" "at most 10 rows of each code are kept"
is "$(q "SELECT min(line_no) || '-' || max(line_no) FROM meterops.load_error WHERE file_id = 1 AND code = 'unknown_meter'")" "2-11" "the first 10 are kept"
is "$(console file_error_groups 1 | head -2 | tr '\n' ' ')" "unknown_meter|5000|2|5001|mpxn 5000 value_range|20|5003|5031|kwh 20 " \
   "file_error_groups reads the exact counts"
is "$(console file_errors 1 3 | cut -d'|' -f1,2 | tr '\n' ' ')" \
   "field_count|5032 unknown_meter|2 unknown_meter|3 unknown_meter|4 value_range|5003 value_range|5004 value_range|5006 value_syntax|5002 value_syntax|5005 value_syntax|5008 " \
   "file_errors reads the kept rows, the first N of each code"
is "$(q "SELECT attempt || ' ' || status || ' ' || rows_rejected FROM meterops.load_attempt WHERE file_id = 1")" "1 loaded 5031" "the attempt is recorded"

# --keep-errors 0 keeps none; the counts stay
sed 's/2700003640039/2700003640039/; 1!s/T/T/' "$t/many.csv" | sed '2s/0\.000$/0.999/' >"$t/none.csv"
"$MO_BIN" load --db "$db" --quiet --keep-errors 0 --max-reject-ratio 1 "$t/none.csv" >/dev/null 2>&1
is "$(q "SELECT (SELECT count(*) FROM meterops.load_error WHERE file_id = 2) || ' ' || (SELECT sum(errors) FROM meterops.load_error_summary WHERE file_id = 2)")" \
   "0 5031" "--keep-errors 0 keeps no row and counts all"

# --- early stop: a file whose registry is missing -------------------------------------
{ echo "mpxn,timestamp,kwh"; unknown 40000 19800; } >"$t/noregistry.csv"
bytes=$(wc -c <"$t/noregistry.csv")
out=$(MO_LOAD_CHUNK_BYTES=16384 "$MO_BIN" load --db "$db" --quiet "$t/noregistry.csv" 2>/dev/null); rc=$?
is "$rc" 1 "a file with a missing registry exits 1"
like "$out" "noregistry.csv: rejected \(file 3\): 0 rows loaded, [0-9]+ rejected.*stopped early at line [0-9]+ \(byte [0-9]+ of $bytes\)" \
   "the outcome says it stopped early, at which line and byte"
is "$(q "SELECT status || ' ' || (rows_total < 40000 / 4) || ' ' || (rows_rejected = rows_total) || ' ' || (message LIKE 'stopped early at line %') FROM meterops.load_file WHERE file_id = 3")" \
   "rejected true true true" "rejected after less than a quarter of the file, counts so far, message in load_file"
is "$(q "SELECT (SELECT sum(errors) FROM meterops.load_error_summary WHERE file_id = 3) = rows_rejected FROM meterops.load_file WHERE file_id = 3")" t "the summary has the counts so far"
is "$(q "SELECT count(*) FROM meterops.load_error WHERE file_id = 3")" 1000 "the first 1000 rows kept (the default)"
is "$(q "SELECT count(*) FROM meterops.reading_day WHERE file_id = 3")" 0 "nothing of it landed"

# --- attempts: rejected, then cannot open (failed), requeued, loaded --------------------
cp "$t/many.csv" "$t/later.csv"
printf '2700003640001,2024-07-01T00:00:00Z,1\n' >>"$t/later.csv"
"$MO_BIN" load --db "$db" --quiet --keep-errors 5 "$t/later.csv" >/dev/null 2>&1
id=$(q "SELECT file_id FROM meterops.load_file WHERE path LIKE '%later.csv'")
is "$(q "SELECT status || ' ' || rows_rejected FROM meterops.load_file WHERE file_id = $id")" "rejected 5031" "rejected first"
mv "$t/later.csv" "$t/later.away"
"$MO_BIN" requeue "$id" --reason "registry fixed" --db "$db" >/dev/null 2>&1
is "$(q "SELECT status || ' ' || rows_total || ' ' || rows_rejected || ' ' || (started_at IS NULL) || ' ' || (finished_at IS NULL) FROM meterops.load_file WHERE file_id = $id")" \
   "queued 0 0 true true" "a requeued file keeps no time or count of its last attempt"
is "$(q "SELECT count(*) FROM meterops.load_error_summary WHERE file_id = $id")" 0 "nor its errors"
"$MO_BIN" load --db "$db" --quiet --queued >/dev/null 2>&1
is "$(q "SELECT status || ' ' || rows_rejected || ' ' || (SELECT count(*) FROM meterops.load_error WHERE file_id = $id) FROM meterops.load_file WHERE file_id = $id")" \
   "failed 0 0" "a file that cannot be opened shows no rejected rows of an earlier attempt"
mv "$t/later.away" "$t/later.csv"
"$MO_BIN" requeue "$id" --reason "file back" --db "$db" >/dev/null 2>&1
"$MO_BIN" load --db "$db" --quiet --queued --max-reject-ratio 1 >/dev/null 2>&1
is "$(q "SELECT string_agg(attempt || ':' || status || ':' || rows_rejected, ' ' ORDER BY attempt) FROM meterops.load_attempt WHERE file_id = $id")" \
   "1:rejected:5031 2:failed:0 3:rejected:5031" "each attempt is its own record, with its status and counts"
like "$(q "SELECT message FROM meterops.load_attempt WHERE file_id = $id AND attempt = 1")" "above the reject ratio" \
   "the first rejection's reason stays in its attempt"
like "$(q "SELECT message FROM meterops.load_attempt WHERE file_id = $id AND attempt = 2")" "(No such file|cannot open|not exist)" \
   "the failed attempt says why"
is "$(q "SELECT count(*) FROM meterops.load_attempt WHERE finished_at IS NULL")" 0 "every attempt is closed"

rm -rf "$t"
done_testing
