-- console/health_xid_tables: this database's tables with the oldest relfrozenxid (what
-- the next anti-wraparound vacuum will scan first) against autovacuum_freeze_max_age.
-- A read of pg_class: no lock on the tables. $1 how many.
SELECT format('%I.%I', n.nspname, c.relname) AS relation, age(c.relfrozenxid)::bigint AS xid_age,
       round(100.0 * age(c.relfrozenxid) / current_setting('autovacuum_freeze_max_age')::bigint, 1) AS pct,
       c.relpages::bigint * current_setting('block_size')::bigint AS bytes
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm', 't') AND c.relfrozenxid <> '0'::xid
ORDER BY age(c.relfrozenxid) DESC, c.relpages DESC
LIMIT $1
