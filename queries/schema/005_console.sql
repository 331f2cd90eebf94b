-- 005_console: what the operator console needs from the database beyond 001/002.
--
-- The console's health line and `meterops status` read pg_stat_activity (longest
-- transaction, sessions waiting on locks), pg_stat_progress_copy and pg_stat_replication.
-- For anyone but a superuser PostgreSQL hides other sessions' details there unless the
-- role is in pg_monitor, PostgreSQL's read-only monitoring role; operators need exactly that.
-- Membership is cluster-wide: another database's migration may grant it at the same moment
-- (see 002_roles), and then this grant meets that one.
DO $$
BEGIN
    GRANT pg_monitor TO meterops_operator;
EXCEPTION WHEN unique_violation THEN
    NULL;
END
$$;

-- The dashboard counts files finished in the last 24 hours and the throughput looks at the
-- last minute; both filter on finished_at, which no index covered.
CREATE INDEX load_file_finished_idx ON meterops.load_file (finished_at);
