-- Takes the next file to load: a queued one, or one whose loader's lease ran out (that
-- loader died; nothing of the file was committed). SKIP LOCKED lets any number of loaders
-- on any number of hosts share the queue without waiting for each other. $3 limits the
-- choice to some files (a `meterops load FILE...` run works on its own files).
-- Within one job, registry feeds go first: meters name customers and tariffs, bills name
-- customers, readings name meters. A file waits while a file of an earlier stage of its
-- job is queued or loading, so `meterops load *.csv` needs no order on the command line.
-- The stage is the format's (reader_format.stage), stored when the file was enqueued.
-- Each claim opens the file's attempt row (load_attempt); an attempt still open from a
-- loader whose lease ran out is closed as abandoned.
WITH c AS (
UPDATE meterops.load_file f
   SET status = 'loading', claimed_by = $1, lease_until = now() + make_interval(secs => $2),
       started_at = now(), attempts = f.attempts + 1, progress_rows = 0
 WHERE f.file_id = (
        SELECT q.file_id FROM meterops.load_file q
         WHERE (q.status = 'queued' OR (q.status = 'loading' AND q.lease_until < now()))
           AND ($3::bigint[] IS NULL OR q.file_id = ANY ($3::bigint[]))
           AND NOT EXISTS (
                SELECT 1 FROM meterops.load_file d
                 WHERE d.job_id = q.job_id AND d.file_id <> q.file_id
                   AND d.status IN ('queued', 'loading')
                   AND d.stage < q.stage)
         ORDER BY q.queued_at, q.file_id
         LIMIT 1
         FOR UPDATE SKIP LOCKED)
RETURNING f.file_id, f.path, f.sha256, f.bytes, f.format, f.attempts,
          extract(epoch FROM now())::bigint,
          f.options->>'meter', f.options->>'export_meter',
          coalesce((f.options->>'create_meters')::boolean, false),
          coalesce((f.options->>'max_reject_ratio')::float8, 0.01) AS max_reject_ratio,
          f.options->>'not_before' AS not_before,
          coalesce((f.options->>'future_margin')::int, 0) AS future_margin),
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
