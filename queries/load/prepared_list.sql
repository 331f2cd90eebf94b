-- On a worker: the prepared transactions loaders left there (gid meterops_<file>_<attempt>_<node>).
SELECT gid FROM pg_catalog.pg_prepared_xacts
WHERE database = current_database() AND gid LIKE 'meterops\_%'
ORDER BY gid
