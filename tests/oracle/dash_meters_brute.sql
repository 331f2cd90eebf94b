-- console/dash_meters: the registry by fuel, how many meters reported today (have a
-- reading_day row for today, UTC) and how many active meters have been silent for more than
-- $1 days (no reading_day row since then). Only the recent partitions are read.
WITH today AS (SELECT (now() AT TIME ZONE 'UTC')::date AS d),
active AS (
    SELECT m.meter_id, m.fuel FROM meterops.meter m, today
    WHERE m.removed_on IS NULL OR m.removed_on > today.d
), seen AS (
    SELECT r.meter_id, max(r.day) AS last_day
    FROM meterops.reading_day r, today
    WHERE r.day >= today.d - $1::int AND r.day <= today.d
    GROUP BY r.meter_id
)
SELECT count(*)                                             AS total,
       count(*) FILTER (WHERE a.fuel = 'elec')              AS elec,
       count(*) FILTER (WHERE a.fuel = 'gas')               AS gas,
       count(*) FILTER (WHERE s.last_day = today.d)         AS reporting_today,
       count(*) FILTER (WHERE s.meter_id IS NULL)           AS silent
FROM active a CROSS JOIN today LEFT JOIN seen s USING (meter_id)
