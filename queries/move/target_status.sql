-- move/target_status: the initial copy per table the subscription carries, on the target:
-- its state (init, copying data, synced, ready) and the rows a COPY in progress has done.
SELECT c.oid::regclass::text AS relation,
       CASE r.srsubstate WHEN 'i' THEN 'init' WHEN 'd' THEN 'copying' WHEN 'f' THEN 'copied'
                         WHEN 's' THEN 'synced' WHEN 'r' THEN 'ready' ELSE r.srsubstate::text END AS state,
       (SELECT sum(p.tuples_processed) FROM pg_stat_progress_copy p WHERE p.relid = c.oid)::bigint AS copied_rows
  FROM pg_subscription_rel r
  JOIN pg_subscription s ON s.oid = r.srsubid
  JOIN pg_class c ON c.oid = r.srrelid
 WHERE s.subname = $1
 ORDER BY 1
