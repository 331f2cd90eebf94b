-- Empties the staging table after its rows were merged.
TRUNCATE pg_temp.stage_day
