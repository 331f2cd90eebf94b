-- 017_health: what the console's Health view needs (issue 10).
-- The operator reads the server's monitoring views through pg_monitor, granted by
-- 005_console (every session's query, pg_stat_replication, replication slots,
-- pg_stat_progress_*, the settings), as pg_activity and check_postgres need as a
-- non-superuser. Cancelling or terminating a backend is not granted as such: only
-- meterops.cancel_backend() and terminate_backend() (queries/functions/backend_signal.sql),
-- which audit each use.

-- The functions run as their owner (who ran `db migrate`): a superuser may signal any
-- backend; any other owner needs pg_signal_backend, which it can grant itself only when
-- it holds that role with admin option. Without it the functions refuse at run time with
-- PostgreSQL's own "permission denied to cancel query", which the console shows.
DO $$
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        BEGIN
            EXECUTE format('GRANT pg_signal_backend TO %I', current_user);
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'meterops: % cannot grant itself pg_signal_backend; cancel_backend() will be refused until a superuser does', current_user;
        END;
    END IF;
END
$$;

-- Table sizes sampled at most once an hour, so the Health view can show growth per day
-- without measuring anything twice. Written only by meterops.health_sizes() (SECURITY
-- DEFINER); 40 days are kept. relid is not kept: a table dropped and created again under
-- the same name is the same table to the on-call engineer.
CREATE TABLE IF NOT EXISTS meterops.size_sample (
    at      timestamptz NOT NULL,
    relname text NOT NULL,           -- schema-qualified, as regclass prints it
    bytes   bigint NOT NULL,
    PRIMARY KEY (relname, at)
);
CREATE INDEX IF NOT EXISTS size_sample_at_idx ON meterops.size_sample (at);
GRANT SELECT ON meterops.size_sample TO meterops_operator;
