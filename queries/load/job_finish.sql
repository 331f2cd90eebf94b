-- Closes a loader run: done, or failed when it could not finish its work (once:
-- meterops.load_job_finish(), as the loader may not UPDATE load_job).
SELECT meterops.load_job_finish($1::bigint, $2)
