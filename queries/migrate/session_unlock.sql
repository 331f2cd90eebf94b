-- migrate/session_unlock: ends what migrate/session_lock began.
SELECT pg_advisory_unlock(hashtext('meterops migrate'))
