-- customer/meters: the meters of one account for `meterops customer`, in the order
-- meterops.customer_meters gives. $1 = account_no.
SELECT m.mpxn, m.fuel, m.interval_minutes, m.tariff_code, m.tariff_name,
       to_char(m.installed_on, 'YYYY-MM-DD') AS installed_on,
       to_char(m.removed_on, 'YYYY-MM-DD') AS removed_on,
       m.direction
FROM meterops.customer_meters($1) m
