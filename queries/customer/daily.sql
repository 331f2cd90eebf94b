-- customer/daily: each meter's local days for `meterops customer`, with per-meter totals
-- on every row and the customer's total cost. A cost is unit cost plus standing charge,
-- in pence to 0.01p (as bills state amounts) and in pounds to the penny, each rounded
-- half up once from the exact figure (never a rounded figure rounded again), and totals
-- are rounded after summing the exact figures, so a total need not be the sum of the
-- rounded days. A cost is NULL when a day is not priced (see meterops.meter_cost_daily);
-- a total is NULL when any of its days is. An export meter's cost is negative (a credit,
-- see meterops.meter_cost_daily) and counts in the total; its kWh are not use:
-- elec_import_kwh and elec_export_kwh total the customer's electricity by direction, and
-- elec_net_kwh is import less export.
-- $1 = account_no, $2 = first day, $3 = last day.
WITH d AS (
    SELECT m.mpxn, m.ordinality AS n, m.fuel, m.direction, c.day, c.kwh, c.cost_p + c.standing_p AS cost_p, c.standing_p,
           c.intervals, c.expected
    FROM meterops.customer_meters($1) WITH ORDINALITY AS m
    CROSS JOIN LATERAL meterops.meter_cost_daily(m.mpxn, $2::date, $3::date) c
), t AS (
    SELECT d.*,
           sum(d.kwh) OVER meter AS meter_kwh,
           CASE WHEN count(*) FILTER (WHERE d.cost_p IS NULL) OVER meter = 0
                THEN sum(d.cost_p) OVER meter END AS meter_cost_p,
           sum(d.intervals) OVER meter AS meter_intervals,
           sum(d.expected) OVER meter AS meter_expected,
           CASE WHEN count(*) FILTER (WHERE d.cost_p IS NULL) OVER () = 0
                THEN sum(d.cost_p) OVER () END AS total_cost_p,
           coalesce(sum(d.kwh) FILTER (WHERE d.fuel = 'elec' AND d.direction = 'import') OVER (), 0) AS imp,
           coalesce(sum(d.kwh) FILTER (WHERE d.fuel = 'elec' AND d.direction = 'export') OVER (), 0) AS exp
    FROM d
    WINDOW meter AS (PARTITION BY d.mpxn)
)
SELECT t.mpxn,
       to_char(t.day, 'YYYY-MM-DD') AS day,
       to_char(t.day, 'Dy') AS weekday,
       t.kwh,
       round(t.cost_p, 2) AS cost_p,
       round(t.cost_p / 100, 2) AS cost_gbp,
       t.standing_p,
       t.intervals,
       t.expected,
       t.meter_kwh,
       round(t.meter_cost_p, 2) AS meter_cost_p,
       round(t.meter_cost_p / 100, 2) AS meter_cost_gbp,
       t.meter_intervals,
       t.meter_expected,
       round(t.total_cost_p, 2) AS total_cost_p,
       round(t.total_cost_p / 100, 2) AS total_cost_gbp,
       t.imp AS elec_import_kwh,
       t.exp AS elec_export_kwh,
       t.imp - t.exp AS elec_net_kwh
FROM t
ORDER BY t.n, t.day
