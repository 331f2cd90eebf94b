-- seed.sql - what the loader would have written for a small day of work, so the console
-- tests have every file state to show: loaded (with and without rejected rows), rejected
-- (row faults above the ratio, and a bad header), failed, queued and loading, plus one
-- file finished three days ago that the 24-hour counts must leave out, and a registry of
-- meters of which some reported today and some went silent.
-- The only place the console tests get their data from (tests/tui/common.sh: tui_seed).
BEGIN;

INSERT INTO meterops.load_job (started_at, finished_at, host, pid, args, status) VALUES
    (now() - interval '3 days', now() - interval '3 days' + interval '2 minutes', 'loader-a', 3101,
     'load --jobs 2 /srv/meterops/inbox/2024-05-29/*.csv', 'done'),
    (now() - interval '3 hours', now() - interval '80 minutes', 'loader-a', 4711,
     'load --jobs 2 /srv/meterops/inbox/2024-06-01/*.csv', 'done'),
    (now() - interval '5 minutes', NULL, 'loader-b', 4242,
     'load --daemon --inbox /srv/meterops/inbox', 'running');

CREATE TEMP TABLE seed_file (path text, job int, format text, status text, bytes bigint,
    rows_total bigint, rows_loaded bigint, rows_rejected bigint, readings bigint,
    progress bigint, message text, queued interval, started interval, finished interval,
    lease interval, claimed_by text, attempts int) ON COMMIT DROP;
INSERT INTO seed_file VALUES
    ('/srv/meterops/inbox/2024-05-29/elec-long-0001.csv', 1, 'long', 'loaded', 201600,
     4800, 4800, 0, 4800, 4800, NULL, '3 days', '3 days', '3 days', NULL, 'loader-a:3101', 1),
    ('/srv/meterops/inbox/2024-06-01/elec-long-0001.csv', 2, 'long', 'loaded', 201600,
     4800, 4800, 0, 4800, 4800, NULL, '3 hours', '2 hours', '118 minutes', NULL, 'loader-a:4711', 1),
    ('/srv/meterops/inbox/2024-06-01/elec-long-0002.csv', 2, 'long', 'loaded', 201650,
     4800, 4797, 3, 4797, 4800, '3 of 4800 rows rejected (0.06%)', '3 hours', '2 hours', '117 minutes', NULL, 'loader-a:4711', 1),
    ('/srv/meterops/inbox/2024-06-01/elec-long-0003.csv', 2, 'long', 'rejected', 8400,
     200, 0, 9, 0, 200, '9 of 200 rows rejected (4.50% > 1.00%); nothing loaded', '3 hours', '2 hours', '116 minutes', NULL, 'loader-a:4711', 1),
    ('/srv/meterops/inbox/2024-06-01/gas-wide-0001.csv', 2, 'wide', 'rejected', 51200,
     0, 0, 1, 0, 0, 'header is not the wide format''s; nothing loaded', '3 hours', '2 hours', '116 minutes', NULL, 'loader-a:4711', 1),
    ('/srv/meterops/inbox/2024-06-01/elec-wide-0004.csv', 2, 'wide', 'failed', 96000,
     0, 0, 0, 0, 0, 'could not read /srv/meterops/inbox/2024-06-01/elec-wide-0004.csv: Permission denied', '3 hours', '2 hours', '115 minutes', NULL, 'loader-a:4711', 3),
    ('/srv/meterops/inbox/2024-06-02/elec-long-0007.csv', 3, 'long', 'loading', 2016000,
     48000, 0, 0, 0, 21000, NULL, '5 minutes', '40 seconds', NULL, '-5 minutes', 'loader-b:4242', 1),
    ('/srv/meterops/inbox/2024-06-02/elec-long-0005.csv', 3, 'long', 'queued', 201600,
     0, 0, 0, 0, 0, NULL, '4 minutes', NULL, NULL, NULL, NULL, 0),
    ('/srv/meterops/inbox/2024-06-02/elec-long-0006.csv', 3, 'long', 'queued', 201600,
     0, 0, 0, 0, 0, NULL, '3 minutes', NULL, NULL, NULL, NULL, 0);
-- The loading file's rows_total is not known until it finishes: the loader leaves it 0.
UPDATE seed_file SET rows_total = 0 WHERE status = 'loading';

INSERT INTO meterops.load_file (job_id, path, sha256, bytes, format, status, rows_total,
    rows_loaded, rows_rejected, readings_loaded, progress_rows, message, queued_at,
    started_at, finished_at, lease_until, claimed_by, attempts)
SELECT (SELECT job_id FROM meterops.load_job ORDER BY job_id OFFSET job - 1 LIMIT 1),
       path, encode(sha256(convert_to(path, 'UTF8')), 'hex'), bytes, format, status,
       rows_total, rows_loaded, rows_rejected, readings, progress, message, now() - queued,
       now() - started, now() - finished, now() - lease, claimed_by, attempts
FROM seed_file ORDER BY queued DESC, path;

-- One row per rejected line, as the loader's validation writes it (first failure only).
INSERT INTO meterops.load_error (file_id, line_no, column_name, code, message, raw)
SELECT f.file_id, e.line_no, e.column_name, e.code, e.message, e.raw
FROM meterops.load_file f
JOIN (VALUES
    ('/srv/meterops/inbox/2024-06-01/elec-long-0002.csv', 212, 'mpxn', 'mpan_check_digit',
     'MPAN 2700003645223 fails its check digit (expected 2)', '2700003645223,2024-06-01T05:30:00Z,0.412,A'),
    ('/srv/meterops/inbox/2024-06-01/elec-long-0002.csv', 1877, 'kwh', 'value_range',
     'kwh 512.000 is above the plausible 50.000 for a 30-minute interval', '1200023305967,2024-06-01T14:00:00Z,512.000,A'),
    ('/srv/meterops/inbox/2024-06-01/elec-long-0002.csv', 3020, 'timestamp', 'duplicate_identical',
     'meter 1900001059816 interval 2024-06-01T09:00:00Z already read on line 3019 with the same value',
     '1900001059816,2024-06-01T09:00:00Z,0.207,A'),
    ('/srv/meterops/inbox/2024-06-01/elec-long-0003.csv', 14, 'mpxn', 'mpan_check_digit',
     'MPAN 2700003645223 fails its check digit (expected 2)', '2700003645223,2024-06-01T06:30:00Z,0.412,A'),
    ('/srv/meterops/inbox/2024-06-01/elec-long-0003.csv', 27, 'timestamp', 'timestamp_syntax',
     'timestamp ''2024-06-01 25:00'' is not an ISO 8601 time', '2700003645222,2024-06-01 25:00,0.388,A'),
    ('/srv/meterops/inbox/2024-06-01/elec-long-0003.csv', 28, 'timestamp', 'timestamp_syntax',
     'timestamp ''2024-06-01T12:30:00'' has no zone (add Z or an offset)', '2700003645222,2024-06-01T12:30:00,0.361,A'),
    ('/srv/meterops/inbox/2024-06-01/elec-long-0003.csv', 41, NULL, 'field_count',
     'line has 2 fields, the long format needs 3 or 4', '2700003645222,2024-06-01T20:00:00Z'),
    ('/srv/meterops/inbox/2024-06-01/elec-long-0003.csv', 55, 'kwh', 'value_syntax',
     'kwh ''O.25'' is not a number', '1200023305967,2024-06-01T03:00:00Z,O.25,A'),
    ('/srv/meterops/inbox/2024-06-01/elec-long-0003.csv', 56, 'kwh', 'value_range',
     'kwh -0.120 is negative', '1200023305967,2024-06-01T03:30:00Z,-0.120,A'),
    ('/srv/meterops/inbox/2024-06-01/elec-long-0003.csv', 90, 'mpxn', 'unknown_meter',
     'meter 1900001059816 is not in the registry (see --create-meters)', '1900001059816,2024-06-01T04:00:00Z,0.150,E'),
    ('/srv/meterops/inbox/2024-06-01/elec-long-0003.csv', 120, 'kwh', 'duplicate_conflict',
     'meter 2700003645222 interval 2024-06-01T10:00:00Z already read 0.301 kWh on line 119; this line says 0.310',
     '2700003645222,2024-06-01T10:00:00Z,0.310,A'),
    ('/srv/meterops/inbox/2024-06-01/elec-long-0003.csv', 150, 'timestamp', 'misaligned_interval',
     'interval start 2024-06-01T10:10:00Z is not on a 30-minute boundary of meter 2700003645222',
     '2700003645222,2024-06-01T10:10:00Z,0.298,A'),
    ('/srv/meterops/inbox/2024-06-01/gas-wide-0001.csv', 1, NULL, 'header',
     'header "mprn;date;values" is not the wide format''s (mpxn,date,i01..i48)', 'mprn;date;values')
) AS e(path, line_no, column_name, code, message, raw) ON e.path = f.path;

-- Their exact counts by code and column, as the loader writes them at commit.
INSERT INTO meterops.load_error_summary (file_id, attempt, code, column_name, errors,
                                         first_line, last_line, first_message)
SELECT e.file_id, 1, e.code, coalesce(e.column_name, ''), count(*), min(e.line_no),
       max(e.line_no), (array_agg(e.message ORDER BY e.line_no))[1]
FROM meterops.load_error e
GROUP BY e.file_id, e.code, coalesce(e.column_name, '');

-- The registry: six electricity and two gas meters. Five reported today (UTC), one last
-- reported two days ago, and two have been silent for ten days.
INSERT INTO meterops.meter (mpxn, fuel, interval_minutes, installed_on) VALUES
    ('2700003645222', 'elec', 30, '2020-01-01'), ('1200023305967', 'elec', 30, '2020-01-01'),
    ('1900001059816', 'elec', 30, '2021-03-01'), ('1012345678901', 'elec', 30, '2022-05-01'),
    ('1098765432109', 'elec', 15, '2022-05-01'), ('2000011122233', 'elec', 60, '2023-01-01'),
    ('7654321', 'gas', 30, '2020-01-01'), ('9876543210', 'gas', 30, '2021-01-01');
COMMIT;

SELECT meterops.ensure_reading_partitions((now() AT TIME ZONE 'UTC')::date - 12,
                                          (now() AT TIME ZONE 'UTC')::date);
INSERT INTO meterops.reading_day (meter_id, day, wh, file_id)
SELECT m.meter_id, (now() AT TIME ZONE 'UTC')::date - d.ago,
       array_fill(120, ARRAY[24 * 60 / m.interval_minutes]),
       (SELECT min(file_id) FROM meterops.load_file)
FROM meterops.meter m
JOIN (VALUES ('2700003645222', 0), ('1200023305967', 0), ('1900001059816', 0),
             ('1012345678901', 0), ('7654321', 0), ('1098765432109', 2),
             ('2000011122233', 10), ('9876543210', 10),
             ('2700003645222', 1), ('1098765432109', 3)) AS d(mpxn, ago) ON d.mpxn = m.mpxn;

-- Readings written with SQL, not by the loader: their days are summarized for the meter
-- counts as an operator would (009_meter_counts.sql).
SELECT meterops.meter_seen_rebuild((now() AT TIME ZONE 'UTC')::date - 12,
                                   (now() AT TIME ZONE 'UTC')::date);
