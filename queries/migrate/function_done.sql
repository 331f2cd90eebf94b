-- migrate/function_done: one row when function file $1 was applied with exactly the text
-- $2 (its sha256 matches), so a changed file is applied again.
SELECT 1 FROM meterops.schema_function
WHERE name = $1 AND sha256 = encode(sha256(convert_to($2, 'UTF8')), 'hex')
