-- move/target_truncate: the text that empties the target's fresh tables (rows the
-- migrations seed) before the initial copy brings the source's.
SELECT format('TRUNCATE %s', string_agg(t::text, ', ')) FROM meterops.migration_tables() t
