-- Creates the monthly partitions of meterops.reading_day covering [from_day, to_day].
-- The loader calls it in its own short transaction, never inside a file's transaction.
-- Each partition is made as a plain table and then ATTACHed: CREATE TABLE ... PARTITION OF
-- takes an ACCESS EXCLUSIVE lock on reading_day and so would wait for every load in
-- progress (a file's COPY holds its lock until the file commits), while ATTACH PARTITION
-- needs only SHARE UPDATE EXCLUSIVE, which loads in progress do not block.
CREATE OR REPLACE FUNCTION meterops.ensure_reading_partitions(from_day date, to_day date)
RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
DECLARE
    m date := date_trunc('month', from_day)::date;
    made int := 0;
    part text;
BEGIN
    IF from_day IS NULL OR to_day IS NULL OR to_day < from_day THEN
        RAISE EXCEPTION 'ensure_reading_partitions: bad range % .. %', from_day, to_day;
    END IF;
    IF to_day - from_day > 3700 THEN
        RAISE EXCEPTION 'ensure_reading_partitions: range % .. % spans more than ten years', from_day, to_day;
    END IF;
    -- One creator at a time; others wait and then find the partition made.
    PERFORM pg_advisory_xact_lock(hashtext('meterops.reading_day partitions'));
    WHILE m <= to_day LOOP
        part := format('reading_day_%s', to_char(m, 'YYYY_MM'));
        IF to_regclass('meterops.' || part) IS NULL THEN
            EXECUTE format('CREATE TABLE meterops.%I (LIKE meterops.reading_day INCLUDING ALL)', part);
            EXECUTE format('ALTER TABLE meterops.reading_day ATTACH PARTITION meterops.%I '
                           'FOR VALUES FROM (%L) TO (%L)', part, m, (m + interval '1 month')::date);
            made := made + 1;
        END IF;
        m := (m + interval '1 month')::date;
    END LOOP;
    RETURN made;
END
$$;
REVOKE ALL ON FUNCTION meterops.ensure_reading_partitions(date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.ensure_reading_partitions(date, date) TO meterops_loader;
