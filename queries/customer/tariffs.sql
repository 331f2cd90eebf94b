-- customer/tariffs: the tariffs each meter of one account was on in the days `meterops
-- customer` reports, one row per meter and tariff period (meterops.meter_tariff_periods),
-- meters in the order meterops.customer_meters gives, periods in date order. A period's
-- cost (unit cost plus standing charge) is rounded once from its exact sum, in pence to
-- 0.01p and in pounds to the penny, like customer/daily.sql.
-- $1 = account_no, $2 = first day, $3 = last day.
SELECT m.mpxn,
       p.tariff_code,
       p.tariff_name,
       to_char(p.period_from, 'YYYY-MM-DD') AS period_from,
       to_char(p.period_to, 'YYYY-MM-DD') AS period_to,
       p.kwh,
       round(p.cost_p, 2) AS cost_p,
       round(p.cost_p / 100, 2) AS cost_gbp
FROM meterops.customer_meters($1) WITH ORDINALITY AS m
CROSS JOIN LATERAL meterops.meter_tariff_periods(m.mpxn, $2::date, $3::date) p
ORDER BY m.ordinality, p.period_from
