-- What a requeue request is about: each named file's path and status before the change
-- (a file id with no row does not exist).
SELECT file_id, path, status FROM meterops.load_file WHERE file_id = ANY ($1::bigint[])
