-- console/customer_halfhours: the Customer view's heatmap and a day's half-hours - one
-- meter's half-hours of local days $2 to $3 (meterops.meter_usage_halfhourly: slot 0 at
-- local midnight, 46 or 50 slots on clock-change days, wh NULL where missing).
-- $1 = mpxn, $2 = first day, $3 = last day.
SELECT to_char(h.day, 'YYYY-MM-DD') AS day, h.slot, to_char(h.local_start, 'HH24:MI') AS local_start, h.wh
FROM meterops.meter_usage_halfhourly($1, $2::date, $3::date) h
ORDER BY h.day, h.slot
