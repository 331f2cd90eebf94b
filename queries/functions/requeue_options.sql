-- Requeues a finished file with other meaning options (issue 15, "options that count"):
-- the same bytes loaded with another --meter or --export-meter are other readings, so
-- `meterops load` refuses such a reload and points here. requeue_file() checks the state
-- and writes its audit row; this adds the change of options to the file and audits it,
-- old and new options side by side, with session_user and the reason. Only the options
-- that change what the rows mean may be given here ({"meter": ..., "export_meter": ...},
-- ids in their one spelling, backend/mpan.h); the others stay as the file had them.
-- It replaces the earlier load: the meter-days this file was the last to write for the
-- meter an option named before are deleted (found through reading_day's primary key, one
-- meter), so the readings move to the new meter rather than being on both. A meter-day
-- another file wrote after this one is that file's and stays. (A file loaded without
-- --meter named its meters in its rows; nothing is deleted for those.)
CREATE OR REPLACE FUNCTION meterops.requeue_file_options(file_id bigint, reason text, options jsonb)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
DECLARE
    old_options jsonb;
    new_options jsonb;
    old_meters bigint[];
    removed bigint := 0;
BEGIN
    IF options IS NULL OR jsonb_typeof(options) <> 'object' OR options = '{}'::jsonb
       OR EXISTS (SELECT 1 FROM jsonb_object_keys(options) k WHERE k NOT IN ('meter', 'export_meter'))
       OR EXISTS (SELECT 1 FROM jsonb_each(options) e WHERE jsonb_typeof(e.value) <> 'string'
                  OR e.value #>> '{}' !~ '^([0-9]{13}|10[0-9]{9}|[1-9][0-9]{5,9})$') THEN
        RAISE EXCEPTION 'requeue of file % with options %: only meter and export_meter, as meter ids, may be changed',
            file_id, options USING ERRCODE = '22023';
    END IF;
    SELECT coalesce(f.options, '{}'::jsonb) INTO old_options FROM meterops.load_file f
    WHERE f.file_id = requeue_file_options.file_id FOR UPDATE;
    PERFORM meterops.requeue_file(file_id, reason);
    new_options := old_options || options;
    old_meters := ARRAY(
        SELECT m.meter_id FROM meterops.meter m
        JOIN jsonb_each_text(old_options) o(k, v) ON o.k IN ('meter', 'export_meter') AND m.mpxn = o.v
        WHERE new_options->>o.k IS DISTINCT FROM o.v);
    IF cardinality(old_meters) > 0 THEN
        DELETE FROM meterops.reading_day r
         WHERE r.meter_id = ANY (old_meters) AND r.file_id = requeue_file_options.file_id;
        GET DIAGNOSTICS removed = ROW_COUNT;
    END IF;
    UPDATE meterops.load_file f SET options = new_options
     WHERE f.file_id = requeue_file_options.file_id;
    INSERT INTO meterops.audit_log (db_user, action, target, reason, detail)
    VALUES (session_user, 'requeue_options', 'load_file:' || file_id, reason,
            jsonb_build_object('file_id', file_id, 'old_options', old_options,
                               'new_options', new_options, 'meter_days_removed', removed));
END
$$;
REVOKE ALL ON FUNCTION meterops.requeue_file_options(bigint, text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.requeue_file_options(bigint, text, jsonb) TO meterops_operator;
