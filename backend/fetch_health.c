/* fetch_health.c - see fetch_health.h. */
#include "backend/fetch_health.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/dbasync_query.h"

static const struct {
    enum sql_query q;
    int takes_limit;
} parts[HP_COUNT] = {
    [HP_SESSIONS] = { SQL_CONSOLE_HEALTH_SESSIONS, 0 },
    [HP_LOCKS] = { SQL_CONSOLE_HEALTH_LOCKS, 0 },
    [HP_STANDBYS] = { SQL_CONSOLE_HEALTH_STANDBYS, 0 },
    [HP_SLOTS] = { SQL_CONSOLE_HEALTH_SLOTS, 0 },
    [HP_WAL] = { SQL_CONSOLE_HEALTH_WAL, 0 },
    [HP_VACUUM] = { SQL_CONSOLE_HEALTH_VACUUM, 0 },
    [HP_XID_DB] = { SQL_CONSOLE_HEALTH_XID_DB, 0 },
    [HP_XID_TABLES] = { SQL_CONSOLE_HEALTH_XID_TABLES, 1 },
    [HP_DEAD] = { SQL_CONSOLE_HEALTH_DEAD, 1 },
    [HP_SERVER] = { SQL_CONSOLE_HEALTH_SERVER, 0 },
    [HP_COPY] = { SQL_CONSOLE_HEALTH_COPY, 0 },
    [HP_SIZES] = { SQL_CONSOLE_HEALTH_SIZES, 1 },
};

void health_table_free(struct health_table *t)
{
    if (!t)
        return;
    free(t->names);
    free(t->cells);
    strpool_free(&t->pool);
    free(t);
}

const char *health_cell(const struct health_table *t, size_t row, int col)
{
    if (!t || row >= t->nrows || col < 0 || col >= t->ncols)
        return "";
    return t->cells[row * (size_t)t->ncols + (size_t)col];
}

int health_col(const struct health_table *t, const char *name)
{
    for (int c = 0; t && c < t->ncols; c++)
        if (strcmp(t->names[c], name) == 0)
            return c;
    return -1;
}

int64_t health_i64(const struct health_table *t, size_t row, int col)
{
    return strtoll(health_cell(t, row, col), NULL, 10);
}

static struct health_table *from_result(const PGresult *r)
{
    struct health_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->ncols = PQnfields(r);
    size_t n = (size_t)PQntuples(r);
    t->names = calloc((size_t)t->ncols + 1, sizeof *t->names);
    t->cells = calloc(n * (size_t)t->ncols + 1, sizeof *t->cells);
    if (!t->names || !t->cells)
        goto fail;
    for (int c = 0; c < t->ncols; c++)
        if (!(t->names[c] = strpool_dup(&t->pool, PQfname(r, c))))
            goto fail;
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < t->ncols; c++)
            if (!(t->cells[i * (size_t)t->ncols + (size_t)c] = strpool_dup(&t->pool, PQgetvalue(r, (int)i, c))))
                goto fail;
    t->nrows = n;
    return t;
fail:
    health_table_free(t);
    return NULL;
}

static void answer(const PGresult *res, const struct mo_err *err, dba_any_fn done, void *ctx,
                   uint64_t tag)
{
    health_table_fn fn = (health_table_fn)done;
    if (!res) {
        fn(ctx, tag, NULL, err);
        return;
    }
    struct health_table *t = from_result(res);
    if (!t) {
        struct mo_err e;
        mo_err_set(&e, "out_of_memory", "out of memory reading the health view's data");
        fn(ctx, tag, NULL, &e);
        return;
    }
    fn(ctx, tag, t, NULL);
}

int health_fetch(struct dba *db, enum health_part part, int limit, health_table_fn done,
                 void *ctx, uint64_t tag, struct mo_err *err)
{
    if ((int)part < 0 || part >= HP_COUNT)
        return mo_err_set(err, "health", "no such part");
    char lim[24];
    snprintf(lim, sizeof lim, "%d", limit > 0 ? limit : 20);
    const char *params[1] = { lim };
    return dba_submit(db, parts[part].q, parts[part].takes_limit, params, answer, (dba_any_fn)done,
                      ctx, tag, err);
}
