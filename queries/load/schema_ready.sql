-- load/schema_ready: whether the loader's tables exist yet (meterops db migrate ran), so
-- meterops load can say what to do instead of failing on its first query.
SELECT to_regclass('meterops.load_file') IS NOT NULL
