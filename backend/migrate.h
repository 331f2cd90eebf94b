/* migrate.h - applies the numbered migrations of queries/schema/ (each once, each in its
 * own transaction, recorded in meterops.schema_migration) and then the stored functions
 * of queries/functions/ whose text changed (recorded with their sha256 in
 * meterops.schema_function). A second run changes nothing. Bookkeeping statements are
 * queries/migrate/; conn is best a DB_MIGRATE connection (db.h), whose client_min_messages
 * keeps the NOTICEs of idempotent DDL out of the log. */
#ifndef MO_MIGRATE_H
#define MO_MIGRATE_H

#include <libpq-fe.h>
#include <stdio.h>

#include "backend/err.h"

/* Applies what is pending; reports each step on `log` (may be NULL). Returns the number
 * of steps applied, or -1 with err filled (nothing of the failing step is kept). */
int migrate_apply(PGconn *conn, FILE *log, struct mo_err *err);

/* Writes one line per migration and function: applied (with time) or pending. Returns the
 * number pending, or -1. */
int migrate_status(PGconn *conn, FILE *out, struct mo_err *err);

#endif
