#!/bin/sh
# bench/prices.sh - what dated prices cost the support desk's cost query: one meter's 90
# local days of meter_cost_daily on a flat banded tariff (the baseline) against the same
# readings on a tariff carrying two years of half-hourly dated prices (35,088 rows, as
# Octopus Agile publishes), among TARIFFS (default 20) such tariffs, in a private server
# started and stopped here. A third meter changes from the band tariff to a dated one in the
# middle of the 90 days (meter_tariff, 023). Median of RUNS (default 7) runs, each in a new
# session. Prints a Markdown section for bench/RESULTS.md.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
bin=${MO_BIN:-$top/build/meterops}
ntariffs=${TARIFFS:-20}
runs=${RUNS:-7}
[ -x "$bin" ] || { echo "bench/prices.sh: $bin not built" >&2; exit 2; }
box=$(mktemp -d "${TMPDIR:-/tmp}/meterops-bench-prices.XXXXXX")
chmod 755 "$box"
trap '"$top/scripts/pg-sandbox" stop "$box/pg" >/dev/null 2>&1; rm -rf "$box"' EXIT
mkdir "$box/pg"
"$top/scripts/pg-sandbox" start "$box/pg" >/dev/null
export PGHOST="$box/pg" PGPORT=5432 PGUSER=postgres PGDATABASE=meterops MO_SRCDIR="$top"
"$bin" db migrate --db "host=$box/pg port=5432 user=postgres dbname=meterops" >/dev/null
q() { psql -X -q -v ON_ERROR_STOP=1 -tA -c "$1"; }
median_ms() {
    i=0
    while [ $i -lt "$runs" ]; do
        psql -X -q -v ON_ERROR_STOP=1 -c '\timing on' -c "$1" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1
        i=$((i + 1))
    done | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] }'
}
q "INSERT INTO meterops.tariff (code, name, fuel, standing_p_day, valid_from)
   SELECT 'T-' || g, 'tariff ' || g, 'elec', 50, '2023-01-01' FROM generate_series(0, $ntariffs) g;
   INSERT INTO meterops.tariff_band (tariff_id, band, start_minute, end_minute, unit_p_kwh)
   SELECT tariff_id, 'all day', 0, 1440, 24.5 FROM meterops.tariff;
   INSERT INTO meterops.tariff_price (tariff_id, starts, ends, unit_p_kwh)
   SELECT t.tariff_id, s, s + interval '30 minutes', round((10 + 20 * random())::numeric, 4)
   FROM meterops.tariff t
   CROSS JOIN generate_series(timestamptz '2023-01-01 00:00+00', timestamptz '2024-12-31 23:30+00', interval '30 minutes') s
   WHERE t.code <> 'T-0';
   INSERT INTO meterops.meter (mpxn, fuel, tariff_id)
   SELECT m.mpxn, 'elec', t.tariff_id FROM (VALUES ('2700003645222', 'T-0'), ('1200023305967', 'T-1')) m(mpxn, code)
   JOIN meterops.tariff t USING (code);
   -- a meter moved mid-period (issue 11, 023): the band tariff to 15 October, a dated one from the 16th
   INSERT INTO meterops.meter (mpxn, fuel, tariff_id)
   SELECT '2700003645339', 'elec', tariff_id FROM meterops.tariff WHERE code = 'T-0';
   INSERT INTO meterops.meter_tariff (meter_id, valid_from, tariff_id)
   SELECT m.meter_id, '2024-10-16', t.tariff_id FROM meterops.meter m, meterops.tariff t
   WHERE m.mpxn = '2700003645339' AND t.code = 'T-2';
   UPDATE meterops.meter SET tariff_id = (SELECT tariff_id FROM meterops.tariff WHERE code = 'T-2')
   WHERE mpxn = '2700003645339';
   SELECT meterops.ensure_reading_partitions('2024-01-01', '2024-12-31');
   INSERT INTO meterops.load_file (path, sha256, format, status) VALUES ('/bench', repeat('a', 64), 'long', 'loaded');
   INSERT INTO meterops.reading_day (meter_id, day, wh, file_id)
   SELECT m.meter_id, d::date, (SELECT array_agg((100 + 400 * random())::int) FROM generate_series(1, 48)),
          (SELECT max(file_id) FROM meterops.load_file)
   FROM meterops.meter m CROSS JOIN generate_series(date '2024-01-01', date '2024-12-31', interval '1 day') d;
   ANALYZE;" >/dev/null
prices=$(q "SELECT count(*) FROM meterops.tariff_price")
band=$(median_ms "SELECT sum(cost_p) FROM meterops.meter_cost_daily('2700003645222', '2024-09-01', '2024-11-29')")
dated=$(median_ms "SELECT sum(cost_p) FROM meterops.meter_cost_daily('1200023305967', '2024-09-01', '2024-11-29')")
moved=$(median_ms "SELECT sum(cost_p) FROM meterops.meter_cost_daily('2700003645339', '2024-09-01', '2024-11-29')")
echo "## Dated prices ($(date -u +%Y-%m-%d), bench/prices.sh, TARIFFS=$ntariffs RUNS=$runs)"
echo
echo "meter_cost_daily over 90 local days (4,320 half-hours), median of $runs sessions;"
echo "$prices dated prices stored ($ntariffs tariffs x 2 years of half-hours)."
echo
echo "| tariff | ms | ratio |"
echo "|---|---|---|"
echo "| one band (baseline) | $band | 1.00 |"
echo "| half-hourly dated prices | $dated | $(echo "$dated $band" | awk '{ printf "%.2f", $1 / $2 }') |"
echo "| band tariff to 15 Oct, dated prices from 16 Oct (meter_tariff) | $moved | $(echo "$moved $band" | awk '{ printf "%.2f", $1 / $2 }') |"
