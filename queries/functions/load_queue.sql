-- The loader's only way to change the queue (load_file, load_attempt, the loader registry,
-- a job's end, a file's errors): meterops_loader holds no UPDATE or DELETE right on those
-- tables (014_loader_rights.sql), so it cannot requeue, finish or wipe a file it does not
-- hold. Each function is one guarded statement: a file changes only while it is 'loading'
-- under the caller's claim (claimed_by = owner, the loader's host:pid, and for the calls
-- that carry it the attempt), and the claim itself takes only a queued file or one whose
-- lease ran out. SECURITY DEFINER with search_path pinned; EXECUTE for meterops_loader
-- only. The queries/load/*.sql files call them, so the loader's C code is unchanged.
-- They return the load_file row they changed, and the query file picks the columns.
--
-- On a Citus coordinator the queue is local (015_citus.sql), so these functions are too:
-- Citus's DDL propagation is off for this file (a placeholder setting on plain
-- PostgreSQL), which otherwise warns that a function returning load_file "will be created
-- only locally" at every db migrate.
SET LOCAL citus.enable_ddl_propagation = off;

-- load_claim: the next file to load (see queries/load/claim.sql for the rules), opening
-- its attempt row and closing an abandoned one.
CREATE OR REPLACE FUNCTION meterops.load_claim(owner text, lease_s int, only_ids bigint[])
RETURNS SETOF meterops.load_file
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
WITH c AS (
UPDATE meterops.load_file f
   SET status = 'loading', claimed_by = $1, lease_until = now() + make_interval(secs => $2),
       started_at = now(), attempts = f.attempts + 1, progress_rows = 0
 WHERE f.file_id = (
        SELECT q.file_id FROM meterops.load_file q
         WHERE (q.status = 'queued' OR (q.status = 'loading' AND q.lease_until < now()))
           AND ($3 IS NULL OR q.file_id = ANY ($3))
           AND NOT EXISTS (
                SELECT 1 FROM meterops.load_file d
                 WHERE d.job_id = q.job_id AND d.file_id <> q.file_id
                   AND d.status IN ('queued', 'loading')
                   AND d.stage < q.stage)
         ORDER BY q.queued_at, q.file_id
         LIMIT 1
         FOR UPDATE SKIP LOCKED)
   AND $1 IS NOT NULL AND btrim($1) <> ''
RETURNING f.*),
gone AS (
UPDATE meterops.load_attempt a
   SET status = 'abandoned', finished_at = now(),
       message = 'the lease ran out (its loader stopped renewing it); claimed again'
  FROM c
 WHERE a.file_id = c.file_id AND a.status = 'loading'),
opened AS (
INSERT INTO meterops.load_attempt (file_id, attempt, claimed_by)
SELECT c.file_id, c.attempts, $1 FROM c
ON CONFLICT (file_id, attempt) DO UPDATE
   SET started_at = now(), finished_at = NULL, claimed_by = excluded.claimed_by,
       status = 'loading', message = NULL)
SELECT * FROM c
$$;

-- load_reclaim: after a lost connection, the same file again for a fresh attempt, if the
-- claim is still the caller's.
CREATE OR REPLACE FUNCTION meterops.load_reclaim(file_id bigint, owner text, lease_s int)
RETURNS SETOF meterops.load_file
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
WITH c AS (
UPDATE meterops.load_file f
   SET lease_until = now() + make_interval(secs => $3), attempts = f.attempts + 1,
       progress_rows = 0
 WHERE f.file_id = $1 AND f.claimed_by = $2 AND f.status = 'loading'
RETURNING f.*),
retried AS (
UPDATE meterops.load_attempt a
   SET status = 'retried', finished_at = now(),
       message = 'the attempt ended without a result (connection lost or a retryable error)'
  FROM c
 WHERE a.file_id = c.file_id AND a.status = 'loading'),
opened AS (
INSERT INTO meterops.load_attempt (file_id, attempt, claimed_by)
SELECT c.file_id, c.attempts, $2 FROM c
ON CONFLICT (file_id, attempt) DO NOTHING)
SELECT * FROM c
$$;

-- load_renew: one held file's lease and progress; no row back: the claim was lost.
CREATE OR REPLACE FUNCTION meterops.load_renew(file_id bigint, owner text, lease_s int,
                                               progress_rows bigint, attempt int)
RETURNS SETOF bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
UPDATE meterops.load_file
   SET lease_until = now() + make_interval(secs => $3), progress_rows = $4
 WHERE file_id = $1 AND claimed_by = $2 AND attempts = $5 AND status = 'loading'
RETURNING file_id
$$;

-- load_renew_all: the lease keeper's tick (queries/load/renew_all.sql says why each part):
-- the heartbeat of the caller's own loader row and every held file's lease and progress.
-- Returns the files whose claim was lost.
CREATE OR REPLACE FUNCTION meterops.load_renew_all(owner text, lease_s int, loader_id bigint,
                                                   file_ids bigint[], attempts int[],
                                                   progress bigint[])
RETURNS TABLE (file_id bigint, attempt int)
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
WITH held AS (
    SELECT * FROM unnest($4, $5, $6) AS h(file_id, attempt, nrows)
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
       SET heartbeat_at = now(), files_in_hand = cardinality($4)
     WHERE l.loader_id = $3 AND l.owner = $1 AND l.stopped_at IS NULL
    RETURNING l.loader_id
)
SELECT h.file_id, h.attempt FROM held h
 WHERE NOT EXISTS (SELECT 1 FROM renewed r WHERE r.file_id = h.file_id)
   AND NOT EXISTS (SELECT 1 FROM meterops.load_file f
                    WHERE f.file_id = h.file_id AND f.claimed_by = $1
                      AND f.attempts = h.attempt AND f.status = 'loading')
$$;

-- load_finish: closes a held file as loaded or rejected, with its counts, inside the
-- file's own transaction (queries/load/finish.sql).
CREATE OR REPLACE FUNCTION meterops.load_finish(file_id bigint, owner text, attempt int,
                                                status text, format text, rows_total bigint,
                                                rows_loaded bigint, rows_rejected bigint,
                                                readings_loaded bigint, message text,
                                                sha256 text)
RETURNS SETOF bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
WITH f AS (
UPDATE meterops.load_file
   SET status = $4, format = $5, rows_total = $6, rows_loaded = $7, rows_rejected = $8,
       readings_loaded = $9, progress_rows = $6, message = $10, finished_at = now(),
       lease_until = NULL, sha256 = coalesce($11, sha256)
 WHERE file_id = $1 AND claimed_by = $2 AND attempts = $3 AND status = 'loading'
   AND $4 IN ('loaded', 'rejected')
RETURNING file_id),
a AS (
UPDATE meterops.load_attempt a
   SET status = $4, rows_total = $6, rows_loaded = $7, rows_rejected = $8,
       readings_loaded = $9, message = $10, finished_at = now()
  FROM f
 WHERE a.file_id = f.file_id AND a.attempt = $3)
SELECT file_id FROM f
$$;

-- load_fail: a held file that could not be loaded at all (queries/load/fail.sql).
CREATE OR REPLACE FUNCTION meterops.load_fail(file_id bigint, owner text, message text)
RETURNS SETOF bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
WITH f AS (
UPDATE meterops.load_file
   SET status = 'failed', message = $3, finished_at = now(), lease_until = NULL,
       rows_total = 0, rows_loaded = 0, rows_rejected = 0, readings_loaded = 0,
       progress_rows = 0
 WHERE file_id = $1 AND claimed_by = $2 AND status = 'loading'
RETURNING file_id, attempts),
a AS (
UPDATE meterops.load_attempt a
   SET status = 'failed', message = $3, finished_at = now()
  FROM f
 WHERE a.file_id = f.file_id AND a.attempt = f.attempts),
s AS (
DELETE FROM meterops.load_error_summary s USING f WHERE s.file_id = f.file_id),
e AS (
DELETE FROM meterops.load_error e USING f WHERE e.file_id = f.file_id)
SELECT file_id FROM f
$$;

-- load_release: a held file back to the queue untouched (queries/load/release.sql). Only
-- the holder may: anyone else putting a file back would be a requeue, which is audited
-- (requeue_file).
CREATE OR REPLACE FUNCTION meterops.load_release(file_id bigint, owner text, message text)
RETURNS SETOF bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
WITH f AS (
UPDATE meterops.load_file
   SET status = 'queued', claimed_by = NULL, lease_until = NULL, message = $3
 WHERE file_id = $1 AND claimed_by = $2 AND status = 'loading'
RETURNING file_id, attempts),
a AS (
UPDATE meterops.load_attempt a
   SET status = 'released', message = $3, finished_at = now()
  FROM f
 WHERE a.file_id = f.file_id AND a.attempt = f.attempts)
SELECT file_id FROM f
$$;

-- load_errors_clear: a held file's errors and summary of earlier attempts, dropped before
-- its own are written (queries/load/errors_clear.sql). Returns whether the file was held.
CREATE OR REPLACE FUNCTION meterops.load_errors_clear(file_id bigint, owner text, attempt int)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
BEGIN
    PERFORM 1 FROM meterops.load_file f
     WHERE f.file_id = load_errors_clear.file_id AND f.claimed_by = owner
       AND f.attempts = attempt AND f.status = 'loading';
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    DELETE FROM meterops.load_error_summary s WHERE s.file_id = load_errors_clear.file_id;
    DELETE FROM meterops.load_error e WHERE e.file_id = load_errors_clear.file_id;
    RETURN true;
END
$$;

-- load_job_finish: closes a loader run that is still open (a closed job stays closed).
CREATE OR REPLACE FUNCTION meterops.load_job_finish(job_id bigint, status text)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
UPDATE meterops.load_job j SET finished_at = now(), status = $2
 WHERE j.job_id = $1 AND j.finished_at IS NULL AND $2 IN ('done', 'failed')
$$;

-- loader_stop: a loader that exits cleanly says so; once.
CREATE OR REPLACE FUNCTION meterops.loader_stop(loader_id bigint)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
UPDATE meterops.loader l
   SET stopped_at = now(), heartbeat_at = now(), files_in_hand = 0
 WHERE l.loader_id = $1 AND l.stopped_at IS NULL
$$;

-- meter_seen_mark: ORs a committing file's seen bitmaps into meterops.meter_seen (see
-- queries/load/seen.sql): bits are only ever added, never cleared, by the loader.
CREATE OR REPLACE FUNCTION meterops.meter_seen_mark(days int[], fuels text[], chunks int[],
                                                    bits varbit[])
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
INSERT INTO meterops.meter_seen AS s (day, fuel, chunk, bits)
SELECT date '1970-01-01' + u.d, u.f, u.c, u.b
FROM unnest($1, $2, $3, $4) WITH ORDINALITY AS u(d, f, c, b, o)
ORDER BY u.o
ON CONFLICT (day, fuel, chunk) DO UPDATE SET bits = s.bits | EXCLUDED.bits
$$;

DO $$
DECLARE
    fn text;
BEGIN
    FOREACH fn IN ARRAY ARRAY[
        'load_claim(text, int, bigint[])', 'load_reclaim(bigint, text, int)',
        'load_renew(bigint, text, int, bigint, int)',
        'load_renew_all(text, int, bigint, bigint[], int[], bigint[])',
        'load_finish(bigint, text, int, text, text, bigint, bigint, bigint, bigint, text, text)',
        'load_fail(bigint, text, text)', 'load_release(bigint, text, text)',
        'load_errors_clear(bigint, text, int)', 'load_job_finish(bigint, text)',
        'loader_stop(bigint)', 'meter_seen_mark(int[], text[], int[], varbit[])'] LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION meterops.%s FROM PUBLIC', fn);
        EXECUTE format('GRANT EXECUTE ON FUNCTION meterops.%s TO meterops_loader', fn);
    END LOOP;
END
$$;
