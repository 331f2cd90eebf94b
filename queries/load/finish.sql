-- Closes a file inside its own transaction, together with its readings and errors. The
-- claim is checked: if the lease ran out and another loader took the file, no row comes
-- back and the caller rolls everything back. $11 is the sha256 of the bytes the loader
-- read (NULL when it read none); it fills in what was not known when the file was queued.
-- The attempt's own row (load_attempt) gets the same outcome. $4 is loaded or rejected.
-- meterops.load_finish() (queries/functions/load_queue.sql) does it: the loader may not
-- UPDATE load_file, and closes only a file it holds.
SELECT f AS file_id
FROM meterops.load_finish($1::bigint, $2, $3::int, $4, $5, $6::bigint, $7::bigint, $8::bigint,
                          $9::bigint, $10, $11) f
