#!/bin/sh
# gen_load.sh - generated data with injected faults goes through the real loader: every
# fault listed in gen's manifest is caught at its line, column and code, nothing else is
# flagged, every clean reading lands, and the generated bills agree with what landed.
. "$MO_SRCDIR/tests/lib.sh"

db=$(fresh_db t_gen_load)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q() { sql "$1" -d t_gen_load; }
tmp=$(tmpdir)
trap 'rm -rf "$tmp"' EXIT

"$MO_BIN" gen --meters 60 --days 4 --start 2024-03-29 --seed 11 --error-rate 0.01 --quiet --out "$tmp/long" ||
    { echo "not ok 1 - gen"; exit 1; }
"$MO_BIN" gen --meters 60 --days 4 --start 2024-03-29 --seed 11 --error-rate 0.04 --format wide --quiet --out "$tmp/wide" ||
    { echo "not ok 1 - gen"; exit 1; }

# One run, dependants first on the command line: the queue still loads customers and
# tariffs before the meters and bills that name them.
"$MO_BIN" load --db "$db" --jobs 2 "$tmp/long/bills.csv" "$tmp/long/meters.csv" \
    "$tmp/long/tariffs.csv" "$tmp/long/customers.csv" >/dev/null 2>&1
is "$?" 0 "the four registry feeds load cleanly in one run, whatever their order"
is "$(q "SELECT string_agg(format || ':' || status, ' ' ORDER BY finished_at, file_id) FROM meterops.load_file" |
      sed 's/tariffs:loaded customers:loaded/customers:loaded tariffs:loaded/; s/bills:loaded meters:loaded/meters:loaded bills:loaded/')" \
   "customers:loaded tariffs:loaded meters:loaded bills:loaded" "customers and tariffs finished before meters and bills"
is "$(q "SELECT count(*) FROM meterops.meter")" "$(($(wc -l <"$tmp/long/meters.csv") - 1))" "every meter of meters.csv is registered"

# errors as "line,column,code", sorted, from the database and from the manifest
db_errors() {
    q "SELECT e.line_no || ',' || coalesce(e.column_name, '') || ',' || e.code
       FROM meterops.load_error e JOIN meterops.load_file f USING (file_id)
       WHERE f.path = '$1' ORDER BY e.line_no"
}
manifest() { awk -F, 'NR > 1 { print $2 "," $3 "," $4 }' "$1" | sort -t, -k1,1n; }

# --- long: faults under the threshold of this run, so the clean rows land
f="$tmp/long/readings.csv"
"$MO_BIN" load --db "$db" --max-reject-ratio 0.05 "$f" >/dev/null 2>&1
is "$?" 1 "long readings with faults exit 1"
is "$(db_errors "$f")" "$(manifest "$tmp/long/manifest.csv")" \
   "long: load_error equals the manifest line for line ($(($(wc -l <"$tmp/long/manifest.csv") - 1)) faults)"
# Wh of the clean lines: kWh has three decimals, so dropping the point gives Wh exactly.
clean_wh=$(awk -F, 'NR == FNR { if (FNR > 1) bad[$2] = 1; next }
                    FNR > 1 && !(FNR in bad) { v = $3; sub(/\./, "", v); s += v } END { printf "%.0f", s }' \
           "$tmp/long/manifest.csv" "$f")
is "$(q "SELECT sum(v) FROM meterops.reading_day, unnest(wh) v")" "$clean_wh" "long: every clean reading landed, nothing else"
is "$(q "SELECT rows_total - rows_loaded - rows_rejected FROM meterops.load_file WHERE path = '$f'")" 0 \
   "long: rows_total = rows_loaded + rows_rejected"
# gen writes each bill's kWh as the sum of that customer's clean readings in the period.
is "$(q "SELECT count(*) FROM meterops.bill b
         WHERE b.kwh * 1000 <> (SELECT coalesce(sum(v), 0) FROM meterops.meter m
                                JOIN meterops.reading_day r USING (meter_id), unnest(r.wh) v
                                WHERE m.customer_id = b.customer_id
                                  AND r.day BETWEEN b.period_start AND b.period_end)")" 0 \
   "every generated bill equals the readings that landed for its customer and period"

# --- wide: 4% faults is over the default 1%: the file is rejected, nothing lands, errors kept
before=$(q "SELECT count(*) FROM meterops.reading_day")
f="$tmp/wide/readings.csv"
"$MO_BIN" load --db "$db" "$f" >/dev/null 2>&1
is "$?" 1 "wide readings over the reject ratio exit 1"
is "$(q "SELECT status FROM meterops.load_file WHERE path = '$f'")" rejected "wide file is rejected"
is "$(q "SELECT count(*) FROM meterops.reading_day")" "$before" "nothing of the rejected file landed"
is "$(db_errors "$f")" "$(manifest "$tmp/wide/manifest.csv")" "wide: load_error equals the manifest line for line"

done_testing
