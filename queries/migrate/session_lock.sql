-- migrate/session_lock: one migrator per database at a time, from before the bookkeeping
-- tables are made to the end of the run, so two `meterops db migrate` on a new database
-- do not both create schema meterops: the second waits, then finds every step applied.
-- Same key as migrate/lock, which a session holding this one is always granted.
SELECT pg_advisory_lock(hashtext('meterops migrate'))
