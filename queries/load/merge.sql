-- The correction path: staged meter-days merged into reading_day interval by interval.
-- A value given by the new file replaces the stored one, an interval it leaves empty
-- keeps the stored value, and file_id names the file that last set the day. A staged
-- day that gives every interval replaces the stored one outright (what merge_wh and
-- merge_flags would compute, without calling them per row).
INSERT INTO meterops.reading_day AS r (meter_id, day, wh, flags, file_id)
SELECT s.meter_id, s.day, s.wh, s.flags, s.file_id FROM pg_temp.stage_day s
ON CONFLICT (meter_id, day) DO UPDATE
   SET wh = CASE WHEN array_position(EXCLUDED.wh, NULL) IS NULL THEN EXCLUDED.wh
                 ELSE meterops.merge_wh(r.wh, EXCLUDED.wh) END,
       flags = CASE WHEN array_position(EXCLUDED.wh, NULL) IS NULL THEN EXCLUDED.flags
                    ELSE meterops.merge_flags(r.wh, r.flags, EXCLUDED.wh, EXCLUDED.flags) END,
       file_id = EXCLUDED.file_id
