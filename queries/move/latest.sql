-- move/latest: the newest move recorded on the source (any state); its target, what start
-- created, and the state the other commands act on.
SELECT migration_id, target, publisher, publication, subscription, event_trigger, state,
       made_dblink, made_schema, made_roles::text, started_at, paused_at, finished_at,
       pause_ms, drain_ms
  FROM meterops.migration ORDER BY migration_id DESC LIMIT 1
