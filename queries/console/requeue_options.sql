-- console/requeue_options: as console/requeue, with other meaning options for every file
-- (meterops.requeue_file_options, audited there). $1 file ids as a bigint[] literal, $2
-- reason, $3 --meter, $4 --export-meter (NULL: keep the file's).
SELECT t.file_id,
       meterops.requeue_file_options(t.file_id, $2,
           jsonb_strip_nulls(jsonb_build_object('meter', $3::text, 'export_meter', $4::text)))
FROM unnest($1::bigint[]) WITH ORDINALITY AS t(file_id, n)
ORDER BY t.n
