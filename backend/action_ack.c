/* action_ack.c - see action_ack.h. */
#include "backend/action_ack.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/db.h"
#include "backend/dbasync_query.h"
#include "backend/fetch.h"

/* The function's own refusals: no such file (P0002), not rejected or failed (55000), no
 * reason (22023). Anything else (42501 permission denied, no connection) could not run. */
static int refused(const char *sqlstate)
{
    return strcmp(sqlstate, "P0002") == 0 || strcmp(sqlstate, "55000") == 0 ||
           strcmp(sqlstate, "22023") == 0;
}

int ack_file_once(const char *conninfo, int64_t file_id, const char *reason, struct mo_err *err)
{
    PGconn *conn = db_connect(conninfo, &(const struct db_session){ .kind = DB_LOADER, .app_name = "meterops ack" }, err);
    if (!conn)
        return -1;
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", (long long)file_id);
    const char *p[2] = { sid, reason };
    PGresult *res = db_query(conn, SQL_CONSOLE_ACK, 2, p, err);
    int rc = res ? 0 : refused(err->code) ? 1 : -1;
    PQclear(res);
    db_close(conn);
    return rc;
}

struct ack_call {
    ack_done_fn fn;
    void *ctx;
    uint64_t tag;
    int64_t file_id;
};

static void ack_answer(const PGresult *res, const struct mo_err *err, dba_any_fn done, void *ctx,
                       uint64_t tag)
{
    (void)done;
    (void)tag;
    struct ack_call *c = ctx;
    c->fn(c->ctx, c->tag, c->file_id, res ? NULL : err);
    free(c);
}

int ack_run(struct dba *db, int64_t file_id, const char *reason, ack_done_fn done, void *ctx,
            uint64_t tag, struct mo_err *err)
{
    struct ack_call *c = malloc(sizeof *c);
    if (!c)
        return mo_err_set(err, "out_of_memory", "out of memory");
    *c = (struct ack_call){ done, ctx, tag, file_id };
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", (long long)file_id);
    const char *p[2] = { sid, reason };
    if (dba_submit(db, SQL_CONSOLE_ACK, 2, p, ack_answer, NULL, c, 0, err) < 0) {
        free(c);
        return -1;
    }
    return 0;
}

int loaders_live_once(const char *conninfo, struct mo_err *err)
{
    PGconn *conn = db_connect(conninfo, &(const struct db_session){ .kind = DB_LOADER, .app_name = "meterops requeue" }, err);
    if (!conn)
        return -1;
    PGresult *res = db_query(conn, SQL_CONSOLE_LIVE_LOADERS, 0, NULL, err);
    int n = res ? (int)res_i64(res, 0, 0, 0) : -1;
    PQclear(res);
    db_close(conn);
    return n;
}
