-- Binary COPY of meter-days into the correction path's staging table.
COPY pg_temp.stage_day (meter_id, day, wh, flags, file_id) FROM STDIN (FORMAT binary)
