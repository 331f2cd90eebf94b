-- Closes a loader run: done, or failed when it could not finish its work.
UPDATE meterops.load_job SET finished_at = now(), status = $2 WHERE job_id = $1
