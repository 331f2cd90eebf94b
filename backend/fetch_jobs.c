/* fetch_jobs.c - see fetch_jobs.h. */
#include "backend/fetch_jobs.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>

#include "backend/dbasync_query.h"
#include "backend/fetch.h"

void job_list_free(struct job_list *l)
{
    if (!l)
        return;
    free(l->rows);
    strpool_free(&l->pool);
    free(l);
}

static struct job_list *from_result(const PGresult *r)
{
    struct job_list *l = calloc(1, sizeof *l);
    int n;
    if (!l || (!(l->rows = res_calloc_rows(r, sizeof *l->rows, &n)) && n)) {
        free(l);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        struct job_row *j = &l->rows[i];
        j->job_id = res_i64(r, i, 0, 0);
        j->host = strpool_dup(&l->pool, res_str(r, i, 1));
        j->pid = (int)res_i64(r, i, 2, 0);
        j->db_user = strpool_dup(&l->pool, res_str(r, i, 3));
        j->args = strpool_dup(&l->pool, res_str(r, i, 4));
        j->status = strpool_dup(&l->pool, res_str(r, i, 5));
        j->started_at = res_i64(r, i, 6, 0);
        j->finished_at = res_i64(r, i, 7, 0);
        j->files = res_i64(r, i, 8, 0);
        j->queued = res_i64(r, i, 9, 0);
        j->loading = res_i64(r, i, 10, 0);
        j->loaded = res_i64(r, i, 11, 0);
        j->rejected = res_i64(r, i, 12, 0);
        j->failed = res_i64(r, i, 13, 0);
        j->readings = res_i64(r, i, 14, 0);
        if (!j->host || !j->db_user || !j->args || !j->status) {
            job_list_free(l);
            return NULL;
        }
        l->n++;
    }
    return l;
}

static void answer(const PGresult *res, const struct mo_err *err, dba_any_fn done,
                   void *ctx, uint64_t tag)
{
    job_list_fn fn = (job_list_fn)done;
    if (!res) {
        fn(ctx, tag, NULL, err);
        return;
    }
    struct job_list *l = from_result(res);
    if (!l) {
        struct mo_err e;
        mo_err_set(&e, "out_of_memory", "out of memory reading the job list");
        fn(ctx, tag, NULL, &e);
        return;
    }
    fn(ctx, tag, l, NULL);
}

int jobs_fetch(struct dba *db, int limit, job_list_fn done, void *ctx, uint64_t tag,
               struct mo_err *err)
{
    char lim[24];
    snprintf(lim, sizeof lim, "%d", limit > 0 ? limit : 200);
    const char *params[1] = { lim };
    return dba_submit(db, SQL_CONSOLE_JOBS, 1, params, answer, (dba_any_fn)done, ctx, tag, err);
}
