-- move/server_facts: what plan checks on each side before anything is touched.
SELECT current_setting('server_version_num')::int AS version_num,
       current_setting('server_version') AS version,
       current_setting('wal_level') AS wal_level,
       current_setting('max_replication_slots')::int
         - (SELECT count(*) FROM pg_replication_slots)::int AS free_slots,
       current_setting('max_wal_senders')::int
         - (SELECT count(*) FROM pg_stat_replication)::int AS free_senders,
       EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'dblink') AS dblink_available,
       EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'dblink') AS dblink_installed,
       (SELECT system_identifier::text FROM pg_control_system()) || '/' || current_database() AS identity,
       to_regclass('meterops.schema_migration') IS NOT NULL AS has_schema,
       current_setting('max_logical_replication_workers')::int AS logical_workers,
       (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
       pg_database_size(current_database()) AS db_bytes,
       (SELECT coalesce(array_agg(r ORDER BY r), '{}') FROM unnest(ARRAY['meterops_loader',
               'meterops_operator', 'meterops_support']) r
         WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r))::text AS missing_roles,
       (SELECT coalesce(array_agg(extname ORDER BY extname), '{}') FROM pg_extension
         WHERE extname NOT IN ('plpgsql', 'dblink'))::text AS extensions
