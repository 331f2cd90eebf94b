-- console/health_dead: the largest tables (by pg_class.relpages, no lock) with their dead
-- tuples, the dead share of all tuples, and when autovacuum and VACUUM last ran
-- (seconds ago, -1 never). Statistics only. $1 how many.
SELECT format('%I.%I', s.schemaname, s.relname) AS relation, s.n_live_tup AS live, s.n_dead_tup AS dead,
       round(100.0 * s.n_dead_tup / greatest(s.n_live_tup + s.n_dead_tup, 1), 1) AS dead_pct,
       coalesce(extract(epoch FROM now() - s.last_autovacuum)::bigint, -1) AS autovacuum_s,
       coalesce(extract(epoch FROM now() - s.last_vacuum)::bigint, -1) AS vacuum_s,
       s.autovacuum_count
FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
ORDER BY c.relpages DESC, s.relid
LIMIT $1
