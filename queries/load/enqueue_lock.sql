-- Serialises enqueues of the same content, so two loaders given one file add it once.
SELECT pg_advisory_xact_lock(hashtext('meterops.load_file ' || $1))
