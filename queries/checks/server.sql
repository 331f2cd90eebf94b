-- checks/server: the archiver and the checkpointer. Archiving: whether archive_mode is on,
-- the WAL segments waiting to be archived (.ready files, pg_ls_archive_statusdir: granted to
-- pg_monitor), and how long it has been failing (the last attempt failed: since the last
-- success, or since statistics were reset or the server started; else 0). Checkpoints: timed and requested
-- since pg_stat_bgwriter was reset, and the hours that covers.
SELECT current_setting('archive_mode') <> 'off'                                AS archiving,
       (SELECT count(*) FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready') AS ready,
       a.failed_count,
       CASE WHEN a.last_failed_time IS NOT NULL
                 AND a.last_failed_time > coalesce(a.last_archived_time, '-infinity')
            THEN extract(epoch FROM now() - coalesce(a.last_archived_time, a.stats_reset,
                                                     pg_postmaster_start_time()))
            ELSE 0 END::float8                                                 AS failing_s,
       coalesce(a.last_failed_wal, '')                                         AS last_failed_wal,
       b.checkpoints_timed, b.checkpoints_req,
       extract(epoch FROM now() - b.stats_reset)::float8 / 3600                AS stats_hours
FROM pg_stat_archiver a, pg_stat_bgwriter b
