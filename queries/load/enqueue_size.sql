-- Whether a file of this size is queued, loading or loaded: only then can a new file be a
-- copy of one, and only then is it hashed before it is queued (else the loader hashes it
-- while it reads it, and settles duplicates when it commits).
SELECT EXISTS (SELECT 1 FROM meterops.load_file
                WHERE bytes = $1 AND status IN ('queued', 'loading', 'loaded'))
