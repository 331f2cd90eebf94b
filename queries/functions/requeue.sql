-- Puts a finished file back in the queue, audited with the database user and the reason.
-- SECURITY DEFINER so the operator needs no UPDATE right on load_file; whoever may EXECUTE
-- it may requeue, and session_user records who really asked.
CREATE OR REPLACE FUNCTION meterops.requeue_file(file_id bigint, reason text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
DECLARE
    old_status text;
BEGIN
    IF reason IS NULL OR btrim(reason) = '' THEN
        RAISE EXCEPTION 'requeue of file % needs a reason', file_id USING ERRCODE = '22023';
    END IF;
    SELECT f.status INTO old_status FROM meterops.load_file f
    WHERE f.file_id = requeue_file.file_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'file % does not exist', file_id USING ERRCODE = 'P0002';
    END IF;
    IF old_status IN ('queued', 'loading') THEN
        RAISE EXCEPTION 'file % is % already; only loaded, rejected or failed files can be requeued',
            file_id, old_status USING ERRCODE = '55000';
    END IF;
    UPDATE meterops.load_file f
       SET status = 'queued', requeues = f.requeues + 1, lease_until = NULL, claimed_by = NULL,
           queued_at = now(), message = 'requeued: ' || reason,
           -- the last attempt's time and counts stay in load_attempt, not on the file
           started_at = NULL, finished_at = NULL, rows_total = 0, rows_loaded = 0,
           rows_rejected = 0, readings_loaded = 0, progress_rows = 0
     WHERE f.file_id = requeue_file.file_id;
    DELETE FROM meterops.load_error_summary s WHERE s.file_id = requeue_file.file_id;
    DELETE FROM meterops.load_error e WHERE e.file_id = requeue_file.file_id;
    INSERT INTO meterops.audit_log (db_user, action, target, reason, detail)
    VALUES (session_user, 'requeue', 'load_file:' || file_id, reason,
            jsonb_build_object('file_id', file_id, 'from_status', old_status));
END
$$;
REVOKE ALL ON FUNCTION meterops.requeue_file(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.requeue_file(bigint, text) TO meterops_operator;
