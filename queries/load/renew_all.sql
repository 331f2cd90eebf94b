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
WITH held AS (
    SELECT * FROM unnest($4::bigint[], $5::int[], $6::bigint[]) AS h(file_id, attempt, nrows)
), mine AS (
    SELECT f.file_id FROM meterops.load_file f JOIN held h USING (file_id)
     WHERE f.claimed_by = $1 AND f.attempts = h.attempt AND f.status = 'loading'
       FOR NO KEY UPDATE OF f SKIP LOCKED
), renewed AS (
    UPDATE meterops.load_file f
       SET lease_until = now() + make_interval(secs => $2), progress_rows = h.nrows
      FROM held h
     WHERE f.file_id = h.file_id AND f.file_id IN (SELECT m.file_id FROM mine m)
    RETURNING f.file_id
), beat AS (
    UPDATE meterops.loader l
       SET heartbeat_at = now(), files_in_hand = cardinality($4::bigint[])
     WHERE l.loader_id = $3
    RETURNING l.loader_id
)
SELECT h.file_id, h.attempt FROM held h
 WHERE NOT EXISTS (SELECT 1 FROM renewed r WHERE r.file_id = h.file_id)
   AND NOT EXISTS (SELECT 1 FROM meterops.load_file f
                    WHERE f.file_id = h.file_id AND f.claimed_by = $1
                      AND f.attempts = h.attempt AND f.status = 'loading')
