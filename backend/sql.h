/* sql.h - the SQL files of queries/, compiled into the binary at build time
 * (scripts/embed-sql writes the table and the enum of their names). A query is named by
 * its enum constant: queries/load/claim.sql is SQL_LOAD_CLAIM, queries/schema/001_core.sql
 * SQL_SCHEMA_001_CORE, so a misspelt name fails to compile. Its text name is the path
 * without ".sql" ("load/claim"), for messages and the migration records. */
#ifndef MO_SQL_H
#define MO_SQL_H

#include <stddef.h>

#include "queries_sql.h" /* generated in the build directory: enum sql_query */

struct sql_file {
    const char *name;
    const char *text;
};

/* All embedded files, sorted by name (the enum's order, SQL_NONE left out). */
const struct sql_file *sql_files(size_t *count);
/* The text of one query; NULL for SQL_NONE or a value out of range. */
const char *sql_text(enum sql_query q);
/* Its name ("load/claim"); "(none)" for SQL_NONE or a value out of range. */
const char *sql_name(enum sql_query q);

#endif
