/* migrate.h - applies the numbered migrations of queries/schema/ (each once, each in its
 * own transaction, recorded in meterops.schema_migration) and then the stored functions
 * of queries/functions/ whose text changed (recorded with their sha256 in
 * meterops.schema_function). A second run changes nothing. Bookkeeping statements are
 * queries/migrate/. Each call opens its own DB_MIGRATE connection (db.h), whose
 * client_min_messages keeps the NOTICEs of idempotent DDL out of the log; conninfo may be
 * NULL (PG* variables), a keyword string or a URI. A connection failure is err code
 * "db_connect". */
#ifndef MO_MIGRATE_H
#define MO_MIGRATE_H

#include <stdio.h>

#include "backend/err.h"

/* Applies what is pending; reports each step on `log` (may be NULL). Returns the number
 * of steps applied, or -1 with err filled (nothing of the failing step is kept). */
int migrate_apply(const char *conninfo, FILE *log, struct mo_err *err);

/* Writes one line per migration and function: applied (with time) or pending. Returns the
 * number pending, or -1. */
int migrate_status(const char *conninfo, FILE *out, struct mo_err *err);

/* `meterops db distribute`: applies what is pending, then places the tables on the Citus
 * cluster (queries/schema/015_citus.sql) and writes one line per table: name, placement,
 * "distributed" or "already". Returns the number of tables moved now (0 when all were in
 * place), or -1 (no citus extension, no worker, or a Citus error) with err filled. */
int migrate_distribute(const char *conninfo, FILE *out, struct mo_err *err);

#endif
