-- move/delta_changes: the meterops tables and reading_day partitions that commits made since
-- the previous call changed (consumed from the slot $1), as a text[] literal.
SELECT coalesce(array_agg(DISTINCT r ORDER BY r), '{}')::text
  FROM (SELECT substring(data FROM '^table (meterops\.[^:]+): ') AS r
          FROM pg_logical_slot_get_changes($1, NULL, NULL, 'skip-empty-xacts', '1',
                                           'include-xids', '0')) c
 WHERE r IS NOT NULL
