-- move/set_state: a move's next state; 'cutover' pauses the queue (the trigger
-- load_file_paused reads it), 'done' and 'aborted' close the move. $3, $4: the cutover's
-- measured pause and drain in milliseconds, when known.
UPDATE meterops.migration
   SET state = $2,
       paused_at = CASE WHEN $2 = 'cutover' THEN now() ELSE paused_at END,
       finished_at = CASE WHEN $2 IN ('done', 'aborted') THEN now() END,
       pause_ms = coalesce($3::bigint, pause_ms),
       drain_ms = coalesce($4::bigint, drain_ms)
 WHERE migration_id = $1::bigint
