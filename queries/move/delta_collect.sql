-- move/delta_collect: consumes the changes commits made since the previous call from slot
-- $1 (test_decoding), keeps the reading_day keys among them tagged with round $2 (in
-- pg_temp.move_delta_keys, move/delta_keys_table.sql), and returns the relations changed
-- as a text[] literal. The changes are read once (MATERIALIZED): reading consumes them.
WITH c AS MATERIALIZED (
    SELECT data FROM pg_logical_slot_get_changes($1, NULL, NULL, 'skip-empty-xacts', '1',
                                                 'include-xids', '0')
), kept AS (
    INSERT INTO pg_temp.move_delta_keys (round, relation, meter_id, day)
    SELECT $2::int, x.rel, (x.k)[1]::bigint, (x.k)[2]::date
      FROM (SELECT substring(data FROM '^table (meterops\.reading_day_[^:]+): ') AS rel,
                   regexp_match(data, ': [A-Z]+: meter_id\[bigint\]:(-?[0-9]+) day\[date\]:''([^'']+)''') AS k
              FROM c) x
     WHERE x.rel IS NOT NULL
)
SELECT coalesce(array_agg(DISTINCT r ORDER BY r), '{}')::text
  FROM (SELECT substring(data FROM '^table (meterops\.[^:]+): ') AS r FROM c) c2
 WHERE r IS NOT NULL
