-- Cancels the query of, or terminates, another session on the operator's word, and writes
-- who asked, why and what the session was doing to audit_log: the Health view's cancel
-- and terminate (issue 10). SECURITY DEFINER so that the operator holds no
-- pg_signal_backend of its own; EXECUTE is the operator's only (the support role is
-- refused by PostgreSQL). Only client backends can be signalled (never a walsender, an
-- autovacuum worker or the server's own processes) and never the caller's own session.
-- Returns what pg_cancel_backend/pg_terminate_backend return: whether the signal was sent.
CREATE OR REPLACE FUNCTION meterops.signal_backend_audited(target int, action text, reason text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
DECLARE
    a record;
    sent boolean;
BEGIN
    IF action NOT IN ('cancel', 'terminate') THEN
        RAISE EXCEPTION 'unknown action %', action USING ERRCODE = '22023';
    END IF;
    IF reason IS NULL OR btrim(reason) = '' THEN
        RAISE EXCEPTION '% of pid % needs a reason', action, target USING ERRCODE = '22023';
    END IF;
    SELECT s.usename, s.application_name, s.client_addr, s.state, s.backend_type,
           s.xact_start, left(s.query, 1000) AS query
      INTO a FROM pg_stat_activity s WHERE s.pid = target;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no session with pid %', target USING ERRCODE = 'P0002';
    END IF;
    IF a.backend_type IS DISTINCT FROM 'client backend' THEN
        RAISE EXCEPTION 'pid % is a %, not a client session', target, a.backend_type
            USING ERRCODE = '55000';
    END IF;
    IF target = pg_backend_pid() THEN
        RAISE EXCEPTION 'pid % is this session', target USING ERRCODE = '55000';
    END IF;
    sent := CASE action WHEN 'cancel' THEN pg_cancel_backend(target)
                        ELSE pg_terminate_backend(target) END;
    INSERT INTO meterops.audit_log (db_user, action, target, reason, detail)
    VALUES (session_user, action, 'pid:' || target, reason,
            jsonb_build_object('user', a.usename, 'application', a.application_name,
                               'client', host(a.client_addr), 'state', a.state,
                               'xact_start', a.xact_start, 'query', a.query, 'sent', sent));
    RETURN sent;
END
$$;
REVOKE ALL ON FUNCTION meterops.signal_backend_audited(int, text, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION meterops.cancel_backend(pid int, reason text)
RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
    SELECT meterops.signal_backend_audited(pid, 'cancel', reason)
$$;
REVOKE ALL ON FUNCTION meterops.cancel_backend(int, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.cancel_backend(int, text) TO meterops_operator;

CREATE OR REPLACE FUNCTION meterops.terminate_backend(pid int, reason text)
RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
    SELECT meterops.signal_backend_audited(pid, 'terminate', reason)
$$;
REVOKE ALL ON FUNCTION meterops.terminate_backend(int, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.terminate_backend(int, text) TO meterops_operator;
