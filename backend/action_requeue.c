/* action_requeue.c - see action_requeue.h. */
#include "backend/action_requeue.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/db.h"
#include "backend/dbasync_query.h"
#include "backend/fetch.h"

static void match_answer(const PGresult *res, const struct mo_err *err, dba_any_fn done,
                         void *ctx, uint64_t tag)
{
    requeue_match_fn fn = (requeue_match_fn)done;
    if (!res) {
        fn(ctx, tag, NULL, 0, err);
        return;
    }
    const PGresult *r = res;
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
    return dba_submit(db, SQL_CONSOLE_REQUEUE_MATCH, 3, params, match_answer, (dba_any_fn)done,
                      ctx, tag, err);
}

static void run_answer(const PGresult *res, const struct mo_err *err, dba_any_fn done,
                       void *ctx, uint64_t tag)
{
    requeue_done_fn fn = (requeue_done_fn)done;
    if (!res)
        fn(ctx, tag, 0, err);
    else
        fn(ctx, tag, (size_t)PQntuples(res), NULL);
}

/* console/requeue's parameters; params[0] is allocated (free it), NULL when out of memory. */
static int requeue_params(const int64_t *ids, size_t n, const char *reason, const char *params[2],
                          struct mo_err *err)
{
    if (n == 0)
        return mo_err_set(err, "requeue", "no file to requeue");
    char *lit = ids_literal(ids, n);
    if (!lit)
        return mo_err_set(err, "out_of_memory", "out of memory");
    params[0] = lit;
    params[1] = reason;
    return 0;
}

int requeue_run(struct dba *db, const int64_t *ids, size_t n, const char *reason,
                requeue_done_fn done, void *ctx, uint64_t tag, struct mo_err *err)
{
    const char *params[2];
    if (requeue_params(ids, n, reason, params, err) < 0)
        return -1;
    int rc = dba_submit(db, SQL_CONSOLE_REQUEUE, 2, params, run_answer, (dba_any_fn)done, ctx, tag, err);
    free((char *)params[0]);
    return rc;
}

/* Fills each item's path and status; 0, or -1 with err. */
static int show_items(PGconn *conn, const char *ids, struct requeue_item *items, size_t n,
                      struct mo_err *err)
{
    const char *p[1] = { ids };
    PGresult *res = db_query(conn, SQL_LOAD_REQUEUE_SHOW, 1, p, err);
    if (!res)
        return -1;
    for (int r = 0; r < PQntuples(res); r++) {
        int64_t id = res_i64(res, r, 0, 0);
        for (size_t i = 0; i < n; i++)
            if (items[i].file_id == id) {
                items[i].found = 1;
                snprintf(items[i].path, sizeof items[i].path, "%s", PQgetvalue(res, r, 1));
                snprintf(items[i].status, sizeof items[i].status, "%s", PQgetvalue(res, r, 2));
            }
    }
    PQclear(res);
    return 0;
}

/* The file a refusal is about: the first missing or unfinished one. */
static size_t refused_item(const struct requeue_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!items[i].found || strcmp(items[i].status, "queued") == 0 ||
            strcmp(items[i].status, "loading") == 0)
            return i;
    return 0;
}

static enum requeue_outcome requeue_on(PGconn *conn, struct requeue_item *items, size_t n,
                                       const char *reason, const char *meter,
                                       const char *export_meter, size_t *culprit,
                                       struct mo_err *err)
{
    int64_t *ids = malloc(n * sizeof *ids);
    if (!ids) {
        mo_err_set(err, "out_of_memory", "out of memory");
        return REQUEUE_FAILED;
    }
    for (size_t i = 0; i < n; i++)
        ids[i] = items[i].file_id;
    const char *params[4];
    int rc = requeue_params(ids, n, reason, params, err);
    params[2] = meter;
    params[3] = export_meter;
    free(ids);
    if (rc < 0)
        return REQUEUE_FAILED;
    enum requeue_outcome out = REQUEUE_FAILED;
    if (show_items(conn, params[0], items, n, err) < 0) {
        *culprit = 0;
    } else if (items[refused_item(items, n)].found == 0) {
        *culprit = refused_item(items, n);
        out = REQUEUE_REFUSED;
    } else {
        int with = meter || export_meter;
        PGresult *res = db_query(conn, with ? SQL_CONSOLE_REQUEUE_OPTIONS : SQL_CONSOLE_REQUEUE,
                                 with ? 4 : 2, params, err);
        PQclear(res);
        out = res ? REQUEUE_DONE : strcmp(err->code, "42501") == 0 ? REQUEUE_FAILED : REQUEUE_REFUSED;
        if (!res)
            *culprit = refused_item(items, n);
    }
    free((char *)params[0]);
    return out;
}

enum requeue_outcome requeue_files(const char *conninfo, struct requeue_item *items, size_t n,
                                   const char *reason, size_t *culprit, struct mo_err *err)
{
    return requeue_files_with(conninfo, items, n, reason, NULL, NULL, culprit, err);
}

enum requeue_outcome requeue_files_with(const char *conninfo, struct requeue_item *items,
                                        size_t n, const char *reason, const char *meter,
                                        const char *export_meter, size_t *culprit,
                                        struct mo_err *err)
{
    *culprit = n;
    for (size_t i = 0; i < n; i++)
        items[i].found = 0;
    PGconn *conn = db_connect(conninfo, &(const struct db_session){ .kind = DB_LOADER, .app_name = "meterops requeue" }, err);
    if (!conn)
        return REQUEUE_FAILED;
    enum requeue_outcome out = requeue_on(conn, items, n, reason, meter, export_meter, culprit, err);
    db_close(conn);
    return out;
}
