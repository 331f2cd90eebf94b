-- migrate/bootstrap: the schema and the two tables that record what backend/migrate.c
-- applied: each numbered migration of queries/schema/ once, each function file of
-- queries/functions/ with the sha256 of the text last applied. Idempotent; several
-- statements, so it runs through the simple-query protocol.
CREATE SCHEMA IF NOT EXISTS meterops;
CREATE TABLE IF NOT EXISTS meterops.schema_migration (
  name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS meterops.schema_function (
  name text PRIMARY KEY, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
