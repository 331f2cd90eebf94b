-- A file loaded again (after a requeue) keeps only the errors of its latest load.
DELETE FROM meterops.load_error WHERE file_id = $1
