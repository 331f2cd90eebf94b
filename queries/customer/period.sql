-- customer/period: the local days `meterops customer` reports: $2 days ending on $1, or
-- ending yesterday in Europe/London (the last day whose readings can be complete) when $1
-- is NULL. $1 = last day (date text or NULL), $2 = number of days.
SELECT to_char(p.last_day - ($2::int - 1), 'YYYY-MM-DD') AS from_day,
       to_char(p.last_day, 'YYYY-MM-DD') AS to_day
FROM (SELECT coalesce($1::date, (now() AT TIME ZONE 'Europe/London')::date - 1) AS last_day) p
