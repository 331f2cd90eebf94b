-- Acknowledges a rejected or failed file: the operator has seen it, so it stops raising
-- the health level of `meterops status` and the dashboard (it is still listed, marked
-- acked). Audited with the database user and the reason, like requeue_file. SECURITY
-- DEFINER so the operator needs no UPDATE right on load_file; session_user records who.
CREATE OR REPLACE FUNCTION meterops.ack_file(file_id bigint, reason text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
DECLARE
    old_status text;
BEGIN
    IF reason IS NULL OR btrim(reason) = '' THEN
        RAISE EXCEPTION 'acknowledging file % needs a reason', file_id USING ERRCODE = '22023';
    END IF;
    SELECT f.status INTO old_status FROM meterops.load_file f
    WHERE f.file_id = ack_file.file_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'file % does not exist', file_id USING ERRCODE = 'P0002';
    END IF;
    IF old_status NOT IN ('rejected', 'failed') THEN
        RAISE EXCEPTION 'file % is %; only rejected or failed files can be acknowledged',
            file_id, old_status USING ERRCODE = '55000';
    END IF;
    UPDATE meterops.load_file f
       SET acked_at = greatest(now(), f.finished_at), acked_by = session_user,
           ack_reason = reason
     WHERE f.file_id = ack_file.file_id;
    INSERT INTO meterops.audit_log (db_user, action, target, reason, detail)
    VALUES (session_user, 'ack', 'load_file:' || file_id, reason,
            jsonb_build_object('file_id', file_id, 'status', old_status));
END
$$;
REVOKE ALL ON FUNCTION meterops.ack_file(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.ack_file(bigint, text) TO meterops_operator;
