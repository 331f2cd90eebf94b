#include "backend/db.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/sql.h"

/* expand_dbname=1 lets conninfo be a full keyword string or URI in the dbname slot;
 * fallback_application_name leaves a user's own application_name in charge. */
static void conn_params(const char *conninfo, const char *app_name, const char *keys[4],
                        const char *vals[4])
{
    int n = 0;
    if (conninfo && *conninfo) {
        keys[n] = "dbname";
        vals[n++] = conninfo;
    }
    keys[n] = "fallback_application_name";
    vals[n++] = app_name ? app_name : "meterops";
    keys[n] = NULL;
    vals[n] = NULL;
}

static void trim_message(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
        s[--n] = '\0';
}

PGconn *db_connect(const char *conninfo, const char *app_name, struct mo_err *err)
{
    const char *keys[4], *vals[4];
    conn_params(conninfo, app_name, keys, vals);
    PGconn *conn = PQconnectdbParams(keys, vals, 1);
    if (!conn) {
        mo_err_set(err, "db_connect", "out of memory while connecting");
        return NULL;
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        mo_err_set(err, "db_connect", "cannot connect to PostgreSQL: %s", PQerrorMessage(conn));
        trim_message(err->message);
        PQfinish(conn);
        return NULL;
    }
    return conn;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The connection's connect_timeout in seconds (0: none), as libpq reads it: values under
 * 2 count as 2. */
static int conn_timeout(PGconn *conn)
{
    PQconninfoOption *opts = PQconninfo(conn);
    int t = 0;
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (strcmp(o->keyword, "connect_timeout") == 0 && o->val && *o->val)
            t = atoi(o->val);
    PQconninfoFree(opts);
    return t > 0 && t < 2 ? 2 : t;
}

int db_connect_many(const char *conninfo, const char *const *app_names, int n, PGconn **out,
                    struct mo_err *err)
{
    PostgresPollingStatusType *st = calloc((size_t)(n > 0 ? n : 1), sizeof *st);
    struct pollfd *pfd = calloc((size_t)(n > 0 ? n : 1), sizeof *pfd);
    int rc = 0;
    if (!st || !pfd) {
        rc = mo_err_set(err, "db_connect", "out of memory while connecting");
        n = 0;
    }
    for (int i = 0; i < n; i++)
        out[i] = NULL;
    for (int i = 0; i < n && rc == 0; i++) {
        out[i] = db_connect_start(conninfo, app_names[i], err);
        if (!out[i])
            rc = -1;
        st[i] = PGRES_POLLING_WRITING;
    }
    /* PQconnectPoll leaves connect_timeout to its caller (PQconnectdb honours it) */
    int timeout_s = rc == 0 && n > 0 ? conn_timeout(out[0]) : 0;
    int64_t deadline_ms = timeout_s > 0 ? now_ms() + (int64_t)timeout_s * 1000 : 0;
    for (;;) {
        int waiting = 0;
        for (int i = 0; i < n && rc == 0; i++) {
            pfd[i].fd = -1;
            if (st[i] == PGRES_POLLING_OK)
                continue;
            if (st[i] == PGRES_POLLING_FAILED) {
                mo_err_set(err, "db_connect", "cannot connect to PostgreSQL: %s", PQerrorMessage(out[i]));
                trim_message(err->message);
                rc = -1;
                break;
            }
            pfd[i].fd = PQsocket(out[i]);
            pfd[i].events = st[i] == PGRES_POLLING_READING ? POLLIN : POLLOUT;
            pfd[i].revents = 0;
            waiting++;
        }
        if (rc < 0 || !waiting)
            break;
        int left = -1;
        if (deadline_ms > 0 && (left = (int)(deadline_ms - now_ms())) <= 0) {
            rc = mo_err_set(err, "db_connect", "cannot connect to PostgreSQL: timeout expired "
                            "(connect_timeout %d s)", timeout_s);
            break;
        }
        if (poll(pfd, (nfds_t)n, left) < 0)
            continue; /* EINTR */
        for (int i = 0; i < n; i++)
            if (pfd[i].fd >= 0 && pfd[i].revents)
                st[i] = PQconnectPoll(out[i]);
    }
    if (rc < 0)
        for (int i = 0; i < n; i++) {
            PQfinish(out[i]);
            out[i] = NULL;
        }
    free(st);
    free(pfd);
    return rc;
}

PGconn *db_connect_start(const char *conninfo, const char *app_name, struct mo_err *err)
{
    const char *keys[4], *vals[4];
    conn_params(conninfo, app_name, keys, vals);
    PGconn *conn = PQconnectStartParams(keys, vals, 1);
    if (!conn || PQstatus(conn) == CONNECTION_BAD) {
        mo_err_set(err, "db_connect", "cannot connect to PostgreSQL: %s",
                   conn ? PQerrorMessage(conn) : "out of memory");
        trim_message(err->message);
        PQfinish(conn);
        return NULL;
    }
    return conn;
}

int db_err_from_result(const PGresult *res, PGconn *conn, struct mo_err *err)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
    if (primary)
        mo_err_set(err, state ? state : "db_error", "%s%s%s", primary, detail ? ": " : "",
                   detail ? detail : "");
    else
        mo_err_set(err, state ? state : "db_error", "%s", PQerrorMessage(conn));
    if (err)
        trim_message(err->message);
    return -1;
}

PGresult *db_query(PGconn *conn, const char *sql, int nparams, const char *const *params,
                   struct mo_err *err)
{
    PGresult *res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        return res;
    db_err_from_result(res, conn, err);
    PQclear(res);
    return NULL;
}

int db_exec(PGconn *conn, const char *sql, int nparams, const char *const *params,
            struct mo_err *err)
{
    PGresult *res = db_query(conn, sql, nparams, params, err);
    if (!res)
        return -1;
    PQclear(res);
    return 0;
}

PGresult *db_query_named(PGconn *conn, const char *name, int nparams,
                         const char *const *params, struct mo_err *err)
{
    const char *sql = sql_text(name);
    if (!sql) {
        mo_err_set(err, "sql_missing", "no embedded query named %s", name);
        return NULL;
    }
    return db_query(conn, sql, nparams, params, err);
}

void db_close(PGconn *conn)
{
    if (conn)
        PQfinish(conn);
}

int db_conn_ok(PGconn *conn)
{
    if (!conn || PQstatus(conn) != CONNECTION_OK)
        return 0;
    PQconsumeInput(conn);
    return PQstatus(conn) == CONNECTION_OK;
}

int db_set_limits(PGconn *conn, const struct db_limits *limits, struct mo_err *err)
{
    char st[32], lt[32];
    snprintf(st, sizeof st, "%d", limits->statement_timeout_ms);
    snprintf(lt, sizeof lt, "%d", limits->lock_timeout_ms);
    const char *params[2] = { st, lt };
    return db_exec(conn,
                   "SELECT set_config('statement_timeout', $1, false),"
                   "       set_config('lock_timeout', $2, false)",
                   2, params, err);
}

void db_drain(PGconn *conn)
{
    PGresult *res;
    while ((res = PQgetResult(conn)))
        PQclear(res);
}

int db_copy_begin(PGconn *conn, const char *sql, struct mo_err *err)
{
    PGresult *res = PQexec(conn, sql);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        db_err_from_result(res, conn, err);
        PQclear(res);
        db_drain(conn);
        return -1;
    }
    PQclear(res);
    return 0;
}

int db_copy_end(PGconn *conn, const char *abort_msg, struct mo_err *err)
{
    if (PQputCopyEnd(conn, abort_msg) != 1) {
        if (!abort_msg)
            db_err_from_result(NULL, conn, err);
        db_drain(conn);
        return -1;
    }
    PGresult *res = PQgetResult(conn);
    int rc = abort_msg ? -1 : 0;
    if (!abort_msg && PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = db_err_from_result(res, conn, err);
    PQclear(res);
    db_drain(conn);
    return rc;
}
