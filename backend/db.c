#include "backend/db.h"

#include <poll.h>
#include <stdbool.h>
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

/* What each kind of connection is set up with; db.h has the same table for readers. */
struct kind_setup {
    bool runs;                       /* false: no setup statement at all */
    bool caller_limits;              /* the timeouts are the caller's struct db_limits */
    int statement_timeout_ms;        /* else these; -1 keeps the session's */
    int lock_timeout_ms;
    const char *client_min_messages; /* NULL keeps the session's */
};

static const struct kind_setup kind_setups[] = {
    [DB_PLAIN] = { .runs = false },
    [DB_MIGRATE] = { true, false, -1, -1, "warning" },
    [DB_LOADER] = { true, false, -1, -1, "warning" },
    [DB_CONSOLE] = { true, true, 0, 0, NULL },
    [DB_STATUS] = { true, true, 0, 0, NULL },
    [DB_CUSTOMER] = { true, false, 30000, 5000, NULL },
};

int db_session_params(const struct db_session *s, char bufs[2][24], const char *params[3])
{
    const struct kind_setup *k = &kind_setups[s->kind];
    if (!k->runs)
        return 0;
    int ms[2] = { k->statement_timeout_ms, k->lock_timeout_ms };
    if (k->caller_limits) {
        ms[0] = s->limits.statement_timeout_ms;
        ms[1] = s->limits.lock_timeout_ms;
    }
    for (int i = 0; i < 2; i++) {
        snprintf(bufs[i], sizeof bufs[i], "%d", ms[i]);
        params[i] = ms[i] >= 0 ? bufs[i] : NULL;
    }
    params[2] = k->client_min_messages;
    return 3;
}

/* Sends the setup statement of s's kind; 1 when one was sent, 0 when the kind needs none,
 * -1 with err when it could not be sent. */
static int setup_send(PGconn *conn, const struct db_session *s, struct mo_err *err)
{
    char bufs[2][24];
    const char *params[3];
    int n = db_session_params(s, bufs, params);
    if (n == 0)
        return 0;
    if (!PQsendQueryParams(conn, sql_text(SQL_SESSION_SETUP), n, NULL, params, NULL, NULL, 0))
        return db_err_from_result(NULL, conn, err);
    return 1;
}

/* Reads the answer to setup_send: 0, or -1 with the server's error in err. */
static int setup_finish(PGconn *conn, struct mo_err *err)
{
    int rc = 0;
    PGresult *res;
    while ((res = PQgetResult(conn))) {
        if (rc == 0 && PQresultStatus(res) != PGRES_TUPLES_OK)
            rc = db_err_from_result(res, conn, err);
        PQclear(res);
    }
    return rc;
}

PGconn *db_connect(const char *conninfo, const struct db_session *s, struct mo_err *err)
{
    const char *keys[4], *vals[4];
    conn_params(conninfo, s->app_name, keys, vals);
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
    int sent = setup_send(conn, s, err);
    if (sent < 0 || (sent > 0 && setup_finish(conn, err) < 0)) {
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

int db_connect_many(const char *conninfo, const struct db_session *s,
                    const char *const *app_names, int n, PGconn **out, struct mo_err *err)
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
        struct db_session named = *s;
        named.app_name = app_names[i];
        out[i] = db_connect_start(conninfo, &named, err);
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
    /* every setup statement on its way before the first answer is awaited */
    for (int i = 0; i < n && rc == 0; i++)
        rc = setup_send(out[i], s, err) < 0 ? -1 : 0;
    for (int i = 0; i < n && rc == 0; i++)
        rc = setup_finish(out[i], err);
    if (rc < 0)
        for (int i = 0; i < n; i++) {
            PQfinish(out[i]);
            out[i] = NULL;
        }
    free(st);
    free(pfd);
    return rc;
}

PGconn *db_connect_start(const char *conninfo, const struct db_session *s,
                         struct mo_err *err)
{
    const char *keys[4], *vals[4];
    conn_params(conninfo, s->app_name, keys, vals);
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

/* Citus (13.2) reports a unique violation met by a worker during COPY through the
 * coordinator as XX000 with the worker's message: given back its own code, so the loader's
 * direct path falls back to the merge as on one server (daywriter.c's direct_close). */
static const char *citus_copy_state(const char *state, const char *primary)
{
    static const char unique[] = "duplicate key value violates unique constraint";
    if (state && primary && strcmp(state, "XX000") == 0 && strncmp(primary, unique, sizeof unique - 1) == 0)
        return "23505";
    return state;
}

int db_err_from_result(const PGresult *res, PGconn *conn, struct mo_err *err)
{
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *state = citus_copy_state(res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL, primary);
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

PGresult *db_query_text(PGconn *conn, const char *sql, int nparams,
                        const char *const *params, struct mo_err *err)
{
    PGresult *res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        return res;
    db_err_from_result(res, conn, err);
    PQclear(res);
    return NULL;
}

PGresult *db_query(PGconn *conn, enum sql_query q, int nparams, const char *const *params,
                   struct mo_err *err)
{
    const char *sql = sql_text(q);
    if (!sql) {
        mo_err_set(err, "sql_missing", "no embedded query numbered %d", (int)q);
        return NULL;
    }
    return db_query_text(conn, sql, nparams, params, err);
}

int db_exec(PGconn *conn, enum sql_query q, int nparams, const char *const *params,
            struct mo_err *err)
{
    PGresult *res = db_query(conn, q, nparams, params, err);
    if (!res)
        return -1;
    PQclear(res);
    return 0;
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

void db_drain(PGconn *conn)
{
    PGresult *res;
    while ((res = PQgetResult(conn)))
        PQclear(res);
}

int db_copy_begin(PGconn *conn, enum sql_query q, struct mo_err *err)
{
    PGresult *res = PQexec(conn, sql_text(q));
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
