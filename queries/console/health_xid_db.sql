-- console/health_xid_db: transaction ID age per database (age(datfrozenxid)) against
-- autovacuum_freeze_max_age, where an anti-wraparound vacuum is forced, and the
-- multixact age likewise. Catalog only.
SELECT d.datname AS db, age(d.datfrozenxid)::bigint AS xid_age,
       current_setting('autovacuum_freeze_max_age')::bigint AS freeze_max,
       round(100.0 * age(d.datfrozenxid) / current_setting('autovacuum_freeze_max_age')::bigint, 1) AS pct,
       mxid_age(d.datminmxid)::bigint AS mxid_age
FROM pg_database d
WHERE d.datallowconn
ORDER BY xid_age DESC
