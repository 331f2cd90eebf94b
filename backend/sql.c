#include "backend/sql.h"

/* Provided by the generated queries_sql.c, indexed by enum sql_query. */
extern const struct sql_file mo_sql_table[SQL_QUERY_END];

const struct sql_file *sql_files(size_t *count)
{
    *count = SQL_QUERY_END - 1;
    return mo_sql_table + 1;
}

static const struct sql_file *lookup(enum sql_query q)
{
    return q > SQL_NONE && q < SQL_QUERY_END ? &mo_sql_table[q] : NULL;
}

const char *sql_text(enum sql_query q)
{
    const struct sql_file *f = lookup(q);
    return f ? f->text : NULL;
}

const char *sql_name(enum sql_query q)
{
    const struct sql_file *f = lookup(q);
    return f ? f->name : "(none)";
}
