-- The lease keeper's one statement per tick (backend/loader.c), about once a second: the
-- loader's heartbeat, and for every file it holds the lease renewed and the rows read so
-- far published (progress_rows), from its own autocommit connection, so both are visible
-- while the files' transactions are still open. One statement per loader per tick, however
-- many files it holds.
-- A file row locked by its own file thread (finish.sql just before COMMIT) is skipped, not
-- waited for: one file committing must not hold back every other file's lease and progress.
-- $1 owner (claimed_by), $2 lease seconds, $3 loader_id (0: not registered), $4 file ids,
-- $5 their attempts, $6 their rows read. Returns the files whose claim was lost (the lease
-- ran out and another loader took the file): the last committed row is not ours any more.
-- meterops.load_renew_all() (queries/functions/load_queue.sql) does it: the loader may not
-- UPDATE load_file or loader itself, and moves only its own loader row's heartbeat.
SELECT r.file_id, r.attempt
FROM meterops.load_renew_all($1, $2::int, $3::bigint, $4::bigint[], $5::int[], $6::bigint[]) r
