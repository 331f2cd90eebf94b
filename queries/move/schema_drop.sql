-- move/schema_drop: abort on a target whose schema start created.
DROP SCHEMA IF EXISTS meterops CASCADE
