/* dbasync_query.h - the fetch modules' side of dbasync.h: how a fetch_*.c or action_*.c
 * queues an embedded query on the console's connection and reads its PGresult. Private to
 * backend/: ui/ sees only the plain structs those modules return, never a libpq type. */
#ifndef MO_DBASYNC_QUERY_H
#define MO_DBASYNC_QUERY_H

#include <libpq-fe.h>
#include <stdint.h>

#include "backend/dbasync.h"
#include "backend/err.h"
#include "backend/sql.h"

/* What a fetch module does with a finished query. res is NULL when err is set; both are
 * valid only during the call. `done` and `ctx` are the fetch module's caller's callback
 * and context, passed through untouched; `tag` lets that caller recognise stale answers. */
typedef void (*dba_any_fn)(void);
typedef void (*dba_parse_fn)(const PGresult *res, const struct mo_err *err, dba_any_fn done,
                             void *ctx, uint64_t tag);

/* Queues an embedded query (sql.h, e.g. SQL_CONSOLE_FILES) with text parameters (NULL
 * means SQL NULL); they are copied. Returns 0, or -1 with err set when not connected and not
 * connecting (the caller shows that; nothing is queued). */
int dba_submit(struct dba *db, enum sql_query query, int nparams, const char *const *params,
               dba_parse_fn parse, dba_any_fn done, void *ctx, uint64_t tag, struct mo_err *err);

#endif
