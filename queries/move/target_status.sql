-- move/target_status: the initial copy per table the subscription carries, on the target:
-- its state (init, copying data, synced, ready), the rows a COPY in progress has done, and
-- while copied (f) the prefix of the slot its sync worker catches up from on the source
-- (pg_<subscription>_sync_<relation>_<system id>; the console's Migration view looks for it
-- among the source's slots, see move/source_status.sql).
SELECT c.oid::regclass::text AS relation,
       CASE r.srsubstate WHEN 'i' THEN 'init' WHEN 'd' THEN 'copying' WHEN 'f' THEN 'copied'
                         WHEN 's' THEN 'synced' WHEN 'r' THEN 'ready' ELSE r.srsubstate::text END AS state,
       (SELECT sum(p.tuples_processed) FROM pg_stat_progress_copy p WHERE p.relid = c.oid)::bigint AS copied_rows,
       CASE WHEN r.srsubstate = 'f' THEN format('pg_%s_sync_%s_', s.oid, c.oid) END AS sync_slot
  FROM pg_subscription_rel r
  JOIN pg_subscription s ON s.oid = r.srsubid
  JOIN pg_class c ON c.oid = r.srrelid
 WHERE s.subname = $1
 ORDER BY 1
