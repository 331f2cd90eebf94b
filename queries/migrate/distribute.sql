-- migrate/distribute: `meterops db distribute`: the tables of schema meterops placed on
-- the Citus cluster (queries/schema/015_citus.sql), one row per table: its name, where it
-- is, and 'distributed' (moved now) or 'already'.
SELECT relation, placement, action FROM meterops.citus_distribute()
