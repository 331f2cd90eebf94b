-- console/health_locks: the Health view's blocking tree (pg_blocking_pids): each session
-- that blocks others but waits for nobody is a root, the sessions waiting for it are below
-- it, one level deeper per link. A waiter shows the lock it waits for (mode, relation or
-- transaction) and for how long; a root shows the modes it holds on what its waiters want
-- and how old its transaction is. Reads pg_stat_activity and pg_locks only.
WITH RECURSIVE waiting AS (
    SELECT a.pid, unnest(pg_blocking_pids(a.pid)) AS blocker
    FROM pg_stat_activity a
    WHERE a.wait_event_type = 'Lock'
), roots AS (
    SELECT DISTINCT w.blocker AS pid FROM waiting w
    WHERE w.blocker NOT IN (SELECT pid FROM waiting)
), tree AS (
    SELECT r.pid, 0 AS depth, ARRAY[r.pid] AS path FROM roots r
    UNION ALL
    SELECT w.pid, t.depth + 1, t.path || w.pid
    FROM tree t JOIN waiting w ON w.blocker = t.pid
    WHERE w.pid <> ALL (t.path) AND t.depth < 20
), wants AS (
    SELECT DISTINCT ON (l.pid) l.pid, l.mode, l.locktype, l.relation, l.transactionid, l.waitstart
    FROM pg_locks l WHERE NOT l.granted ORDER BY l.pid, l.waitstart
)
SELECT t.depth, t.pid, coalesce(a.usename, '') AS usr, coalesce(a.application_name, '') AS app,
       coalesce(a.state, '') AS state,
       CASE WHEN t.depth = 0 THEN
           coalesce((SELECT string_agg(DISTINCT h.mode, ',') FROM pg_locks h
                     WHERE h.pid = t.pid AND h.granted
                       AND EXISTS (SELECT 1 FROM wants x JOIN waiting y ON y.pid = x.pid
                                   WHERE y.blocker = t.pid AND x.locktype = h.locktype
                                     AND x.relation IS NOT DISTINCT FROM h.relation
                                     AND x.transactionid IS NOT DISTINCT FROM h.transactionid)), '')
       ELSE coalesce(k.mode, '') END AS mode,
       coalesce(CASE WHEN t.depth = 0 THEN
           (SELECT string_agg(DISTINCT coalesce(x.relation::regclass::text, x.locktype || ' ' || x.transactionid), ',')
            FROM wants x JOIN waiting y ON y.pid = x.pid WHERE y.blocker = t.pid)
       ELSE coalesce(k.relation::regclass::text, k.locktype || ' ' || coalesce(k.transactionid::text, '')) END, '') AS relation,
       coalesce(extract(epoch FROM now() - k.waitstart)::bigint, -1) AS wait_s,
       coalesce(extract(epoch FROM now() - a.xact_start)::bigint, -1) AS xact_s,
       coalesce(a.query, '') AS query
FROM tree t
LEFT JOIN pg_stat_activity a ON a.pid = t.pid
LEFT JOIN wants k ON k.pid = t.pid AND t.depth > 0
ORDER BY t.path
