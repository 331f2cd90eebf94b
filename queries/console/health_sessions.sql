-- console/health_sessions: the Health view's Sessions, as pg_activity shows them: every
-- client session but this console's own (application_name "meterops console...", and
-- this very connection), the longest transactions first. pg_monitor lets the operator see
-- other users' queries. Reads pg_stat_activity only: no relation lock is taken. Ages in
-- seconds (-1: none); blocked: how many sessions this one waits for.
SELECT a.pid, coalesce(a.usename, '') AS usr, a.application_name AS app,
       coalesce(host(a.client_addr), 'local') AS client, coalesce(a.state, '') AS state,
       coalesce(a.wait_event_type || ':' || a.wait_event, '') AS wait,
       coalesce(extract(epoch FROM now() - a.xact_start)::bigint, -1) AS xact_s,
       coalesce(extract(epoch FROM now() - a.query_start)::bigint, -1) AS query_s,
       a.datname AS db, a.query
FROM pg_stat_activity a
WHERE a.backend_type = 'client backend' AND a.pid <> pg_backend_pid()
  AND a.application_name NOT LIKE 'meterops console%'
ORDER BY a.xact_start NULLS LAST, a.pid
LIMIT 1000
