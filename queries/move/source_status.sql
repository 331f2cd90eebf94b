-- move/source_status: the move seen from the source: lag of its slot in bytes and time,
-- loads still arriving (files loading, queued), the last file loaded, and the table-sync
-- slots there are (space separated).
SELECT (SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint
          FROM pg_replication_slots WHERE slot_name = $1) AS lag_bytes,
       (SELECT extract(epoch FROM replay_lag)::float8 FROM pg_stat_replication
         WHERE application_name = $1 LIMIT 1) AS lag_seconds,
       (SELECT active FROM pg_replication_slots WHERE slot_name = $1) AS slot_active,
       (SELECT count(*) FROM meterops.load_file WHERE status = 'loading') AS loading,
       (SELECT count(*) FROM meterops.load_file WHERE status = 'queued') AS queued,
       (SELECT path FROM meterops.load_file WHERE status = 'loaded'
         ORDER BY finished_at DESC NULLS LAST, file_id DESC LIMIT 1) AS last_loaded,
       (SELECT coalesce(string_agg(slot_name, ' '), '') FROM pg_replication_slots
         WHERE slot_name LIKE 'pg\_%\_sync\_%') AS sync_slots
