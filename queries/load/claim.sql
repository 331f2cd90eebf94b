-- Takes the next file to load: a queued one, or one whose loader's lease ran out (that
-- loader died; nothing of the file was committed). SKIP LOCKED lets any number of loaders
-- on any number of hosts share the queue without waiting for each other. $3 limits the
-- choice to some files (a `meterops load FILE...` run works on its own files).
-- Within one job, registry feeds go first: meters name customers and tariffs, bills name
-- customers, readings name meters. A file waits while a file of an earlier stage of its
-- job is queued or loading, so `meterops load *.csv` needs no order on the command line.
-- The stage is the format's (reader_format.stage), stored when the file was enqueued.
-- Each claim opens the file's attempt row (load_attempt); an attempt still open from a
-- loader whose lease ran out is closed as abandoned. The claim itself is
-- meterops.load_claim() (queries/functions/load_queue.sql): the loader may not UPDATE
-- load_file; here it picks what it needs of the claimed row.
SELECT c.file_id, c.path, c.sha256, c.bytes, c.format, c.attempts,
       extract(epoch FROM now())::bigint,
       c.options->>'meter', c.options->>'export_meter',
       coalesce((c.options->>'create_meters')::boolean, false),
       coalesce((c.options->>'max_reject_ratio')::float8, 0.01) AS max_reject_ratio,
       c.options->>'not_before' AS not_before,
       coalesce((c.options->>'future_margin')::int, 0) AS future_margin,
       c.options->>'unit' AS unit,
       coalesce((c.options->>'calorific_value')::float8, 0) AS calorific_value,
       coalesce((c.options->>'xsd')::boolean, false) AS xsd
FROM meterops.load_claim($1, $2::int, $3::bigint[]) c
