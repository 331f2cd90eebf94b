-- checks/xid: transaction ID wraparound. The oldest datfrozenxid of the databases that
-- accept connections or matter (all of them but template0, which is frozen), against
-- autovacuum_freeze_max_age; the check's percentage is of 2^31, where PostgreSQL stops.
SELECT d.datname, age(d.datfrozenxid)::bigint AS xid_age,
       current_setting('autovacuum_freeze_max_age')::bigint AS freeze_max_age
FROM pg_database d
WHERE d.datallowconn
ORDER BY age(d.datfrozenxid) DESC
LIMIT 1
