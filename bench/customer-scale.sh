#!/bin/sh
# bench/customer-scale.sh [build [DIR] | run [DIR] | stop [DIR] | drop [DIR]] - every query
# the support desk's customer lookup runs, at national scale (issue 11, "Speed"): p50 and
# p95 over many different customers, each customer in a new session.
#
#   build [DIR]  makes the database in DIR (default /work/h11-custdb) with a private server
#                (scripts/pg-sandbox) in DIR/pg; log in DIR/build.log. Refuses a DIR that
#                holds one. About 10 GB, 20-30 min niced on 2 busy cores.
#   run [DIR]    starts DIR's server if needed, applies the schema (`db migrate`), and
#                measures (N customers, default 300); prints a Markdown section for
#                bench/RESULTS.md and the plans (EXPLAIN (ANALYZE, BUFFERS)) to DIR/plans.txt.
#   stop [DIR]   stops the server; drop [DIR] stops it and removes DIR.
#
# What `build` makes (dates relative to the day it runs; "yesterday" is the last day shown):
#   - registry: 2,400,000 customers, 3,500,000 meters: an electricity import meter each,
#     gas for the first 1,000,000, an export meter (solar, SEG tariff) for every 24th;
#     tariffs of `meterops gen` (standard, fixed, Economy 7, gas, SEG) and AGILE-like dated
#     half-hourly prices for two years (every 10th electricity meter); about 24 customers
#     per postcode; names (NAMES):
#       real  (default) a first name of 80 common UK ones, the commonest 3.4% of
#             customers, the rarest 1%; a surname of 17 common ones for a quarter of
#             customers (Smith ~1.5%, about the UK share) and generated ones, from every
#             part of the alphabet, for the rest;
#       few   the names of the first measurements: 15 first names for everybody and
#             generated surnames of the letters a to p only, so that every Smith sorts
#             after every generated surname of its first name - the worst case of a
#             name search's walk of the name index (customer_find): "Amelia Smith" lies
#             after 150,000 other Amelias;
#   - reading_day: the 24 monthly partitions ending with the current month. SAMPLE (2000)
#     random customers have every meter-day of the two years (730 days); they are the
#     customers measured. Every other meter has one day (the 15th, or yesterday in the
#     current month) in each of the months the measured queries touch (the 180 days to
#     yesterday: 90 shown, 90 before them for "change"), and every 10th meter one day in
#     the older months. Rows are written day by day across meters, as a national daily
#     file loads them, so one meter's days lie on different pages, as in production.
#   Full size would be 3.5M meters x 730 days (2.5e9 rows, ~0.6 TB): see RESULTS.md for
#   why these figures carry (the index depth per partition, the pages each query touches).
#
# Environment: MO_BIN (default build/meterops), N (customers measured, 300), SAMPLE (2000),
# METERS (3500000; fewer to try the script), NAMES (real; few, see above).
set -eu
srcdir=$(cd "$(dirname "$0")/.." && pwd)
bin=${MO_BIN:-$srcdir/build/meterops}
action=${1:-run}
dir=${2:-/work/h11-custdb}
meters=${METERS:-3500000}
ncust=$((meters * 24 / 35))          # 2,400,000 customers for 3,500,000 meters
ngas=$((meters * 10 / 35))           # 1,000,000 gas meters
sample=${SAMPLE:-2000}
names=${NAMES:-real}
case $names in real | few) ;; *) echo "bench/customer-scale.sh: NAMES is real or few" >&2; exit 2 ;; esac
n=${N:-300}
[ -x "$bin" ] || { echo "bench/customer-scale.sh: build meterops first ($bin)" >&2; exit 2; }
sandbox="$srcdir/scripts/pg-sandbox"
case $action in
drop) "$sandbox" stop "$dir/pg" >/dev/null 2>&1 || true; rm -rf "$dir"; exit 0 ;;
stop) "$sandbox" stop "$dir/pg"; exit 0 ;;
esac
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
chmod 755 "$dir"
export PGHOST="$dir/pg" PGPORT=5432 PGUSER=postgres PGDATABASE=meterops
unset PGSERVICE PGOPTIONS
db="host=$dir/pg port=5432 user=postgres dbname=meterops"
p() { psql -X -q -v ON_ERROR_STOP=1 -tA -c "$1"; }
say() { echo "$(date -u +%H:%M:%S) $*"; }
freegb() { df -Pk "$dir" | awk 'NR == 2 { printf "%.1f", $4 / 1048576 }'; }

build() {
    [ -f "$dir/pg/data/PG_VERSION" ] && { echo "bench/customer-scale.sh: $dir already holds a database" >&2; exit 2; }
    say "build in $dir; free disk $(freegb) GB"
    "$sandbox" start "$dir/pg" >/dev/null
    # rows written into a partition TRUNCATEd in the same transaction skip the WAL
    p "ALTER SYSTEM SET wal_level = minimal"; p "ALTER SYSTEM SET max_wal_senders = 0"
    "$sandbox" stop "$dir/pg"; "$sandbox" start "$dir/pg" >/dev/null
    "$bin" db migrate --db "$db" >/dev/null
    p "CREATE SCHEMA bench; CREATE TABLE bench.info (k text PRIMARY KEY, v text NOT NULL)"
    info() { p "INSERT INTO bench.info VALUES ('$1', '$2') ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v"; }

    # The tariffs of `meterops gen`, through the loader.
    rm -rf "$dir/feeds"
    "$bin" gen --quiet --meters 20 --days 1 --start 2026-01-01 --seed 1 --out "$dir/feeds" >/dev/null
    chmod -R a+rX "$dir/feeds"
    "$bin" load --quiet --db "$db" "$dir/feeds/tariffs.csv" >/dev/null
    yday=$(p "SELECT (current_date - 1)::text")
    first=$(p "SELECT (date_trunc('month', current_date) - interval '23 months')::date")
    # A dynamic tariff: a price per half-hour over the two years (and two days ahead).
    p "INSERT INTO meterops.tariff (code, name, fuel, standing_p_day, valid_from)
         VALUES ('AGILE', 'Agile (bench)', 'elec', 47.8500, '2000-01-01');
       INSERT INTO meterops.tariff_price (tariff_id, starts, ends, unit_p_kwh)
       SELECT t.tariff_id, s, s + interval '30 minutes',
              round((12 + 10 * sin(extract(epoch FROM s) / 9000) + 8 * random())::numeric, 4)
       FROM meterops.tariff t,
            generate_series('$first'::timestamptz, current_date + 2, interval '30 minutes') s
       WHERE t.code = 'AGILE'"

    say "registry (names: $names)"; info names "$names"
    if [ "$names" = few ]; then
        first_name="(ARRAY['Olivia','Amelia','Isla','Ava','Noah','Oliver','George','Arthur','Muhammad','Leo','Harry','Rhys','Charlie','Freya','Mia'])[1 + i % 15]"
        letters="'ghijklmnopabcdef'"
    else
        # 80 names in no order of the alphabet; random()^1.3 makes the first the commonest
        first_name="(ARRAY['Oliver','Olivia','George','Amelia','Harry','Isla','Noah','Ava','Jack','Mia','Leo','Ivy',
                             'Arthur','Lily','Muhammad','Isabella','Oscar','Rosie','Charlie','Sophia','Jacob','Grace',
                             'Thomas','Freya','Henry','Poppy','William','Evie','Alfie','Ella','Joshua','Emily',
                             'Freddie','Sophie','Archie','Chloe','Theo','Jessica','Isaac','Sarah','James','Emma',
                             'Ethan','Laura','Lucas','Rebecca','Mason','Hannah','Daniel','Susan','David','Margaret',
                             'John','Patricia','Michael','Elizabeth','Paul','Helen','Andrew','Karen','Mark','Julie',
                             'Richard','Claire','Peter','Nicola','Stephen','Joanne','Robert','Lisa','Christopher',
                             'Rachel','Anthony','Amanda','Kevin','Aaron','Gary','Zoe','Ian','Yasmin'])[1 + floor(80 * random() ^ 1.3)::int]"
        letters="'bdeghklmnrstwaoy'"
    fi
    p "SELECT setseed(0.11);
       INSERT INTO meterops.customer (account_no, name, postcode, email, phone)
       SELECT 'N-' || lpad(i::text, 8, '0'),
              $first_name
                || ' ' ||
              CASE WHEN i % 4 = 0
                   THEN (ARRAY['Smith','Jones','Taylor','Brown','Williams','Wilson','Johnson','Davies','Patel','Robinson','Wright','Thompson','Evans','Walker','White','Ward','Khan'])[1 + (i / 4) % 17]
                   ELSE initcap(translate(substr(md5(i::text), 1, 3 + i % 5), '0123456789abcdef', $letters)) END,
              (ARRAY['HU5','CF10','LS6','M14','B29','G12','EH9','NE4','BS7','SW1A','E17','N1','L18','NG7','S10'])[1 + (i / 24) % 15]
                || ' ' || ((i / 360) % 10) || chr(65 + (i / 3600) % 26) || chr(65 + (i / 93600) % 26),
              'cust' || i || '@example.org', '07700 ' || lpad((i % 1000000)::text, 6, '0')
       FROM generate_series(1, $ncust) i"
    p "WITH t AS (SELECT fuel, array_agg(tariff_id ORDER BY tariff_id) a FROM meterops.tariff
                  WHERE code NOT IN ('SEG-EXPORT', 'AGILE') GROUP BY fuel)
       INSERT INTO meterops.meter (mpxn, fuel, interval_minutes, customer_id, tariff_id, installed_on, direction)
       SELECT k.mpxn, k.fuel, 30, c.customer_id,
              CASE WHEN k.direction = 'export' THEN (SELECT tariff_id FROM meterops.tariff WHERE code = 'SEG-EXPORT')
                   WHEN k.fuel = 'elec' AND k.i % 10 = 0 THEN (SELECT tariff_id FROM meterops.tariff WHERE code = 'AGILE')
                   ELSE t.a[1 + k.i % cardinality(t.a)] END,
              date '2019-01-01' + (k.i % 2000), k.direction
       FROM (SELECT i, '99' || lpad(i::text, 11, '0') AS mpxn, 'elec' AS fuel, 'import' AS direction, i AS cust
             FROM generate_series(1, $ncust) i
             UNION ALL
             SELECT i, '9' || lpad(i::text, 9, '0'), 'gas', 'import', i FROM generate_series(1, $ngas) i
             UNION ALL
             (SELECT i, '98' || lpad(i::text, 11, '0'), 'elec', 'export', i
              FROM generate_series(24, $ncust, 24) i LIMIT $meters - $ncust - $ngas)) k
       JOIN t ON t.fuel = k.fuel
       JOIN meterops.customer c ON c.account_no = 'N-' || lpad(k.cust::text, 8, '0')
       ORDER BY k.fuel DESC, k.direction DESC, k.i"
    p "VACUUM ANALYZE meterops.customer"; p "VACUUM ANALYZE meterops.meter"
    info meters "$(p "SELECT count(*) FROM meterops.meter")"
    info meters_by_kind "$(p "SELECT string_agg(k || ' ' || n, ', ' ORDER BY k) FROM (SELECT fuel || ' ' || direction AS k, count(*) n FROM meterops.meter GROUP BY 1) x")"
    info customers "$(p "SELECT count(*) FROM meterops.customer")"
    say "$(p "SELECT v FROM bench.info WHERE k = 'meters'") meters; free disk $(freegb) GB"

    # The measured customers, and one file for every reading.
    p "SELECT setseed(0.12);
       CREATE TABLE bench.sample AS
         SELECT row_number() OVER () AS n, customer_id, account_no
         FROM (SELECT customer_id, account_no FROM meterops.customer ORDER BY random() LIMIT $sample) s;
       CREATE TABLE bench.sample_meter AS
         SELECT m.meter_id FROM meterops.meter m JOIN bench.sample s USING (customer_id);
       ALTER TABLE bench.sample_meter ADD PRIMARY KEY (meter_id);
       INSERT INTO meterops.load_file (path, sha256, format, status)
         VALUES ('/srv/meterops/inbox/national.csv', repeat('0', 64), 'wide', 'loaded');
       CREATE TABLE bench.pool AS
         SELECT k, array_agg(((50 + 400 * (1 + sin((h + k) / 7.6)) / 2) * (1 + k % 5))::int4 ORDER BY h) AS wh
         FROM generate_series(0, 96) k, generate_series(0, 47) h GROUP BY k;
       CREATE TABLE bench.flags AS SELECT decode(repeat('41', 20) || '4545' || repeat('41', 26), 'hex') AS f;"
    p "SELECT meterops.ensure_reading_partitions('$first', (date_trunc('month', current_date) + interval '1 month - 1 day')::date)" >/dev/null
    touched=$(p "SELECT date_trunc('month', current_date - 180)::date")
    info sample_meters "$(p "SELECT count(*) FROM bench.sample_meter")"

    # One partition per transaction: the sampled meters' days, then one day of the others.
    # Days of 46 and 50 half-hours are written as 48 values, which is all the queries need
    # to be timed (the tests check clock-change days).
    fill() { # fill MONTH EVERY
        part=$(p "SELECT 'reading_day_' || to_char('$1'::date, 'YYYY_MM')")
        last=$(p "SELECT least((date_trunc('month', '$1'::date) + interval '1 month - 1 day')::date, '$yday'::date)")
        bday=$(p "SELECT least('$1'::date + 14, '$yday'::date)")
        cat <<SQL
BEGIN;
TRUNCATE meterops.$part;
INSERT INTO meterops.$part (meter_id, day, wh, flags, file_id)
SELECT m.meter_id, d::date, p.wh,
       CASE WHEN (m.meter_id + (d::date - date '2000-01-01')) % 211 = 0 THEN (SELECT f FROM bench.flags) END, 1
FROM generate_series('$1'::date, '$last'::date, interval '1 day') d
CROSS JOIN bench.sample_meter m
JOIN bench.pool p ON p.k = (m.meter_id + (d::date - date '2000-01-01')) % 97
ORDER BY d, m.meter_id;
INSERT INTO meterops.$part (meter_id, day, wh, flags, file_id)
SELECT m.meter_id, '$bday'::date, p.wh, NULL, 1
FROM meterops.meter m
JOIN bench.pool p ON p.k = (m.meter_id + ('$bday'::date - date '2000-01-01')) % 97
WHERE m.meter_id % $2 = 0 AND NOT EXISTS (SELECT 1 FROM bench.sample_meter s WHERE s.meter_id = m.meter_id);
COMMIT;
SQL
    }
    m=$first
    months=""
    while :; do
        months="$months $m"
        [ "$m" = "$(p "SELECT date_trunc('month', current_date)::date")" ] && break
        m=$(p "SELECT ('$m'::date + interval '1 month')::date")
    done
    for m in $months; do
        every=10
        [ "$(p "SELECT '$m'::date >= '$touched'::date")" = t ] && every=1
        echo "$m $every"
    done >"$dir/months"
    # two partitions at a time
    while read -r m every; do
        fill "$m" "$every" >"$dir/fill-$m.sql"
    done <"$dir/months"
    ls "$dir"/fill-*.sql | xargs -P 2 -I{} sh -c 'psql -X -q -v ON_ERROR_STOP=1 -f {} && echo "$(date -u +%H:%M:%S) done {}"'
    say "readings written; free disk $(freegb) GB"
    p "VACUUM ANALYZE meterops.reading_day"
    info reading_days "$(p "SELECT count(*) FROM meterops.reading_day")"
    info reading_bytes "$(p "SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) FROM pg_inherits WHERE inhparent = 'meterops.reading_day'::regclass")"
    info built "$(date -u +%F)"
    p "ALTER SYSTEM RESET wal_level"; p "ALTER SYSTEM RESET max_wal_senders"
    "$sandbox" stop "$dir/pg"; "$sandbox" start "$dir/pg" >/dev/null
    say "built: $(p "SELECT string_agg(k || '=' || v, '; ' ORDER BY k) FROM bench.info")"
}

case $action in
build) build 2>&1 | tee -a "$dir/build.log"; exit 0 ;;
run) ;;
*) echo "usage: bench/customer-scale.sh [build|run|stop|drop] [DIR]" >&2; exit 2 ;;
esac

"$sandbox" status "$dir/pg" >/dev/null 2>&1 || "$sandbox" start "$dir/pg" >/dev/null
"$bin" db migrate --db "$db" >/dev/null
yday=$(p "SELECT (current_date - 1)::text")
d90=$(p "SELECT (current_date - 90)::text"); d30=$(p "SELECT (current_date - 30)::text")
d7=$(p "SELECT (current_date - 7)::text")
# an embedded query, as the binary runs it; with which=old, as BASE (below) had it
sq() {
    if [ "${which:-new}" = old ]; then (cd "$srcdir" && git show "$base:queries/$1.sql"); else cat "$srcdir/queries/$1.sql"; fi |
        sed -e '/^--/d'
}

# One session per customer, as the console opens a card: each query of queries/customer/
# prepared (parsed) untimed, then executed (planned with the values, as PQexecParams
# does, and run) with \timing; '@ name' marks which query the next Time line belongs to.
script() { # script ACCOUNT MPXN POSTCODE NAME SURNAME
    prepare
    execute "$@"
}
prepare() {
    cat <<SQL
\\o /dev/null
PREPARE find(text, text, text, int) AS $(sq customer/find);
PREPARE view_find(text, text, text, int) AS $(sq console/customer_find);
PREPARE meters(text) AS $(sq customer/meters);
PREPARE daily(text, date, date) AS $(sq customer/daily);
PREPARE insights(text, date, date) AS $(sq customer/insights);
PREPARE week(text, date, date) AS SELECT * FROM meterops.meter_usage_halfhourly(\$1, \$2, \$3);
\\timing on
SQL
}
execute() {
    cat <<SQL
\\echo @ find_account
EXECUTE find('$1', NULL, NULL, 50);
\\echo @ find_mpxn
EXECUTE find('$2', NULL, NULL, 50);
\\echo @ find_postcode
EXECUTE find('$3', NULL, NULL, 50);
\\echo @ find_name
EXECUTE find('$4', NULL, NULL, 50);
\\echo @ find_surname
EXECUTE find('$5', NULL, NULL, 50);
\\echo @ view_find_surname
EXECUTE view_find('$5', NULL, NULL, 50);
\\echo @ meters
EXECUTE meters('$1');
\\echo @ daily_30
EXECUTE daily('$1', '$d30', '$yday');
\\echo @ daily_90
EXECUTE daily('$1', '$d90', '$yday');
\\echo @ week_halfhours
EXECUTE week('$2', '$d7', '$yday');
\\echo @ insights_30
EXECUTE insights('$1', '$d30', '$yday');
\\echo @ insights_90
EXECUTE insights('$1', '$d90', '$yday');
\\echo @ floor_select_1
SELECT 1;
SQL
}
# The functions measured against the previous ones (BASE, default the merge base with main: the files of
# queries/functions/ that differ), in the same run: chunks of 25 customers, each chunk
# measured with both, in alternating order, so load from the rest of the machine falls on
# both alike.
base=${BASE:-$(cd "$srcdir" && git merge-base HEAD main)}
changed=$(cd "$srcdir" && git diff --name-only "$base" -- queries/functions | sort)
use() { # use new|old
    # a function whose arguments changed: drop the new one, or calls of the old are ambiguous
    # (file: the function whose arguments it changed since the first measurements)
    if [ "$1" = old ]; then
        for fs in customer_search.sql:'customer_find(text, text, text, int)' \
                  usage_byday.sql:'meter_days_priced(text, date, date, boolean)'; do
            case " $(echo $changed) " in *" queries/functions/${fs%%:*} "*)
                p "DROP FUNCTION IF EXISTS meterops.${fs#*:}" ;;
            esac
        done
    fi
    for f in $changed; do
        if [ "$1" = old ]; then (cd "$srcdir" && git show "$base:$f" 2>/dev/null); else cat "$srcdir/$f"; fi |
            psql -X -q -v ON_ERROR_STOP=1 >/dev/null
    done
    # what `db migrate` does after the functions (plan_mode.sql): new, as the new code
    # does; old, as the old code left them where it had no such step
    if [ "$1" = new ]; then
        p "DO \$\$ BEGIN IF to_regprocedure('meterops.fit_plan_mode()') IS NOT NULL THEN
             PERFORM meterops.fit_plan_mode(); END IF; END \$\$"
    elif ! (cd "$srcdir" && git cat-file -e "$base:queries/functions/plan_mode.sql" 2>/dev/null); then
        p "DO \$\$ DECLARE f regprocedure; BEGIN
             FOR f IN SELECT oid::regprocedure FROM pg_proc WHERE pronamespace = 'meterops'::regnamespace
                        AND array_to_string(proconfig, ',') LIKE '%plan_cache_mode%' LOOP
               EXECUTE format('ALTER FUNCTION %s RESET plan_cache_mode', f);
             END LOOP; END \$\$"
    fi
}
p "SELECT s.account_no, m.mpxn, c.postcode, c.name, regexp_replace(c.name, '^.* ', '')
   FROM bench.sample s JOIN meterops.customer c USING (customer_id)
   CROSS JOIN LATERAL (SELECT mpxn FROM meterops.customer_meters(s.account_no) LIMIT 1) m
   ORDER BY s.n LIMIT $n" >"$dir/customers.txt"
: >"$dir/times.new"; : >"$dir/times.old"
split -l 25 -d -a 3 "$dir/customers.txt" "$dir/chunk."
k=0
for chunk in "$dir"/chunk.*; do
    if [ $((k % 2)) = 0 ]; then order="new old"; else order="old new"; fi
    for which in $order; do
        [ -n "$changed" ] || [ "$which" = new ] || continue
        use "$which"
        while IFS='|' read -r acct mpxn pc name sur; do
            script "$acct" "$mpxn" "$pc" "$name" "$sur" | psql -X -q -v ON_ERROR_STOP=1 |
                awk '/^@ / { q = $2 } /^Time: / { if (q != "") print q, $2; q = "" }' >>"$dir/times.$which"
        done <"$chunk"
    done
    rm -f "$chunk"
    k=$((k + 1))
done
use new
which=new
times="$dir/times.new"
# The console stays connected: the same customers' queries in one session.
{ prepare; head -n 100 "$dir/customers.txt" | while IFS='|' read -r acct mpxn pc name sur; do
      execute "$acct" "$mpxn" "$pc" "$name" "$sur"; done; } | psql -X -q -v ON_ERROR_STOP=1 |
    awk '/^@ / { q = $2 } /^Time: / { if (q != "") print q, $2; q = "" }' >"$dir/times.one"
# Plans of one customer's queries, with the pages they touch.
acct=$(p "SELECT account_no FROM bench.sample ORDER BY n LIMIT 1")
mpxn=$(p "SELECT mpxn FROM meterops.customer_meters('$acct') LIMIT 1")
mid=$(p "SELECT meter_id FROM meterops.meter WHERE mpxn = '$mpxn'")
{
    for q in "SELECT * FROM meterops.customer_find('$acct')" \
             "SELECT * FROM meterops.customer_meters('$acct')" \
             "SELECT * FROM meterops.meter_cost_daily('$mpxn', '$d90', '$yday')" \
             "SELECT * FROM meterops.meter_usage_halfhourly('$mpxn', '$d7', '$yday')" \
             "SELECT * FROM meterops.customer_insights('$acct', '$d90', '$yday')" \
             "SELECT sum(cardinality(wh)) FROM meterops.reading_day WHERE meter_id = $mid AND day BETWEEN '$d90'::date - 91 AND '$yday'"; do
        echo "== $q"
        p "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $q"
    done
    # customer_find is plpgsql: EXPLAIN shows one Function Scan; auto_explain shows the
    # statements inside it (the name searches' trigram reads and name index walks).
    sur=$(p "SELECT regexp_replace(c.name, '^.* ', '') FROM bench.sample s JOIN meterops.customer c USING (customer_id)
             WHERE c.name ~ ' (Smith|Jones|Taylor|Brown|Williams)$' ORDER BY s.n LIMIT 1")
    for ref in "${sur:-Smith}" "Olivia ${sur:-Smith}" "$acct"; do
        echo "== customer_find('$ref'), the statements inside (auto_explain)"
        psql -X -q -v ON_ERROR_STOP=1 -c "LOAD 'auto_explain'" -c "SET auto_explain.log_min_duration = 0" \
             -c "SET auto_explain.log_nested_statements = on" -c "SET auto_explain.log_analyze = on" \
             -c "SET auto_explain.log_buffers = on" -c "SET client_min_messages = log" \
             -c "SELECT count(*) FROM meterops.customer_find('$ref')" 2>&1
    done
    echo "== reading_day partitions: rows, index levels (bt_metap)"
    p "CREATE EXTENSION IF NOT EXISTS pageinspect" >/dev/null 2>&1 || true
    p "SELECT c.relname, c.reltuples::bigint, i.relname, (SELECT level FROM bt_metap('meterops.' || i.relname)) + 1 AS depth
       FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid
       JOIN pg_index x ON x.indrelid = c.oid AND x.indisprimary JOIN pg_class i ON i.oid = x.indexrelid
       WHERE h.inhparent = 'meterops.reading_day'::regclass ORDER BY 1" 2>&1 || true
} >"$dir/plans.txt" 2>&1

pct() { # pct NAME P [FILE]: the P-th percentile (nearest rank) of NAME's times, ms
    awk -v q="$1" '$1 == q { print $2 }' "${3:-$times}" | sort -n |
        awk -v pc="$2" '{ v[NR] = $1 } END { i = int(NR * pc / 100 + 0.999); if (i < 1) i = 1; printf "%.1f", v[i] }'
}
echo "## Customer lookup at national scale"
echo
echo "\`bench/customer-scale.sh run\` ($(date -u +%F), $(nproc) cores shared, scripts/pg-sandbox"
echo "settings): $(awk '$1 == "meters" { n++ } END { print n }' "$times") different customers, one new session each; built by"
echo "\`bench/customer-scale.sh build\` ($(p "SELECT string_agg(k || ' ' || v, ', ' ORDER BY k) FROM bench.info WHERE k <> 'built'"))."
echo
if [ -n "$changed" ]; then
    echo "Previous functions (BASE=$(echo $base | cut -c1-10)): $(echo $changed | sed 's/ /, /g')."
else
    echo "No previous functions (none of queries/functions differs from BASE=$(echo $base | cut -c1-10)): the previous columns are empty."
fi
echo
echo "| query | p50 ms | p95 ms | max ms | previous: p50 ms | p95 ms | p95 previous / now | one session: p50 ms | p95 ms |"
echo "|---|---|---|---|---|---|---|---|---|"
for q in find_account find_mpxn find_postcode find_name find_surname view_find_surname meters daily_30 daily_90 week_halfhours insights_30 insights_90 floor_select_1; do
    p50=$(pct $q 50); p95=$(pct $q 95); mx=$(pct $q 100)
    o50=- o95=- ratio=-
    if [ -n "$changed" ]; then
        o50=$(pct $q 50 "$dir/times.old"); o95=$(pct $q 95 "$dir/times.old")
        ratio=$(awk -v a="$o95" -v b="$p95" 'BEGIN { printf "%.2f", a / b }')
    fi
    echo "| $q | $p50 | $p95 | $mx | $o50 | $o95 | $ratio | $(pct $q 50 "$dir/times.one") | $(pct $q 95 "$dir/times.one") |"
done
