/* action_ack.c - see action_ack.h. */
#include "backend/action_ack.h"

#include <libpq-fe.h>
#include <stdio.h>

#include "backend/action.h"
#include "backend/db.h"
#include "backend/fetch.h"

int ack_file_once(const char *conninfo, int64_t file_id, const char *reason, struct mo_err *err)
{
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", (long long)file_id);
    const char *p[2] = { sid, reason };
    return action_once(conninfo, "meterops ack", SQL_CONSOLE_ACK, 2, p, err);
}

int ack_run(struct dba *db, int64_t file_id, const char *reason, action_done_fn done, void *ctx,
            struct mo_err *err)
{
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", (long long)file_id);
    const char *p[2] = { sid, reason };
    return action_run(db, SQL_CONSOLE_ACK, 2, p, done, ctx, (uint64_t)file_id, err);
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
