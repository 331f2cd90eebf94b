#include "backend/sql.h"

#include <string.h>

/* Provided by the generated queries_sql.c. */
extern const struct sql_file mo_sql_table[];
extern const size_t mo_sql_count;

const struct sql_file *sql_files(size_t *count)
{
    *count = mo_sql_count;
    return mo_sql_table;
}

const char *sql_text(const char *name)
{
    for (size_t i = 0; i < mo_sql_count; i++)
        if (strcmp(mo_sql_table[i].name, name) == 0)
            return mo_sql_table[i].text;
    return NULL;
}
