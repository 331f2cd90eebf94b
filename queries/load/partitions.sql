-- Months that have a reading_day partition already (ensure_reading_partitions names them
-- reading_day_YYYY_MM), so the loader asks for new ones only when a file needs them.
SELECT c.relname
FROM pg_catalog.pg_inherits i
JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent = 'meterops.reading_day'::regclass
