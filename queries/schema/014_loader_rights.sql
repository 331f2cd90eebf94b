-- 014_loader_rights: least privilege that holds (issue 15).
--
-- meterops_loader could requeue any file without audit (UPDATE load_file), write audit rows
-- naming anyone, delete any file's errors and read customers' personal data. Now its
-- rights are exactly what loading needs (doc/ARCHITECTURE.md, "Roles", lists each loader
-- statement and the right it uses):
--   * load_file, load_attempt, load_job, loader, meter_seen: read, and INSERT of the
--     columns a new row sets (enqueue, job start, loader registration); every state change
--     goes through the SECURITY DEFINER functions of queries/functions/load_queue.sql,
--     which act only on a file the caller holds (claimed_by and attempt) or a queued one.
--   * load_error, load_error_summary: INSERT (COPY) only, and only for a file that is
--     being loaded (load_error_held below); clearing them is load_errors_clear().
--   * reading_day: COPY and the set-based merge as before (SELECT, INSERT, UPDATE of the
--     day's values only): no function in the hot path.
--   * customer: customer_id and account_no only (meters and bills name customers by
--     account); the customers feed goes through customer_upsert_staged().
--   * meter, tariff, tariff_band, bill: the registry feeds' upserts as before.
-- audit_log: no role may write it; rows come only from the SECURITY DEFINER functions
-- that act (requeue_file, ack_file, ...), and db_user is always session_user, whatever
-- the insert says (audit_log_who). Safe to run again.

REVOKE ALL ON meterops.customer, meterops.meter, meterops.reading_day, meterops.load_job,
              meterops.load_file, meterops.load_attempt, meterops.load_error,
              meterops.load_error_summary, meterops.loader, meterops.meter_seen,
              meterops.audit_log
    FROM meterops_loader;

GRANT SELECT (customer_id, account_no) ON meterops.customer TO meterops_loader;
GRANT SELECT ON meterops.meter TO meterops_loader;
GRANT INSERT (meter_id, mpxn, fuel, interval_minutes, customer_id, tariff_id, installed_on,
              removed_on) ON meterops.meter TO meterops_loader;
GRANT UPDATE (fuel, interval_minutes, customer_id, tariff_id, installed_on, removed_on)
    ON meterops.meter TO meterops_loader;
GRANT SELECT, INSERT ON meterops.reading_day TO meterops_loader;
GRANT UPDATE (wh, flags, file_id) ON meterops.reading_day TO meterops_loader;
GRANT SELECT ON meterops.load_job, meterops.load_file, meterops.load_attempt,
                meterops.loader, meterops.meter_seen TO meterops_loader;
GRANT INSERT (host, pid, args) ON meterops.load_job TO meterops_loader;
GRANT INSERT (job_id, path, sha256, bytes, format, stage, options)
    ON meterops.load_file TO meterops_loader;
GRANT INSERT (host, pid, owner, kind, job_id, lease_s) ON meterops.loader TO meterops_loader;
GRANT INSERT (file_id, line_no, column_name, code, message, raw)
    ON meterops.load_error TO meterops_loader;
GRANT INSERT (file_id, attempt, code, column_name, errors, first_line, last_line,
              first_message)
    ON meterops.load_error_summary TO meterops_loader;

-- No role writes the audit log; the operator and monitoring read it.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON meterops.audit_log
    FROM PUBLIC, meterops_loader, meterops_operator, meterops_support;

-- db_user and at are the server's to say, not the inserting statement's.
CREATE OR REPLACE FUNCTION meterops.audit_log_who() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    NEW.db_user := session_user;
    NEW.at := now();
    RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS audit_log_who ON meterops.audit_log;
CREATE TRIGGER audit_log_who BEFORE INSERT OR UPDATE ON meterops.audit_log
    FOR EACH ROW EXECUTE FUNCTION meterops.audit_log_who();

-- Errors only for a file being loaded. COPY cannot go through row-level security, so one
-- check per statement over its new rows (the kept errors of one file, at most a few
-- thousand), for members of meterops_loader; functions running as the owner are exempt.
CREATE OR REPLACE FUNCTION meterops.load_error_held() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, meterops AS $$
DECLARE
    bad bigint;
BEGIN
    IF NOT pg_has_role(current_user, 'meterops_loader', 'MEMBER')
       OR (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = current_user) THEN
        RETURN NULL;
    END IF;
    SELECT n.file_id INTO bad
      FROM (SELECT DISTINCT file_id FROM new_rows) n
     WHERE NOT EXISTS (SELECT 1 FROM meterops.load_file f
                        WHERE f.file_id = n.file_id AND f.status = 'loading')
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'file % is not being loaded: its errors cannot be written', bad
            USING ERRCODE = '42501';
    END IF;
    RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS load_error_held ON meterops.load_error;
CREATE TRIGGER load_error_held AFTER INSERT ON meterops.load_error
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION meterops.load_error_held();
DROP TRIGGER IF EXISTS load_error_held ON meterops.load_error_summary;
CREATE TRIGGER load_error_held AFTER INSERT ON meterops.load_error_summary
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION meterops.load_error_held();
