/* action.c - see action.h. */
#include "backend/action.h"

#include <libpq-fe.h>
#include <string.h>

#include "backend/db.h"
#include "backend/dbasync_query.h"

static int refused(const char *sqlstate)
{
    return strcmp(sqlstate, "P0002") == 0 || strcmp(sqlstate, "55000") == 0 ||
           strcmp(sqlstate, "22023") == 0;
}

static void answer(const PGresult *res, const struct mo_err *err, dba_any_fn done, void *ctx,
                   uint64_t tag)
{
    ((action_done_fn)done)(ctx, tag, res ? NULL : err);
}

int action_run(struct dba *db, enum sql_query q, int nparams, const char *const *params,
               action_done_fn done, void *ctx, uint64_t tag, struct mo_err *err)
{
    return dba_submit(db, q, nparams, params, answer, (dba_any_fn)done, ctx, tag, err);
}

int action_once(const char *conninfo, const char *app_name, enum sql_query q, int nparams,
                const char *const *params, struct mo_err *err)
{
    PGconn *conn = db_connect(conninfo, &(const struct db_session){ .kind = DB_LOADER, .app_name = app_name }, err);
    if (!conn)
        return -1;
    PGresult *res = db_query(conn, q, nparams, params, err);
    int rc = res ? 0 : refused(err->code) ? 1 : -1;
    PQclear(res);
    db_close(conn);
    return rc;
}
