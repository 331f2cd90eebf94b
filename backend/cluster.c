/* cluster.c - see cluster.h. */
#include "backend/cluster.h"

#include <libpq-fe.h>
#include <string.h>
#include <time.h>

#include "backend/db.h"

static int finished(const char *state)
{
    return strcmp(state, "finished") == 0 || strcmp(state, "failed") == 0 ||
           strcmp(state, "cancelled") == 0;
}

/* Polls the latest rebalance once a second, a line each time its progress changes. */
static int wait_for(PGconn *conn, FILE *out, struct mo_err *err)
{
    char last[96] = "";
    for (;;) {
        PGresult *r = db_query(conn, SQL_CLUSTER_REBALANCE_STATUS, 0, NULL, err);
        if (!r)
            return -1;
        if (PQntuples(r) != 1) {
            PQclear(r);
            return mo_err_set(err, "rebalance_gone", "the rebalance job is no longer listed");
        }
        char line[96];
        snprintf(line, sizeof line, "rebalance job %s: %s, %s of %s move(s) done", PQgetvalue(r, 0, 0),
                 PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 3));
        if (strcmp(line, last) != 0) {
            fprintf(out, "%s\n", line);
            fflush(out);
            snprintf(last, sizeof last, "%s", line);
        }
        int done = finished(PQgetvalue(r, 0, 1));
        int ok = strcmp(PQgetvalue(r, 0, 1), "finished") == 0;
        PQclear(r);
        if (done)
            return ok ? 0 : 1;
        nanosleep(&(struct timespec){ 1, 0 }, NULL);
    }
}

int cluster_rebalance(const char *conninfo, const char *reason, int wait_end, FILE *out,
                      struct mo_err *err)
{
    const struct db_session s = { .kind = DB_MIGRATE, .app_name = "meterops db rebalance" };
    PGconn *conn = db_connect(conninfo, &s, err);
    if (!conn)
        return -1;
    const char *p[1] = { reason };
    PGresult *r = db_query(conn, SQL_CLUSTER_REBALANCE_START, 1, p, err);
    int rc = -1;
    if (r) {
        if (PQgetisnull(r, 0, 0)) {
            fprintf(out, "the shards are balanced already: nothing to move\n");
            rc = 0;
        } else {
            fprintf(out, "rebalance job %s started (shards move one at a time; writes to a "
                    "moving shard wait for it)\n", PQgetvalue(r, 0, 0));
            rc = wait_end ? wait_for(conn, out, err) : 0;
        }
        PQclear(r);
    }
    db_close(conn);
    return rc;
}
