-- How the registry feeds' upserts (queries/load/upsert_*.sql) answer a key repeated
-- within one file: the first line counts; a later line that says the same is
-- duplicate_identical, one that says something else duplicate_conflict.
CREATE OR REPLACE FUNCTION meterops.repeat_code(nth bigint, same_as_first boolean)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN nth > 1 THEN
                CASE WHEN same_as_first THEN 'duplicate_identical' ELSE 'duplicate_conflict' END
           END
$$;

-- The end of a repeat's message: " with the same <what>", or " with different <what>;
-- the first line counts".
CREATE OR REPLACE FUNCTION meterops.repeat_note(same_as_first boolean, what text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN same_as_first THEN ' with the same ' || what
                ELSE ' with different ' || what || '; the first line counts' END
$$;
