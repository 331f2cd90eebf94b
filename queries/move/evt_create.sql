-- move/evt_create: the text of the event trigger that makes every new reading_day
-- partition on the target too (meterops.migration_ddl_sync, 016_migration.sql).
SELECT format('CREATE EVENT TRIGGER %I ON ddl_command_end WHEN TAG IN (''CREATE TABLE'', ''ALTER TABLE'') '
              'EXECUTE FUNCTION meterops.migration_ddl_sync()', $1::text)
