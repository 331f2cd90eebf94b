-- move/sequences: the source's sequence values as JSON (logical replication does not
-- carry them).
SELECT coalesce(json_agg(json_build_object('seq', format('%I.%I', schemaname, sequencename),
                                           'v', last_value)), '[]')::text
  FROM pg_sequences WHERE schemaname = 'meterops' AND last_value IS NOT NULL
