#!/bin/sh
# load_batches.sh - the direct path's batches (daywriter.c): the sender streams one batch while
# the file's thread fills the next; a batch that meets stored meter-days is rolled back to
# its savepoint and goes through the correction path instead. With tiny batches, a file
# correcting every other meter makes batches fail and succeed in turn; whatever the
# batch size, the stored days must be exactly the file's, all attributed to it.
. "$MO_SRCDIR/tests/lib.sh"
tmp=$(tmpdir)
trap 'rm -rf "$tmp"' EXIT
"$MO_BIN" gen --meters 24 --days 4 --start 2024-05-01 --seed 9 --quiet --out "$tmp" ||
    { echo "not ok 1 - gen"; exit 1; }
# first: every other meter's readings; then the whole file with every value 1 Wh more
awk -F, 'NR == 1 { print; next } $1 != last { n++; last = $1 } n % 2' "$tmp/readings.csv" >"$tmp/half.csv"
awk -F, 'NR == 1 { print; next }
         { v = $3; sub(/\./, "", v); v = v + 1
           printf "%s,%s,%d.%03d,%s\n", $1, $2, int(v / 1000), v % 1000, $4 }' \
    "$tmp/readings.csv" >"$tmp/all.csv"
days() {
    sql "SELECT m.mpxn || ' ' || r.day || ' ' || r.wh::text || ' ' || coalesce(encode(r.flags, 'escape'), '-')
         FROM meterops.reading_day r JOIN meterops.meter m USING (meter_id) ORDER BY 1" -d "$1"
}
for run in alone mixed big; do
    db=$(fresh_db "t_batches_$run")
    "$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
    "$MO_BIN" load --db "$db" --quiet "$tmp/customers.csv" "$tmp/tariffs.csv" "$tmp/meters.csv" >/dev/null 2>&1 ||
        { echo "not ok 1 - registry"; exit 1; }
    case $run in
    alone) "$MO_BIN" load --db "$db" --quiet "$tmp/all.csv" >/dev/null 2>&1 ;;
    mixed) "$MO_BIN" load --db "$db" --quiet "$tmp/half.csv" >/dev/null 2>&1
           MO_LOAD_BATCH_BYTES=1500 MO_LOAD_CHUNK_BYTES=3000 "$MO_BIN" load --db "$db" --quiet "$tmp/all.csv" >/dev/null 2>&1 ;;
    big)   "$MO_BIN" load --db "$db" --quiet "$tmp/half.csv" >/dev/null 2>&1
           "$MO_BIN" load --db "$db" --quiet "$tmp/all.csv" >/dev/null 2>&1 ;;
    esac
    echo $? >"$tmp/$run.rc"
    days "t_batches_$run" >"$tmp/$run.days"
    sql "SELECT count(*) FILTER (WHERE f.path LIKE '%/all.csv') || ' ' || count(*)
         FROM meterops.reading_day r JOIN meterops.load_file f USING (file_id)" -d "t_batches_$run" >"$tmp/$run.owner"
done
n=$(wc -l <"$tmp/alone.days")
is "$(cat "$tmp/alone.rc") $(cat "$tmp/mixed.rc") $(cat "$tmp/big.rc")" "0 0 0" "every load exits 0"
ok "$([ "$n" -eq 96 ]; echo $?)" "(24 meters x 4 days stored by the file alone: $n)"
is "$(diff "$tmp/alone.days" "$tmp/mixed.days" | head -3)" "" "tiny batches, failing and succeeding in turn: the days are the file's"
is "$(diff "$tmp/alone.days" "$tmp/big.days" | head -3)" "" "default batches over half-stored days: the days are the file's"
is "$(cat "$tmp/mixed.owner") $(cat "$tmp/big.owner")" "96 96 96 96" "every day is attributed to the correcting file"
done_testing
