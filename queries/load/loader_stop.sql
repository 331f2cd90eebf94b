-- A loader that exits cleanly says so: it holds no file and sends no more heartbeats
-- (meterops.loader_stop(), as the loader may not UPDATE the loader registry).
SELECT meterops.loader_stop($1::bigint)
