/* rebalance.c - see rebalance.h. */
#include "backend/rebalance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/db.h"
#include "backend/sql.h"

static int read_state(PGconn *conn, struct rebalance_state *st, struct mo_err *err)
{
    PGresult *res = db_query(conn, SQL_CLUSTER_REBALANCE_PROGRESS, 0, NULL, err);
    if (!res)
        return -1;
    if (PQntuples(res) > 0) {
        st->job_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        snprintf(st->state, sizeof st->state, "%s", PQgetvalue(res, 0, 1));
        st->done = strtoll(PQgetvalue(res, 0, 2), NULL, 10);
        st->total = strtoll(PQgetvalue(res, 0, 3), NULL, 10);
    }
    PQclear(res);
    return 0;
}

static int ended(const char *state)
{
    return strcmp(state, "finished") == 0 || strcmp(state, "failed") == 0 ||
           strcmp(state, "cancelled") == 0;
}

int rebalance_run(const char *conninfo, const char *mode, rebalance_progress_fn progress,
                  void *ctx, struct mo_err *err)
{
    const struct db_session s = { .kind = DB_MIGRATE, .app_name = "meterops db rebalance" };
    PGconn *conn = db_connect(conninfo, &s, err);
    if (!conn)
        return -1;
    const char *p[1] = { mode };
    PGresult *res = db_query(conn, SQL_CLUSTER_REBALANCE_START, 1, p, err);
    if (!res) {
        db_close(conn);
        return -1;
    }
    struct rebalance_state st;
    memset(&st, 0, sizeof st);
    int none = PQgetisnull(res, 0, 0);
    int64_t job = none ? 0 : strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    if (none) {
        snprintf(st.state, sizeof st.state, "finished");
        progress(ctx, &st);
        db_close(conn);
        return 0;
    }
    struct rebalance_state last;
    memset(&last, 0, sizeof last);
    for (;;) {
        if (read_state(conn, &st, err) < 0) {
            db_close(conn);
            return -1;
        }
        if (st.job_id != job) /* another rebalance came after ours: ours is over */
            break;
        if (st.done != last.done || st.total != last.total || strcmp(st.state, last.state) != 0)
            progress(ctx, &st);
        last = st;
        if (ended(st.state))
            break;
        struct timespec pause = { 1, 0 };
        nanosleep(&pause, NULL);
    }
    db_close(conn);
    return strcmp(st.state, "finished") == 0 ? 0 : 1;
}
