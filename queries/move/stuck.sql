-- move/stuck: on the target, the relations whose initial copy is done ('f': copied, the
-- table-sync worker now catches up from its own slot) with the name that slot has on the
-- source (pg_<subscription oid>_sync_<relation oid>_<target's system identifier>). The
-- source is then asked whether the slot still exists (move/slots_missing.sql): PostgreSQL
-- drops it before it records the table synced, so a source stopped in between leaves the
-- table copied with no slot to catch up from, and its worker failing for ever.
SELECT format('%I.%I', n.nspname, c.relname) AS relation,
       format('pg_%s_sync_%s_%s', s.oid, c.oid, (SELECT system_identifier FROM pg_control_system())) AS slot
  FROM pg_subscription_rel r
  JOIN pg_subscription s ON s.oid = r.srsubid
  JOIN pg_class c ON c.oid = r.srrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE s.subname = $1 AND r.srsubstate = 'f'
   AND s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
 ORDER BY 1
