-- What a requeue request is about: the file's path and status before the change.
SELECT path, status FROM meterops.load_file WHERE file_id = $1
