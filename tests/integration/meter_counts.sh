#!/bin/sh
# meter_counts.sh - the meter counts (queries/console/dash_meters.sql over the summaries of
# 009_meter_counts.sql) give exactly what the brute-force query over reading_day and the
# registry gives (tests/oracle/dash_meters_brute.sql, the query they replaced): with two
# fuels, gaps, meters that never report, meters removed in the past, today and in the
# future (some still sending readings), meters a file registers (--create-meters), a
# correction reload and readings for today; a rejected file leaves no bit.
. "$MO_SRCDIR/tests/lib.sh"

db=$(fresh_db t_meter_counts)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q() { sql "$1" -d t_meter_counts; }
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
load() { "$MO_BIN" load --db "$db" --quiet "$@" >"$t/load.out" 2>&1; echo $?; }

# counts N: the new query's row; oracle N: the old one's
counts() { q "PREPARE c(int) AS $(cat "$MO_SRCDIR/queries/console/dash_meters.sql"); EXECUTE c($1)"; }
oracle() { q "PREPARE o(int) AS $(cat "$MO_SRCDIR/tests/oracle/dash_meters_brute.sql"); EXECUTE o($1)"; }
agree() { # agree WHAT: the counts and the oracle for several windows
    for n in 1 2 3 4 7 31; do
        is "$(counts $n)" "$(oracle $n)" "$1: total|elec|gas|reporting_today|silent as the brute force, silent after $n days"
    done
}
# the registry summaries against the registry itself
registry_ok() {
    q "SELECT (SELECT string_agg(format('%s %s %s', fuel, coalesce(removed_on, 'infinity'), n), ','
                                ORDER BY fuel, coalesce(removed_on, 'infinity'))
               FROM (SELECT fuel, removed_on, count(*) AS n FROM meterops.meter GROUP BY 1, 2) r)
              IS NOT DISTINCT FROM
              (SELECT string_agg(format('%s %s %s', fuel, removed_on, meters), ',' ORDER BY fuel, removed_on)
               FROM meterops.meter_tally WHERE meters <> 0)
           AND (SELECT count(*) FROM meterops.meter WHERE removed_on IS NULL)
               = (SELECT coalesce(sum(bit_count(bits)), 0) FROM meterops.meter_active)
           AND NOT EXISTS (SELECT 1 FROM meterops.meter m WHERE m.removed_on IS NULL AND NOT EXISTS (
                   SELECT 1 FROM meterops.meter_active a WHERE a.fuel = m.fuel AND a.chunk = m.meter_id >> 16
                      AND get_bit(a.bits, (m.meter_id & 65535)::int) = 1))"
}
# every meter-day of reading_day has its bit, and no other bit is set
seen_ok() {
    q "SELECT (SELECT count(*) FROM meterops.reading_day)
              = (SELECT coalesce(sum(bit_count(bits)), 0) FROM meterops.meter_seen)
           AND NOT EXISTS (SELECT 1 FROM meterops.reading_day r JOIN meterops.meter m USING (meter_id)
                           WHERE NOT EXISTS (SELECT 1 FROM meterops.meter_seen s
                                             WHERE s.day = r.day AND s.fuel = m.fuel AND s.chunk = r.meter_id >> 16
                                               AND get_bit(s.bits, (r.meter_id & 65535)::int) = 1))"
}

day() { date -u -d "$1 days" +%F; }
today=$(day 0)
# six days to yesterday; in the first hour of a UTC day five, since gen keeps an hour clear
# of now (the checks below are against the brute force, whatever the days)
gen_days=6; [ "$(date -u +%H)" = 00 ] && gen_days=5
"$MO_BIN" gen --meters 300 --days $gen_days --start "$(day -6)" --seed 9 --quiet --out "$t/g" || { echo "not ok 1 - gen"; exit 1; }
# two meters of another registry, for --create-meters (valid MPAN/MPRN check digits)
"$MO_BIN" gen --meters 4 --days 1 --start "$(day -2)" --seed 77 --quiet --out "$t/g2" || { echo "not ok 1 - gen"; exit 1; }

# meter k of meters.csv (1-based)
mp() { sed -n "$(($1 + 1))p" "$t/g/meters.csv" | cut -d, -f1; }
list() { # list FROM TO: mpxns, one a line
    sed -n "$(($1 + 1)),$(($2 + 1))p" "$t/g/meters.csv" | cut -d, -f1
}
list 10 29 >"$t/gap"       # no readings for the last 3 days
list 30 39 >"$t/never"     # no readings at all
mp 55 >>"$t/never"
awk -F, -v since="$(day -3)" 'NR == FNR { gap[$1] = 1; next } FILENAME ~ /never/ { never[$1] = 1; next }
     FNR == 1 || !($1 in never) && !(($1 in gap) && substr($2, 1, 10) >= since)' \
    "$t/gap" "$t/never" "$t/g/readings.csv" >"$t/readings.csv"

is "$(load "$t/g/customers.csv" "$t/g/tariffs.csv" "$t/g/meters.csv")" 0 "the registry loads"
is "$(registry_ok)" t "registry summaries match the registry after the first meters feed"
is "$(load "$t/readings.csv")" 0 "the readings load"
is "$(seen_ok)" t "meter_seen holds exactly the meter-days of reading_day"
is "$(q "SELECT count(DISTINCT fuel) FROM meterops.meter_seen")" 2 "two fuels were seen"
agree "after the readings"

# Removals, through a second meters feed (the upsert's UPDATE path): meters 40-49 removed
# two days ago, 50-52 today, 53-55 in five days.
awk -F, -v OFS=, -v past="$(day -2)" -v now="$today" -v later="$(day 5)" '
    NR >= 41 && NR <= 50 { $7 = past } NR >= 51 && NR <= 53 { $7 = now } NR >= 54 && NR <= 56 { $7 = later } { print }' \
    "$t/g/meters.csv" >"$t/meters2.csv"
is "$(load "$t/meters2.csv")" 0 "a meters feed removing 16 meters loads"
is "$(q "SELECT count(*) FROM meterops.meter WHERE removed_on IS NOT NULL")" 16 "16 meters carry a removal date"
is "$(q "SELECT last_value FROM $(q "SELECT pg_get_serial_sequence('meterops.meter', 'meter_id')")")" 300 \
   "the second feed of the same 300 meters drew no meter id (ids stay dense)"
is "$(registry_ok)" t "registry summaries match the registry after the removals"
agree "after removals"

# Readings for today (00:00 UTC, over once it is 00:30): meters 1-5, a meter removed two
# days ago (41) and today (51), two removed in the future (53, 54), and two new meters.
{
    echo "mpxn,timestamp,kwh,quality"
    for k in 1 2 3 4 5 41 51 53 54; do echo "$(mp $k),${today}T00:00:00Z,0.100,A"; done
    sed -n '2,3p' "$t/g2/meters.csv" | cut -d, -f1 | while read -r m; do echo "$m,${today}T00:00:00Z,0.100,A"; done
} >"$t/today.csv"
if [ "$(date -u +%H%M)" -ge 0035 ]; then
    is "$(load --create-meters "$t/today.csv")" 0 "today's readings load, registering two meters"
    is "$(q "SELECT count(*) FROM meterops.reading_day WHERE day = '$today'")" 11 "11 meter-days for today"
    like "$(counts 3)" "^[0-9]+\|[0-9]+\|[0-9]+\|9\|[0-9]+$" \
         "reporting today: 5 + 2 removed later + 2 new, not the two removed meters"
else
    ok 0 "(before 00:35 UTC today's interval may not be over: today's file is not loaded)"
    ok 0 "(skipped)"
    ok 0 "(skipped)"
fi
is "$(registry_ok)" t "registry summaries match after --create-meters"
is "$(seen_ok)" t "meter_seen exact after today's file"
agree "with readings for today"

# A correction reload of meters 1-3 two days ago: the merge path, the bits set again.
awk -F, -v d="$(day -2)" -v a="$(mp 1)" -v b="$(mp 2)" -v c="$(mp 3)" -v OFS=, \
    'NR == 1 { print; next } ($1 == a || $1 == b || $1 == c) && substr($2, 1, 10) == d { $3 = "0.999"; print }' \
    "$t/g/readings.csv" >"$t/corr.csv"
is "$(load "$t/corr.csv")" 0 "a correction of three meter-days loads"
is "$(q "SELECT count(*) FROM meterops.reading_day WHERE day = '$(day -2)' AND wh[1] = 999")" 3 "three meter-days corrected"
is "$(seen_ok)" t "meter_seen exact after the correction"
agree "after a correction"

# A rejected file: readings for the never-reporting meters yesterday, but more rejected
# rows than the ratio allows. Nothing of it lands, its bits neither.
{
    echo "mpxn,timestamp,kwh,quality"
    while read -r m; do echo "$m,$(day -1)T00:00:00Z,0.100,A"; done <"$t/never"
    for i in 1 2 3 4 5; do echo "garbage line $i"; done
} >"$t/bad.csv"
is "$(load "$t/bad.csv")" 1 "a file above its reject ratio is rejected"
is "$(q "SELECT status FROM meterops.load_file ORDER BY file_id DESC LIMIT 1")" rejected "its status is rejected"
is "$(q "SELECT count(*) FROM meterops.meter m JOIN meterops.meter_seen s
           ON s.chunk = m.meter_id >> 16 AND get_bit(s.bits, (m.meter_id & 65535)::int) = 1
         WHERE m.mpxn IN ($(sed "s/.*/'&'/" "$t/never" | paste -sd,))")" 0 \
   "no bit of the never-reporting meters: the rejected file left none"
is "$(seen_ok)" t "meter_seen exact after the rejected file"
agree "after a rejected file"

# A registry change by hand (an UPDATE and a DELETE of meters with no readings) is followed.
q "UPDATE meterops.meter SET removed_on = NULL WHERE mpxn = '$(mp 45)'" >/dev/null
q "DELETE FROM meterops.meter WHERE mpxn IN ($(sed -n '1,3p' "$t/never" | sed "s/.*/'&'/" | paste -sd,))" >/dev/null
is "$(registry_ok)" t "registry summaries match after an UPDATE and a DELETE by hand"
agree "after registry changes by hand"

# status reads the same counts
"$MO_BIN" status --db "$db" --json --silent-days 2 >"$t/status.json" 2>/dev/null
is "$(python3 -c "import json; m = json.load(open('$t/status.json'))['meters']; print('|'.join(str(m[k]) for k in ('total', 'elec', 'gas', 'reporting_today', 'silent')))")" \
   "$(oracle 2)" "status --json gives the brute-force counts"

# meter_seen_rebuild recomputes the same bitmaps
before=$(q "SELECT md5(string_agg(day || fuel || chunk || bits::text, ',' ORDER BY day, fuel, chunk)) FROM meterops.meter_seen")
q "SELECT meterops.meter_seen_rebuild('$(day -10)', '$today')" >/dev/null
is "$(q "SELECT md5(string_agg(day || fuel || chunk || bits::text, ',' ORDER BY day, fuel, chunk)) FROM meterops.meter_seen")" \
   "$before" "meter_seen_rebuild gives the bitmaps the loader made"

done_testing
