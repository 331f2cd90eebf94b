-- migrate/function_applied: when function file $1 was applied with exactly the text $2;
-- no row when it is pending (never applied, or changed since).
SELECT to_char(applied_at, 'YYYY-MM-DD HH24:MI:SS') FROM meterops.schema_function
WHERE name = $1 AND sha256 = encode(sha256(convert_to($2, 'UTF8')), 'hex')
