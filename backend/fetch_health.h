/* fetch_health.h - the Health view's data: each part (sessions, the blocking tree,
 * standbys, slots, ...) is one query of queries/console/health_*.sql, returned as a table
 * of text cells named by their columns, as pg_activity does: the SQL says what is read,
 * the view only formats it. Column names carry their unit: "_s" seconds, "_ms"
 * milliseconds, "_bytes"/"bytes" bytes, "-1" meaning none. */
#ifndef MO_FETCH_HEALTH_H
#define MO_FETCH_HEALTH_H

#include <stddef.h>
#include <stdint.h>

#include "backend/err.h"
#include "backend/strpool.h"

struct dba;

enum health_part {
    HP_SESSIONS, HP_LOCKS,                    /* every refresh */
    HP_STANDBYS, HP_SLOTS, HP_WAL,
    HP_VACUUM, HP_XID_DB, HP_XID_TABLES, HP_DEAD,
    HP_SERVER, HP_COPY,
    HP_SIZES,                                 /* once a minute: it measures files */
    HP_COUNT
};

struct health_table {
    int ncols;
    size_t nrows;
    const char **names;         /* ncols */
    const char **cells;         /* nrows * ncols; "" for NULL */
    struct strpool pool;
};

void health_table_free(struct health_table *t);
const char *health_cell(const struct health_table *t, size_t row, int col);
int health_col(const struct health_table *t, const char *name); /* -1: no such column */
int64_t health_i64(const struct health_table *t, size_t row, int col); /* 0 when not a number */

typedef void (*health_table_fn)(void *ctx, uint64_t tag, struct health_table *t,
                                const struct mo_err *err);
/* Asks for one part; limit bounds the parts that take one ($1 of their query). done gets
 * the table (the caller frees it) or err. */
int health_fetch(struct dba *db, enum health_part part, int limit, health_table_fn done,
                 void *ctx, uint64_t tag, struct mo_err *err);

#endif
