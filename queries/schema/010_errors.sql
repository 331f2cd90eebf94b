-- 010_errors: rejections at national scale and one record per attempt of a file.
--
-- load_error_summary holds the exact rejection counts of a file's latest attempt by code
-- and column (column_name '' for whole-line faults), counted by the loader while it reads
-- and written at commit; load_error keeps only the first rows of each code (`meterops load
-- --keep-errors`, 1000 by default), so the console reads a few rows whatever the file.
-- load_attempt is one row per claim of a file: when, who, how it ended, its counts.
-- Files rejected before this migration get their summary from their load_error rows once
-- (one set-based statement; files that have a summary already are left alone). Safe to
-- run again.
CREATE TABLE IF NOT EXISTS meterops.load_error_summary (
    file_id       bigint NOT NULL REFERENCES meterops.load_file ON DELETE CASCADE,
    attempt       int NOT NULL DEFAULT 0,
    code          text NOT NULL,
    column_name   text NOT NULL DEFAULT '',
    errors        bigint NOT NULL,
    first_line    bigint NOT NULL,
    last_line     bigint NOT NULL,
    first_message text NOT NULL,
    PRIMARY KEY (file_id, code, column_name)
);

CREATE TABLE IF NOT EXISTS meterops.load_attempt (
    file_id         bigint NOT NULL REFERENCES meterops.load_file ON DELETE CASCADE,
    attempt         int NOT NULL,
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    claimed_by      text,
    status          text NOT NULL DEFAULT 'loading'
                    CHECK (status IN ('loading', 'loaded', 'rejected', 'failed', 'released',
                                      'abandoned', 'retried')),
    rows_total      bigint NOT NULL DEFAULT 0,
    rows_loaded     bigint NOT NULL DEFAULT 0,
    rows_rejected   bigint NOT NULL DEFAULT 0,
    readings_loaded bigint NOT NULL DEFAULT 0,
    message         text,
    PRIMARY KEY (file_id, attempt)
);

INSERT INTO meterops.load_error_summary (file_id, attempt, code, column_name, errors,
                                         first_line, last_line, first_message)
SELECT e.file_id, f.attempts, e.code, coalesce(e.column_name, ''), count(*),
       min(e.line_no), max(e.line_no), (array_agg(e.message ORDER BY e.line_no))[1]
  FROM meterops.load_error e
  JOIN meterops.load_file f USING (file_id)
 WHERE NOT EXISTS (SELECT 1 FROM meterops.load_error_summary s WHERE s.file_id = e.file_id)
 GROUP BY e.file_id, f.attempts, e.code, coalesce(e.column_name, '')
ON CONFLICT DO NOTHING;

GRANT SELECT, INSERT, DELETE ON meterops.load_error_summary TO meterops_loader;
GRANT SELECT, INSERT, UPDATE ON meterops.load_attempt TO meterops_loader;
GRANT SELECT ON meterops.load_error_summary, meterops.load_attempt TO meterops_operator;
