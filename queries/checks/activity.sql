-- checks/activity: the sessions `meterops status` judges beyond console/dash_health's
-- longest transaction, from pg_stat_activity (all of it readable through pg_monitor's
-- pg_read_all_stats), without its own backend. One row: the longest idle-in-transaction
-- spell (seconds, -1 none), the sessions waiting on a heavyweight lock and the longest
-- such wait (pg_locks.waitstart; -1 none), and the pid behind each longest.
WITH a AS (
    SELECT pid, state, state_change, wait_event_type
    FROM pg_stat_activity
    WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'
), w AS (
    SELECT pid, now() - min(waitstart) AS waited
    FROM pg_locks
    WHERE NOT granted AND pid <> pg_backend_pid()
    GROUP BY pid
)
SELECT coalesce((SELECT extract(epoch FROM now() - min(state_change)) FROM a
                 WHERE state IN ('idle in transaction', 'idle in transaction (aborted)')), -1)::float8 AS idle_xact_s,
       coalesce((SELECT pid FROM a WHERE state IN ('idle in transaction', 'idle in transaction (aborted)')
                 ORDER BY state_change LIMIT 1), 0) AS idle_xact_pid,
       (SELECT count(*) FROM a WHERE wait_event_type = 'Lock')                 AS blocked,
       coalesce((SELECT extract(epoch FROM max(waited)) FROM w), -1)::float8   AS longest_wait_s,
       coalesce((SELECT pid FROM w ORDER BY waited DESC NULLS LAST LIMIT 1), 0) AS longest_wait_pid
