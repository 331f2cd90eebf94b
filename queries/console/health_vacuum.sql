-- console/health_vacuum: the Health view's vacuums in progress (pg_stat_progress_vacuum,
-- autovacuum and VACUUM alike): phase, heap blocks scanned and vacuumed of the total,
-- index passes, dead tuples collected; how long it has run.
SELECT p.pid, p.datname AS db, coalesce(p.relid::regclass::text, '') AS relation, p.phase,
       p.heap_blks_total, p.heap_blks_scanned, p.heap_blks_vacuumed, p.index_vacuum_count,
       p.num_dead_tuples,
       coalesce(extract(epoch FROM now() - a.xact_start)::bigint, -1) AS running_s,
       coalesce(a.query LIKE 'autovacuum:%', false) AS auto
FROM pg_stat_progress_vacuum p
LEFT JOIN pg_stat_activity a ON a.pid = p.pid
ORDER BY p.pid
