-- move/resync_names: the relations named by the operator ($2, text[]), each resolved on
-- the target and checked against the subscription $1: qualified names of those it carries,
-- space separated, and the names it does not carry (a reading_day partition is carried
-- through meterops.reading_day; the marker is the move's own clock).
SELECT string_agg(format('%I.%I', n.nspname, c.relname), ' ' ORDER BY c.relname)
           FILTER (WHERE r.srrelid IS NOT NULL AND c.relname <> 'migration_marker') AS carried,
       string_agg(a, ' ') FILTER (WHERE r.srrelid IS NULL OR c.relname = 'migration_marker') AS not_carried
  FROM unnest($2::text[]) a
  LEFT JOIN pg_class c ON c.oid = coalesce(to_regclass(a), to_regclass('meterops.' || a))
  LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN (pg_subscription_rel r JOIN pg_subscription s ON s.oid = r.srsubid AND s.subname = $1)
         ON r.srrelid = c.oid
