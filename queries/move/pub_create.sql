-- move/pub_create: the text of the publication's DDL: every table the move carries,
-- reading_day through its root, so a partition made later is published too and the target
-- routes rows into its own partitions. C runs the text (identifiers quoted here).
SELECT format('CREATE PUBLICATION %I FOR TABLE %s WITH (publish_via_partition_root = true)',
              $1::text, string_agg(t::text, ', '))
  FROM meterops.migration_tables() t
