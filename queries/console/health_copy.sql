-- console/health_copy: COPY in progress (pg_stat_progress_copy): who, into or out of
-- which relation, bytes and tuples processed so far.
SELECT p.pid, p.datname AS db, coalesce(p.relid::regclass::text, '') AS relation, p.command, p.type,
       p.bytes_processed, p.bytes_total, p.tuples_processed, p.tuples_excluded
FROM pg_stat_progress_copy p
ORDER BY p.pid
