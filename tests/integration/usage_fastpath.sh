#!/bin/sh
# The fast path of the customer card (issue 11, "Speed"): meterops.meter_days_priced, which
# meter_cost_daily and customer_insights read, reads a local day as slices of its
# reading_day rows (a sum for a flat tariff, a sum per band for time-of-use bands, readings
# and half-hourly prices in step for a dated tariff) and prices interval by interval
# (meterops.meter_slots_priced) only the days it cannot. Here every meter-day of a
# generated fleet is compared with the figures worked from meter_slots / meter_slots_priced
# over both 2024 clock changes, with missing intervals, estimated readings, export meters,
# Economy 7, a dated half-hourly tariff (and a day of it priced by a price of several
# hours), a tariff change mid-period, a tariff that ends, bands with a gap and overlapping
# bands, quarter-hourly and hourly meters, and arrays longer than a day.
. "$MO_SRCDIR/tests/lib.sh"
t=$(tmpdir)
"$MO_BIN" gen --quiet --meters 40 --days 216 --start 2024-03-29 --seed 21 --missing-rate 0.01 \
    --out "$t/gen" >/dev/null
chmod -R a+rX "$t"
db=$(fresh_db t_usage_fastpath)
q() { sql "$1" -d t_usage_fastpath; }
"$MO_BIN" db migrate --db "$db" >/dev/null
"$MO_BIN" load --db "$db" --quiet "$t/gen/customers.csv" "$t/gen/tariffs.csv" "$t/gen/meters.csv" \
    "$t/gen/readings.csv" >/dev/null 2>&1
ok $? "a generated fleet over both clock changes of 2024 loads"

# What the generated data holds besides, written as the loader would store it.
q "INSERT INTO meterops.tariff (code, name, fuel, standing_p_day, valid_from)
     VALUES ('DYN', 'Dynamic', 'elec', 40.0000, '2024-01-01'),
            ('GAP', 'Gap', 'elec', 10.0000, '2024-01-01'),
            ('OVERLAP', 'Overlap', 'elec', 10.0000, '2024-01-01'),
            ('ENDS', 'Ends', 'elec', 10.0000, '2024-01-01');
   UPDATE meterops.tariff SET valid_to = '2024-10-28' WHERE code = 'ENDS';
   INSERT INTO meterops.tariff_band (tariff_id, band, start_minute, end_minute, unit_p_kwh)
   SELECT tariff_id, b, s, e, r FROM meterops.tariff,
          (VALUES ('DYN', 'day', 0, 1440, 30.0000), ('GAP', 'night', 0, 420, 8.0000),
                  ('GAP', 'day', 480, 1440, 25.0000), ('OVERLAP', 'a', 0, 900, 9.0000),
                  ('OVERLAP', 'b', 600, 1440, 21.0000), ('ENDS', 'night', 30, 450, 7.5000),
                  ('ENDS', 'rest', 0, 30, 20.0000), ('ENDS', 'day', 450, 1440, 20.0000)) v(c, b, s, e, r)
   WHERE code = c;
   -- half-hourly prices over the autumn change and a week in spring; 2 October priced by
   -- one price of several hours plus half-hours
   INSERT INTO meterops.tariff_price (tariff_id, starts, ends, unit_p_kwh)
   SELECT tariff_id, s, s + interval '30 minutes', round((10 + 9 * sin(extract(epoch FROM s) / 7000))::numeric, 4)
   FROM meterops.tariff,
        generate_series(timestamptz '2024-03-27 00:00+00', '2024-04-03 00:00+00', interval '30 minutes') s
   WHERE code = 'DYN'
   UNION ALL
   SELECT tariff_id, s, s + interval '30 minutes', round((10 + 9 * cos(extract(epoch FROM s) / 5000))::numeric, 4)
   FROM meterops.tariff,
        generate_series(timestamptz '2024-09-29 00:00+00', '2024-11-01 00:00+00', interval '30 minutes') s
   WHERE code = 'DYN' AND s NOT BETWEEN '2024-10-02 01:00+00' AND '2024-10-02 05:30+00'
   UNION ALL
   SELECT tariff_id, '2024-10-02 01:00+00', '2024-10-02 06:00+00', 12.3456 FROM meterops.tariff WHERE code = 'DYN'" >/dev/null
# Electricity meters onto the added tariffs (one each, by their order); one moves from
# Economy 7 to the dynamic tariff on 20 October (meter_tariff).
q "WITH e AS (SELECT meter_id, row_number() OVER (ORDER BY meter_id) AS n FROM meterops.meter
              WHERE fuel = 'elec' AND direction = 'import')
   UPDATE meterops.meter m SET tariff_id = (SELECT tariff_id FROM meterops.tariff WHERE code =
              (ARRAY['DYN', 'DYN', 'GAP', 'OVERLAP', 'ENDS'])[e.n])
   FROM e WHERE e.meter_id = m.meter_id AND e.n <= 5;
   UPDATE meterops.meter_tariff h SET tariff_id = m.tariff_id FROM meterops.meter m
   WHERE m.meter_id = h.meter_id AND h.tariff_id IS DISTINCT FROM m.tariff_id;
   INSERT INTO meterops.meter_tariff (meter_id, tariff_id, valid_from)
   SELECT meter_id, (SELECT tariff_id FROM meterops.tariff WHERE code = 'DYN'), '2024-10-20'
   FROM meterops.meter WHERE tariff_id = (SELECT tariff_id FROM meterops.tariff WHERE code = 'ELEC-E7')
   ORDER BY meter_id LIMIT 1" >/dev/null
# Estimated readings on every 9th meter-day (2 to 5 intervals, some of them missing, and
# flags shorter than the day now and then); quarter-hourly and hourly meters; a
# half-hourly meter whose older rows hold 96 quarter-hours (its interval changed).
q "UPDATE meterops.reading_day SET flags = decode(repeat('41', 10) || '4545' || repeat('41', 3) || '45' || repeat('41', 20) || '45', 'hex')
   WHERE (meter_id + (day - date '2024-01-01')) % 9 = 0;
   UPDATE meterops.reading_day SET flags = decode(repeat('41', 47) || '45', 'hex'), wh[48] = 7
   WHERE (meter_id + (day - date '2024-01-01')) % 9 = 4;
   UPDATE meterops.reading_day SET flags = decode('45454141', 'hex'), wh[2] = NULL
   WHERE (meter_id + (day - date '2024-01-01')) % 9 = 5;
   INSERT INTO meterops.meter (mpxn, fuel, interval_minutes, customer_id, tariff_id, installed_on, direction)
   SELECT v.mpxn, 'elec', v.minutes, c.customer_id, t.tariff_id, '2020-01-01', 'import'
   FROM (VALUES ('1900000000015', 15, 'ELEC-E7'), ('1900000000060', 60, 'ELEC-E7'),
                ('1900000000061', 60, 'DYN'), ('1900000000016', 15, 'DYN'),
                ('1900000000030', 30, 'ELEC-E7'), ('1900000000031', 30, 'ELEC-SVT')) v(mpxn, minutes, code)
   CROSS JOIN (SELECT min(customer_id) AS customer_id FROM meterops.customer) c
   JOIN meterops.tariff t ON t.code = v.code;
   INSERT INTO meterops.meter_tariff (meter_id, tariff_id, valid_from)
   SELECT meter_id, tariff_id, '-infinity' FROM meterops.meter WHERE mpxn LIKE '19000000000%'
   ON CONFLICT DO NOTHING;
   INSERT INTO meterops.reading_day (meter_id, day, wh, flags, file_id)
   SELECT m.meter_id, d::date,
          (SELECT array_agg(CASE WHEN (i * 7 + d::date - date '2024-01-01') % 23 = 0 THEN NULL
                                 ELSE (i * 37 + extract(doy FROM d)::int) % 400 END ORDER BY i)
           FROM generate_series(1, CASE WHEN m.mpxn IN ('1900000000030', '1900000000031') AND d < '2024-10-10'
                                        THEN 96 ELSE 1440 / m.interval_minutes END) i),
          CASE WHEN extract(day FROM d)::int % 5 = 0 THEN decode(repeat('4145', 30), 'hex') END,
          (SELECT min(file_id) FROM meterops.load_file)
   FROM meterops.meter m,
        generate_series(date '2024-03-27', date '2024-04-03', interval '1 day') d
   WHERE m.mpxn LIKE '19000000000%'
   UNION ALL
   SELECT m.meter_id, d::date,
          (SELECT array_agg((i * 31 + extract(doy FROM d)::int) % 300 ORDER BY i)
           FROM generate_series(1, CASE WHEN m.mpxn IN ('1900000000030', '1900000000031') AND d < '2024-10-10'
                                        THEN 96 ELSE 1440 / m.interval_minutes END) i),
          NULL, (SELECT min(file_id) FROM meterops.load_file)
   FROM meterops.meter m,
        generate_series(date '2024-10-01', date '2024-10-31', interval '1 day') d
   WHERE m.mpxn LIKE '19000000000%'" >/dev/null
ok $? "dated prices, odd tariffs, estimated readings, 15- and 60-minute meters written"

is "$(q "SELECT (SELECT count(*) > 0 FROM meterops.reading_day r JOIN meterops.meter m USING (meter_id)
                 WHERE m.direction = 'export' AND r.day IN ('2024-03-31', '2024-10-27')),
                (SELECT count(*) FILTER (WHERE x.v IS NULL) > 100 FROM meterops.reading_day, unnest(wh) x(v))")" \
   "t|t" "the data holds export meters on the clock-change days and missing intervals"

# The reference: each local day worked from the slots, as meter_cost_daily did before.
ref="
CREATE TEMP TABLE ref AS
SELECT m.mpxn, p.local_day AS day, p.tariff_id,
       sum(p.wh) AS wh, count(*) AS present, count(p.unit_p_kwh) AS priced,
       sum(p.wh * p.unit_p_kwh) AS cost_e3,
       sum(p.wh) FILTER (WHERE p.unit_p_kwh = (SELECT min(b.unit_p_kwh) FROM meterops.tariff_band b
                                               WHERE b.tariff_id = p.tariff_id)) AS cheap_wh,
       sum(p.wh) FILTER (WHERE p.unit_p_kwh IS NOT NULL) AS priced_wh
FROM meterops.meter m
CROSS JOIN LATERAL meterops.meter_slots_priced(m.mpxn, :'f', :'t') p
GROUP BY 1, 2, 3;
CREATE TEMP TABLE ref_slots AS
SELECT m.mpxn, s.local_day AS day, min(s.wh) AS min_wh, count(*) FILTER (WHERE s.quality = 'E') AS estimated
FROM meterops.meter m
CROSS JOIN LATERAL meterops.meter_slots(m.mpxn, :'f', :'t') s
GROUP BY 1, 2;
CREATE TEMP TABLE fast AS
SELECT m.mpxn, m.direction, d.*
FROM meterops.meter m CROSS JOIN LATERAL meterops.meter_days_priced(m.mpxn, :'f', :'t') d;
"
compare() { # compare FROM TO: meter-days differing from the reference (none), then how many compared
    psql -X -q -v ON_ERROR_STOP=1 -tA -d t_usage_fastpath -v f="$1" -v t="$2" <<SQL
$ref
SELECT count(*) FROM fast f
LEFT JOIN ref r ON r.mpxn = f.mpxn AND r.day = f.day
LEFT JOIN ref_slots s ON s.mpxn = f.mpxn AND s.day = f.day
WHERE f.kwh::text <> (coalesce(r.wh, 0) * 0.001)::text
   OR f.intervals <> coalesce(r.present, 0)
   OR (f.cost_p IS NULL) <> (f.tariff_id IS NULL OR coalesce(r.priced, 0) < coalesce(r.present, 0))
   OR f.cost_p::text <> (coalesce(r.cost_e3, 0) * CASE WHEN f.direction = 'export' THEN -0.001 ELSE 0.001 END)::text
   OR (r.present > 0 AND f.tariff_id IS DISTINCT FROM r.tariff_id)
   OR f.min_wh IS DISTINCT FROM s.min_wh
   OR f.estimated <> coalesce(s.estimated, 0)
   OR f.cheap_wh IS DISTINCT FROM r.cheap_wh::bigint
   OR f.priced_wh IS DISTINCT FROM r.priced_wh::bigint;
-- meter-days with readings, with estimated readings, not priced, of 23 or 25 hours
SELECT count(*) FILTER (WHERE f.intervals > 0) > 200, count(*) FILTER (WHERE f.estimated > 0) > 20,
       count(*) FILTER (WHERE f.cost_p IS NULL AND f.intervals > 0) > 0,
       count(*) FILTER (WHERE f.expected IN (46, 50, 92, 100, 23, 25) AND f.intervals > 0) > 0
FROM fast f;
SQL
}
is "$(compare 2024-03-27 2024-04-03)" "0
t|t|t|t" "spring: every meter-day's kWh, cost, intervals, lowest reading, estimated and cheap-rate energy as the slots give them"
is "$(compare 2024-09-28 2024-11-02)" "0
t|t|t|t" "autumn (dated prices, a tariff change, a tariff ending): the same"
is "$(compare 2024-06-01 2024-06-20)" "0
t|t|t|f" "a June period with no clock change: the same"

# meter_cost_daily is meter_days_priced's first figures
is "$(q "SELECT count(*) FROM meterops.meter m,
         LATERAL (SELECT day, kwh, cost_p, standing_p, intervals, expected
                  FROM meterops.meter_days_priced(m.mpxn, '2024-10-01', '2024-10-31')
                  EXCEPT ALL
                  SELECT * FROM meterops.meter_cost_daily(m.mpxn, '2024-10-01', '2024-10-31')) x")" 0 \
   "meter_cost_daily gives meter_days_priced's days"
# without the cost (customer_insights' previous period): the same use, nothing priced.
# Not for a meter on bands that overlap (which the tariff feeds refuse; made above to reach
# the slot path): priced, its intervals count once per band that holds them.
is "$(q "SELECT count(*) FILTER (WHERE (u.day, u.kwh, u.intervals, u.expected, u.min_wh, u.estimated)
                                         IS DISTINCT FROM (w.day, w.kwh, w.intervals, w.expected, w.min_wh, w.estimated)
                                      OR u.cost_p IS NOT NULL OR u.tariff_id IS NOT NULL OR u.cheap_wh IS NOT NULL)
                || ' ' || (count(*) > 1000) || ' ' || (count(*) FILTER (WHERE w.cost_p IS NOT NULL) > 500)
         FROM meterops.meter m
         CROSS JOIN LATERAL meterops.meter_days_priced(m.mpxn, '2024-09-28', '2024-11-02', false) u
         LEFT JOIN LATERAL meterops.meter_days_priced(m.mpxn, '2024-09-28', '2024-11-02') w ON w.day = u.day
         WHERE NOT EXISTS (SELECT 1 FROM meterops.meter_tariff h
                           JOIN meterops.tariff_band b1 ON b1.tariff_id = h.tariff_id
                           JOIN meterops.tariff_band b2 ON b2.tariff_id = b1.tariff_id
                            AND b2.start_minute > b1.start_minute AND b2.start_minute < b1.end_minute
                           WHERE h.meter_id = m.meter_id)")" "0 true true" \
   "meter_days_priced without the cost: the same days, kWh, intervals, lowest and estimated readings, unpriced"
[ -n "${KEEP_DB:-}" ] || psql -X -q -d postgres -c "DROP DATABASE IF EXISTS t_usage_fastpath WITH (FORCE)" >/dev/null 2>&1
rm -rf "$t"
done_testing
