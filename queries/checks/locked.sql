-- checks/locked: which of the relations `meterops status` is about to read ($1, names
-- separated by commas) have an ACCESS EXCLUSIVE lock held or requested by another
-- session. A reader would queue behind either (a request waits for the holder, and every
-- later request waits behind it), so status skips the parts that read them rather than
-- wait out their share of the budget. pg_locks and to_regclass take no relation lock.
SELECT DISTINCT r.name
FROM unnest(string_to_array($1, ',')) AS r(name)
JOIN pg_locks l ON l.locktype = 'relation' AND l.relation = to_regclass(r.name)
               AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
WHERE l.mode = 'AccessExclusiveLock' AND l.pid <> pg_backend_pid()
ORDER BY 1
