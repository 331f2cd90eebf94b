-- console/customer_monthly: the Customer view's monthly cost table - one account's days
-- $2 to $3 (meterops.meter_cost_daily of each meter of meterops.customer_meters) summed
-- by calendar month: electricity kWh by direction, gas kWh (export is never use), and the cost in pounds
-- rounded once from the exact sum (an export meter's credit counts in it); NULL when any
-- day of the month cannot be priced. $1 = account_no, $2 = first day, $3 = last day.
SELECT to_char(date_trunc('month', c.day), 'YYYY-MM') AS month,
       count(DISTINCT c.day) AS days,
       coalesce(sum(c.kwh) FILTER (WHERE m.fuel = 'elec' AND m.direction = 'import'), 0) AS elec_import_kwh,
       coalesce(sum(c.kwh) FILTER (WHERE m.fuel = 'elec' AND m.direction = 'export'), 0) AS elec_export_kwh,
       coalesce(sum(c.kwh) FILTER (WHERE m.fuel <> 'elec' AND m.direction = 'import'), 0) AS gas_kwh,
       CASE WHEN count(*) FILTER (WHERE c.cost_p IS NULL OR c.standing_p IS NULL) = 0
            THEN round(sum(c.cost_p + c.standing_p) / 100, 2) END AS cost_gbp
FROM meterops.customer_meters($1) m
CROSS JOIN LATERAL meterops.meter_cost_daily(m.mpxn, $2::date, $3::date) c
GROUP BY 1
ORDER BY 1
