/* action_requeue.c - see action_requeue.h. */
#include "backend/action_requeue.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/dbasync.h"
#include "backend/fetch.h"

static void match_answer(const struct pg_result *res, const struct mo_err *err, dba_any_fn done,
                         void *ctx, uint64_t tag)
{
    requeue_match_fn fn = (requeue_match_fn)done;
    if (!res) {
        fn(ctx, tag, NULL, 0, err);
        return;
    }
    const PGresult *r = (const PGresult *)res;
    int n = PQntuples(r);
    int64_t *ids = n ? malloc((size_t)n * sizeof *ids) : NULL;
    if (n && !ids) {
        struct mo_err e;
        mo_err_set(&e, "out_of_memory", "out of memory");
        fn(ctx, tag, NULL, 0, &e);
        return;
    }
    for (int i = 0; i < n; i++)
        ids[i] = res_i64(r, i, 0, 0);
    fn(ctx, tag, ids, (size_t)n, NULL);
    free(ids);
}

int requeue_match(struct dba *db, const struct requeue_filter *f, requeue_match_fn done,
                  void *ctx, uint64_t tag, struct mo_err *err)
{
    char statuses[64] = "";
    if (f->statuses[0]) {
        size_t o = 0;
        statuses[o++] = '{';
        for (int i = 0; i < 3 && f->statuses[i]; i++)
            o += (size_t)snprintf(statuses + o, sizeof statuses - o, "%s%s", i ? "," : "", f->statuses[i]);
        snprintf(statuses + o, sizeof statuses - o, "}");
    }
    char job[24];
    snprintf(job, sizeof job, "%lld", (long long)f->job_id);
    const char *params[3] = { statuses[0] ? statuses : NULL, f->job_id > 0 ? job : NULL,
                              f->path_text ? f->path_text : "" };
    return dba_submit(db, "console/requeue_match", 3, params, match_answer, (dba_any_fn)done,
                      ctx, tag, err);
}

static void run_answer(const struct pg_result *res, const struct mo_err *err, dba_any_fn done,
                       void *ctx, uint64_t tag)
{
    requeue_done_fn fn = (requeue_done_fn)done;
    if (!res)
        fn(ctx, tag, 0, err);
    else
        fn(ctx, tag, (size_t)PQntuples((const PGresult *)res), NULL);
}

int requeue_run(struct dba *db, const int64_t *ids, size_t n, const char *reason,
                requeue_done_fn done, void *ctx, uint64_t tag, struct mo_err *err)
{
    if (n == 0)
        return mo_err_set(err, "requeue", "no file to requeue");
    char *lit = ids_literal(ids, n);
    if (!lit)
        return mo_err_set(err, "out_of_memory", "out of memory");
    const char *params[2] = { lit, reason };
    int rc = dba_submit(db, "console/requeue", 2, params, run_answer, (dba_any_fn)done, ctx, tag, err);
    free(lit);
    return rc;
}
