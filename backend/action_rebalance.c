/* action_rebalance.c - see action_rebalance.h. */
#include "backend/action_rebalance.h"

#include <libpq-fe.h>
#include <stdlib.h>

#include "backend/dbasync_query.h"
#include "backend/sql.h"

static void answer(const PGresult *res, const struct mo_err *err, dba_any_fn done, void *ctx,
                   uint64_t tag)
{
    (void)tag;
    int64_t job = 0;
    if (res && PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
        job = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    ((rebalance_started_fn)done)(ctx, job, res ? NULL : err);
}

int rebalance_run(struct dba *db, const char *reason, rebalance_started_fn done, void *ctx,
                  struct mo_err *err)
{
    const char *p[1] = { reason };
    return dba_submit(db, SQL_CLUSTER_REBALANCE_START, 1, p, answer, (dba_any_fn)done, ctx, 0, err);
}
