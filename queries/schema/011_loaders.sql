-- 011_loaders: which loaders are alive, and acknowledgements of failed or rejected files.
--
-- Every loader process (`meterops load`, one-shot or --daemon) registers one row when it
-- starts, and its lease keeper (backend/loader.c) moves heartbeat_at about once a second in
-- the same statement that renews its files' leases. A row whose heartbeat is older than
-- the loader's own lease (lease_s) is a loader that is gone: by then the leases of the files
-- it held have run out too, so "gone" and "its files are claimable again" are one moment.
-- A clean exit sets stopped_at. Safe to run again.
CREATE TABLE IF NOT EXISTS meterops.loader (
    loader_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    host          text NOT NULL,
    pid           int NOT NULL,
    owner         text NOT NULL,              -- load_file.claimed_by of its files (host:pid)
    kind          text NOT NULL CHECK (kind IN ('once', 'daemon')),
    job_id        bigint REFERENCES meterops.load_job,
    lease_s       int NOT NULL,
    started_at    timestamptz NOT NULL DEFAULT now(),
    heartbeat_at  timestamptz NOT NULL DEFAULT now(),
    files_in_hand int NOT NULL DEFAULT 0,
    stopped_at    timestamptz
);
-- The console's live list reads only rows not stopped (the few running now and those
-- killed lately), newest heartbeat first.
CREATE INDEX IF NOT EXISTS loader_running_idx ON meterops.loader (heartbeat_at)
    WHERE stopped_at IS NULL;

GRANT SELECT, INSERT, UPDATE ON meterops.loader TO meterops_loader;
GRANT SELECT ON meterops.loader TO meterops_operator;
DO $$
BEGIN
    EXECUTE format('GRANT USAGE ON SEQUENCE %s TO meterops_loader',
                   pg_get_serial_sequence('meterops.loader', 'loader_id'));
END
$$;

-- An acknowledgement holds for the outcome it was given to: it counts while
-- acked_at >= finished_at, so a file requeued and failing again raises the level again.
ALTER TABLE meterops.load_file
    ADD COLUMN IF NOT EXISTS acked_at timestamptz,
    ADD COLUMN IF NOT EXISTS acked_by text,
    ADD COLUMN IF NOT EXISTS ack_reason text;

-- The first screen's "what failed": the latest failed or rejected files, newest first.
CREATE INDEX IF NOT EXISTS load_file_problem_idx ON meterops.load_file (finished_at DESC)
    WHERE status IN ('rejected', 'failed');
