-- Every change of a file's status or progress is announced on channel meterops_load with
-- a small JSON payload; the console LISTENs instead of polling.
CREATE OR REPLACE FUNCTION meterops.load_file_notify()
RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status
       OR NEW.progress_rows IS DISTINCT FROM OLD.progress_rows THEN
        PERFORM pg_notify('meterops_load', json_build_object(
            'file_id', NEW.file_id, 'status', NEW.status,
            'progress_rows', NEW.progress_rows)::text);
    END IF;
    RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS load_file_notify ON meterops.load_file;
CREATE TRIGGER load_file_notify AFTER INSERT OR UPDATE ON meterops.load_file
    FOR EACH ROW EXECUTE FUNCTION meterops.load_file_notify();
