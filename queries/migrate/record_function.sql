-- migrate/record_function: function file $1 was applied with text $2 (in the same
-- transaction as it); replaces the record of an earlier text.
INSERT INTO meterops.schema_function (name, sha256)
VALUES ($1, encode(sha256(convert_to($2, 'UTF8')), 'hex'))
ON CONFLICT (name) DO UPDATE SET sha256 = EXCLUDED.sha256, applied_at = now()
