-- console/health_wal: the Health view's WAL and archiver, as name/value pairs (kind c: a
-- counter the view turns into a rate between refreshes; n: a number; s: seconds ago;
-- t: text in name). The WAL position in bytes since 0/0 is the counter of WAL written.
SELECT 'wal' AS grp, 'WAL written' AS name,
       pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
                            ELSE pg_current_wal_lsn() END, '0/0')::bigint AS value, 'cb' AS kind
UNION ALL SELECT 'archiver', 'archive_mode ' || current_setting('archive_mode'), 0, 't'
UNION ALL SELECT 'archiver', 'archived', archived_count, 'n' FROM pg_stat_archiver
UNION ALL SELECT 'archiver', 'failed', failed_count, 'n' FROM pg_stat_archiver
UNION ALL SELECT 'archiver', 'last failure ' || coalesce(last_failed_wal, ''),
       coalesce(extract(epoch FROM now() - last_failed_time)::bigint, -1), 's' FROM pg_stat_archiver
UNION ALL SELECT 'archiver', 'last archived ' || coalesce(last_archived_wal, ''),
       coalesce(extract(epoch FROM now() - last_archived_time)::bigint, -1), 's' FROM pg_stat_archiver
