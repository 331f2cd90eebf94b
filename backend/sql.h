/* sql.h - the SQL files of queries/, compiled into the binary at build time
 * (scripts/embed-sql writes the table). Names are paths without ".sql",
 * e.g. "schema/001_core", "console/files". */
#ifndef MO_SQL_H
#define MO_SQL_H

#include <stddef.h>

struct sql_file {
    const char *name;
    const char *text;
};

/* All embedded files, sorted by name. */
const struct sql_file *sql_files(size_t *count);
/* The text of one file; NULL if there is none (a programming error the caller reports). */
const char *sql_text(const char *name);

#endif
