-- Adds a file to the queue with the options it is to be loaded with, so a requeued file
-- loads again the same way whoever picks it up. $10 is the format's stage in its job
-- (reader_format.stage), which the claim query orders files by. $11 --not-before, $12 --future-margin,
-- $13 --unit, $14 --calorific-value, $15 --xsd.
INSERT INTO meterops.load_file (job_id, path, sha256, bytes, format, stage, options)
VALUES ($1, $2, $3, $4, $5, $10::smallint,
        jsonb_strip_nulls(jsonb_build_object(
            'meter', $6::text, 'export_meter', $7::text,
            'create_meters', $8::boolean, 'max_reject_ratio', $9::float8,
            'not_before', $11::text, 'future_margin', $12::int,
            'unit', $13::text, 'calorific_value', $14::float8, 'xsd', $15::boolean)))
RETURNING file_id
