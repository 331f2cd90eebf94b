-- One row per loader run (`meterops load ...` or a daemon): where it ran and with what.
INSERT INTO meterops.load_job (host, pid, args) VALUES ($1, $2, $3) RETURNING job_id
