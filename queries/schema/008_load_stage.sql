-- 008_load_stage: a file's stage in its load job is stored when it is enqueued.
--
-- The stage (registry feeds that others name load first: customers and tariffs, then
-- meters and bills, then readings) is a property of the file's format, kept in the reader
-- registry (reader_format.stage). The claim query used to derive it again from the format
-- name; now it compares the stored stage. Rows queued before this migration get the
-- stage of their format once, here. Safe to run again.
ALTER TABLE meterops.load_file ADD COLUMN IF NOT EXISTS stage smallint NOT NULL DEFAULT 2;

UPDATE meterops.load_file
   SET stage = CASE format WHEN 'customers' THEN 0 WHEN 'tariffs' THEN 0 ELSE 1 END
 WHERE format IN ('customers', 'tariffs', 'meters', 'bills')
   AND stage = 2;
