-- upsert_register_reads: moves one D0010 flow's register reads (staged by the loader in the
-- temporary table stage: line_no, then mpan, validation_status, meter_serial,
-- reading_type, register_id, read_at, reading, reading_flag, reading_method, all text,
-- each 030 line already checked by backend/reader_d0010.c) into meterops.register_read in
-- one statement. $1 = the load_file the flow is; $2 = whether the file was loaded with
-- --create-meters, which registers an MPAN the registry does not hold as an electricity
-- import meter (interval 30 minutes: a D0010 read says nothing of an interval) instead of
-- refusing its reads. read_at is UK clock time (Europe/London), as DTC flows write it.
-- A read is one meter point, meter serial, register and read time (the table's key).
-- Refused, one reason per line: an MPAN the registry does not hold (unknown_meter); the
-- same read repeated within the file (the first line counts: duplicate_identical when the
-- reading is the same, duplicate_conflict when not); a read already held from an earlier
-- file with a different reading (duplicate_conflict, naming that file). A read already
-- held with the same reading is not written again and is not refused: loading a flow twice
-- changes nothing.
-- Returns (line_no, column_name, code, message) for every staged row it refused.
WITH src AS (
    SELECT s.line_no, s.mpan, s.validation_status, s.meter_serial, s.reading_type,
           s.register_id,
           s.read_at::timestamp AT TIME ZONE 'Europe/London' AS read_at,
           s.reading::numeric AS reading, s.reading_flag, s.reading_method
    FROM stage s
),
created AS (
    INSERT INTO meterops.meter (mpxn, fuel, interval_minutes)
    SELECT DISTINCT s.mpan, 'elec', 30
    FROM stage s
    WHERE $2::boolean
      AND NOT EXISTS (SELECT 1 FROM meterops.meter m WHERE m.mpxn = s.mpan)
    ORDER BY s.mpan
    ON CONFLICT (mpxn) DO NOTHING
    RETURNING meter_id, mpxn
),
ranked AS (
    SELECT src.*,
           row_number() OVER w AS nth,
           first_value(src.line_no) OVER w AS first_line,
           src.reading = first_value(src.reading) OVER w AS same_as_first
    FROM src
    WINDOW w AS (PARTITION BY src.mpan, src.meter_serial, src.register_id, src.read_at
                 ORDER BY src.line_no)
),
looked AS (
    SELECT r.*, coalesce(m.meter_id, c.meter_id) AS meter_id, held.reading AS held_reading,
           held.file_id AS held_file
    FROM ranked r
    LEFT JOIN meterops.meter m ON m.mpxn = r.mpan
    LEFT JOIN created c ON c.mpxn = r.mpan
    LEFT JOIN meterops.register_read held
           ON held.meter_id = m.meter_id AND held.meter_serial = r.meter_serial
          AND held.register_id = r.register_id AND held.read_at = r.read_at
),
refused AS (
    SELECT l.line_no, p.column_name, p.code, p.message
    FROM looked l
    CROSS JOIN LATERAL (
        SELECT v.column_name, v.code, v.message
        FROM (VALUES
            (1, 'mpan_core',
             CASE WHEN l.meter_id IS NULL THEN 'unknown_meter' END,
             format('MPAN %s is not a known meter (load the meters feed first)', l.mpan)),
            (2, 'reading',
             meterops.repeat_code(l.nth, l.same_as_first),
             format('the read of register %s of meter %s at %s already appears on line %s%s',
                    l.register_id, l.meter_serial, l.read_at, l.first_line,
                    meterops.repeat_note(l.same_as_first, 'reading'))),
            (3, 'reading',
             CASE WHEN l.held_reading <> l.reading THEN 'duplicate_conflict' END,
             format('register %s of meter %s read at %s is held already with reading %s '
                    '(file %s), not %s', l.register_id, l.meter_serial, l.read_at,
                    l.held_reading, l.held_file, l.reading))
        ) v(ord, column_name, code, message)
        WHERE v.code IS NOT NULL
        ORDER BY v.ord
        LIMIT 1
    ) p
),
inserted AS (
    INSERT INTO meterops.register_read (meter_id, meter_serial, register_id, read_at, reading,
                                        reading_type, validation_status, reading_flag,
                                        reading_method, file_id, line_no)
    SELECT l.meter_id, l.meter_serial, l.register_id, l.read_at, l.reading, l.reading_type,
           l.validation_status, l.reading_flag, l.reading_method, $1::bigint, l.line_no
    FROM looked l
    WHERE l.held_reading IS NULL
      AND NOT EXISTS (SELECT 1 FROM refused x WHERE x.line_no = l.line_no)
    ORDER BY l.line_no
    RETURNING 1
)
SELECT line_no, column_name, code, message
FROM refused
ORDER BY line_no
