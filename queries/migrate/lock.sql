-- migrate/lock: serialises concurrent migrators (two loaders starting at once) for the
-- rest of the step's transaction.
SELECT pg_advisory_xact_lock(hashtext('meterops migrate'))
