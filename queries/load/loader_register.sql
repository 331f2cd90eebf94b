-- A loader process registers when it starts (backend/load_session.c): where it runs, its
-- claimed_by name, one-shot or daemon, its job and its lease (the bound after which a
-- loader without a heartbeat counts as gone).
INSERT INTO meterops.loader (host, pid, owner, kind, job_id, lease_s)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING loader_id
