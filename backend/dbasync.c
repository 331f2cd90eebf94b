/* dbasync.c - see dbasync.h. One connection, a FIFO of queries, and a small state machine:
 *   WAITING --(retry time)--> CONNECTING (PQconnectPoll, then session/setup and the
 *   LISTEN as ordinary queued steps) --> READY --(socket error / EOF)--> WAITING. */
#include "backend/dbasync.h"
#include "backend/dbasync_query.h"

#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/db.h"
#include "backend/sql.h"

struct query {
    struct query *next;
    enum sql_query name;
    const char *sql;
    int nparams;
    char **params;
    dba_parse_fn parse;
    dba_any_fn done;
    void *ctx;
    uint64_t tag;
    bool setup; /* part of the connection's setup: its failure fails the connection */
    bool listen; /* the LISTEN step: a hot standby refuses it, and the connection serves on */
};

struct dba {
    char *conninfo;
    char app_name[64];
    char listen[64];
    struct db_limits limits;
    int connect_timeout_s;
    int max_backoff_s;

    PGconn *conn;
    enum dba_state state;
    PostgresPollingStatusType connect_poll; /* while the socket handshake runs */
    bool handshaking;
    bool ever_connected;
    bool want_write;        /* PQflush has more to send */
    long long deadline_ms;  /* CONNECTING: give up then */
    long long retry_ms;     /* WAITING: try again then */
    int backoff_s;
    int attempts;
    char error[256];
    char notice[256];       /* the server's last notice: libpq must not print on the screen */

    struct query *head, *tail; /* waiting to be sent */
    struct query *inflight;
    PGresult *result;          /* the in-flight query's last result so far */
    long long sent_ms;

    dba_notify_fn on_notify;
    dba_state_fn on_state;
    void *cb_ctx;
};

long long dba_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_state(struct dba *db, enum dba_state st)
{
    if (db->state == st)
        return;
    db->state = st;
    if (db->on_state)
        db->on_state(db->cb_ctx, st);
}

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
        s[--n] = '\0';
}

static void query_free(struct query *q)
{
    if (!q)
        return;
    for (int i = 0; i < q->nparams; i++)
        free(q->params[i]);
    free(q->params);
    free(q);
}

static void query_fail(struct query *q, const char *code, const char *msg)
{
    struct mo_err err;
    mo_err_set(&err, code, "%s", msg);
    if (q->parse)
        q->parse(NULL, &err, q->done, q->ctx, q->tag);
}

/* Fails the query in flight and every waiting one; each callback runs exactly once. */
static void fail_all(struct dba *db, const char *code, const char *msg)
{
    struct query *list = db->inflight;
    db->inflight = NULL;
    if (list)
        list->next = db->head;
    else
        list = db->head;
    db->head = db->tail = NULL;
    while (list) {
        struct query *next = list->next;
        query_fail(list, code, msg);
        query_free(list);
        list = next;
    }
}

static void enqueue(struct dba *db, struct query *q, bool front)
{
    q->next = NULL;
    if (front) {
        q->next = db->head;
        db->head = q;
        if (!db->tail)
            db->tail = q;
    } else if (db->tail) {
        db->tail->next = q;
        db->tail = q;
    } else {
        db->head = db->tail = q;
    }
}

static struct query *query_new(enum sql_query name, int nparams, const char *const *params,
                               struct mo_err *err)
{
    const char *sql = sql_text(name);
    if (!sql) {
        mo_err_set(err, "sql_missing", "no embedded query numbered %d", (int)name);
        return NULL;
    }
    struct query *q = calloc(1, sizeof *q);
    if (!q) {
        mo_err_set(err, "out_of_memory", "out of memory");
        return NULL;
    }
    q->name = name;
    q->sql = sql;
    if (nparams > 0) {
        q->params = calloc((size_t)nparams, sizeof *q->params);
        if (!q->params) {
            free(q);
            mo_err_set(err, "out_of_memory", "out of memory");
            return NULL;
        }
        q->nparams = nparams;
        for (int i = 0; i < nparams; i++) {
            if (params[i] && !(q->params[i] = strdup(params[i]))) {
                query_free(q);
                mo_err_set(err, "out_of_memory", "out of memory");
                return NULL;
            }
        }
    }
    return q;
}

/* Drops the connection and schedules the next attempt. The server's own last word (e.g.
 * "terminating connection due to administrator command") says more than libpq's. */
static void lose(struct dba *db, const char *why, long long now)
{
    if (db->notice[0] && strstr(db->notice, "FATAL"))
        snprintf(db->error, sizeof db->error, "%s", db->notice);
    else
        snprintf(db->error, sizeof db->error, "%s", why && *why ? why : "connection lost");
    db->notice[0] = '\0';
    trim(db->error);
    if (db->conn) {
        PQfinish(db->conn);
        db->conn = NULL;
    }
    if (db->result) {
        PQclear(db->result);
        db->result = NULL;
    }
    db->handshaking = false;
    db->want_write = false;
    db->attempts++;
    db->retry_ms = now + (long long)db->backoff_s * 1000;
    db->backoff_s = db->backoff_s * 2 > db->max_backoff_s ? db->max_backoff_s : db->backoff_s * 2;
    set_state(db, DBA_WAITING);
    char msg[300];
    snprintf(msg, sizeof msg, "connection lost: %s", db->error);
    fail_all(db, "connection", msg);
}

/* Loses the connection with libpq's own word for why (copied: it lives in the connection
 * that lose() ends). */
static void lose_libpq(struct dba *db, long long now)
{
    char why[256];
    snprintf(why, sizeof why, "%s", PQerrorMessage(db->conn));
    lose(db, why, now);
}

/* Sends what libpq still holds; false when that lost the connection. */
static bool flush_output(struct dba *db, long long now)
{
    int f = PQflush(db->conn);
    if (f < 0) {
        lose_libpq(db, now);
        return false;
    }
    db->want_write = f == 1;
    return true;
}

/* Setup results need no parsing; a failure loses the connection (below). */
static void setup_done(const PGresult *res, const struct mo_err *err, dba_any_fn done,
                       void *ctx, uint64_t tag)
{
    (void)res; (void)err; (void)done; (void)ctx; (void)tag;
}

/* Notices and the server's FATAL on shutdown arrive here instead of on stderr, which is
 * the console's screen. */
static void on_notice(void *arg, const char *message)
{
    struct dba *db = arg;
    snprintf(db->notice, sizeof db->notice, "%s", message);
    trim(db->notice);
}

static void start_connect(struct dba *db, long long now)
{
    struct mo_err err;
    mo_err_clear(&err);
    const struct db_session session = { .kind = DB_CONSOLE, .app_name = db->app_name };
    db->conn = db_connect_start(db->conninfo, &session, &err);
    if (!db->conn) {
        set_state(db, DBA_CONNECTING);
        lose(db, err.message, now);
        return;
    }
    PQsetNoticeProcessor(db->conn, on_notice, db);
    db->notice[0] = '\0';
    db->handshaking = true;
    db->connect_poll = PGRES_POLLING_WRITING; /* what PQconnectStart's contract says to do first */
    db->deadline_ms = now + (long long)db->connect_timeout_s * 1000;
    set_state(db, DBA_CONNECTING);
}

/* The socket handshake finished: queue the session setup ahead of everything else. */
static void connected(struct dba *db, long long now)
{
    db->handshaking = false;
    PQsetnonblocking(db->conn, 1);
    struct mo_err err;
    char bufs[2][24];
    const char *params[3];
    const struct db_session console = { .kind = DB_CONSOLE, .limits = db->limits };
    int nparams = db_session_params(&console, bufs, params);
    struct query *listen = db->listen[0] ? query_new(SQL_CONSOLE_LISTEN, 0, NULL, &err) : NULL;
    struct query *session = query_new(SQL_SESSION_SETUP, nparams, params, &err);
    if (!session || (db->listen[0] && !listen)) {
        query_free(listen);
        query_free(session);
        lose(db, err.message, now);
        return;
    }
    if (listen) {
        listen->parse = setup_done;
        listen->setup = true;
        listen->listen = true;
        enqueue(db, listen, true);
    }
    session->parse = setup_done;
    session->setup = true;
    enqueue(db, session, true);
}

static bool setup_pending(const struct dba *db)
{
    if (db->inflight && db->inflight->setup)
        return true;
    for (const struct query *q = db->head; q; q = q->next)
        if (q->setup)
            return true;
    return false;
}

static void send_next(struct dba *db, long long now)
{
    while (!db->inflight && db->head && db->conn && !db->handshaking) {
        struct query *q = db->head;
        db->head = q->next;
        if (!db->head)
            db->tail = NULL;
        q->next = NULL;
        if (!PQsendQueryParams(db->conn, q->sql, q->nparams, NULL,
                               (const char *const *)q->params, NULL, NULL, 0)) {
            db->inflight = q; /* failed along with the rest */
            lose_libpq(db, now);
            return;
        }
        db->inflight = q;
        db->sent_ms = now;
        if (!flush_output(db, now))
            return;
    }
}

static void deliver_notifies(struct dba *db)
{
    PGnotify *n;
    while (db->conn && (n = PQnotifies(db->conn)) != NULL) {
        if (db->on_notify)
            db->on_notify(db->cb_ctx, n->relname, n->extra);
        PQfreemem(n);
    }
}

/* Reads what has arrived; finishes the in-flight query when its last result is in. */
static void read_input(struct dba *db, long long now)
{
    if (!PQconsumeInput(db->conn)) {
        lose_libpq(db, now);
        return;
    }
    while (db->conn && db->inflight && !PQisBusy(db->conn)) {
        PGresult *r = PQgetResult(db->conn);
        if (r) {
            if (db->result)
                PQclear(db->result);
            db->result = r;
            continue;
        }
        /* NULL: the query is complete. */
        struct query *q = db->inflight;
        PGresult *res = db->result;
        db->inflight = NULL;
        db->result = NULL;
        ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
        bool ok = st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK;
        bool bad_conn = PQstatus(db->conn) == CONNECTION_BAD;
        struct mo_err err;
        mo_err_clear(&err);
        if (!ok)
            db_err_from_result(res, db->conn, &err);
        /* A hot standby refuses LISTEN (read_only_sql_transaction): support lookups run
         * there without load events, which a standby never has anyway. */
        bool standby_listen = q->listen && strcmp(err.code, "25006") == 0;
        if (q->setup && !ok && !standby_listen) {
            /* Without its limits the console must not run queries on this connection. */
            char why[600];
            snprintf(why, sizeof why, "session setup failed: %s", err.message);
            PQclear(res);
            db->inflight = q;
            lose(db, why, now);
            return;
        }
        if (bad_conn) {
            PQclear(res);
            db->inflight = q;
            lose_libpq(db, now);
            return;
        }
        if (q->parse)
            q->parse(ok ? res : NULL, ok ? NULL : &err, q->done, q->ctx, q->tag);
        PQclear(res);
        query_free(q);
        if (db->state == DBA_CONNECTING && !setup_pending(db)) {
            db->backoff_s = 1;
            db->attempts = 0;
            db->error[0] = '\0';
            db->ever_connected = true;
            set_state(db, DBA_READY);
        }
        send_next(db, now);
    }
    deliver_notifies(db);
    if (db->conn && PQstatus(db->conn) == CONNECTION_BAD) {
        lose_libpq(db, now);
    }
}

static void step_handshake(struct dba *db, short revents, long long now)
{
    if (now >= db->deadline_ms) {
        char why[64];
        snprintf(why, sizeof why, "no answer from the server within %d s", db->connect_timeout_s);
        lose(db, why, now);
        return;
    }
    bool ready = (db->connect_poll == PGRES_POLLING_READING && (revents & (POLLIN | POLLHUP | POLLERR))) ||
                 (db->connect_poll == PGRES_POLLING_WRITING && (revents & (POLLOUT | POLLHUP | POLLERR)));
    if (!ready)
        return;
    db->connect_poll = PQconnectPoll(db->conn);
    if (db->connect_poll == PGRES_POLLING_FAILED) {
        lose_libpq(db, now);
    } else if (db->connect_poll == PGRES_POLLING_OK) {
        connected(db, now);
        send_next(db, now);
    }
}

void dba_step(struct dba *db, short revents, long long now)
{
    if (db->state == DBA_WAITING) {
        if (now >= db->retry_ms)
            start_connect(db, now); /* the loop polls its socket for writing next */
        return;
    }
    if (db->handshaking) {
        step_handshake(db, revents, now);
        return;
    }
    /* CONNECTING with its setup queries in hand, or READY: both are query traffic. */
    {
        if (!db->conn)
            return;
        if (db->want_write && (revents & POLLOUT) && !flush_output(db, now))
            return;
        if (revents & (POLLIN | POLLHUP | POLLERR))
            read_input(db, now);
        if (db->conn)
            send_next(db, now);
    }
}

int dba_poll_fd(const struct dba *db, short *events)
{
    if (!db->conn)
        return -1;
    int fd = PQsocket(db->conn);
    if (fd < 0)
        return -1;
    if (db->handshaking)
        *events = db->connect_poll == PGRES_POLLING_READING ? POLLIN : POLLOUT;
    else
        *events = POLLIN | (db->want_write ? POLLOUT : 0);
    return fd;
}

long long dba_timeout_ms(const struct dba *db, long long now)
{
    long long at;
    if (db->state == DBA_WAITING)
        at = db->retry_ms;
    else if (db->handshaking)
        at = db->deadline_ms;
    else
        return -1;
    return at > now ? at - now : 0;
}

struct dba *dba_open(const struct dba_options *o)
{
    struct dba *db = calloc(1, sizeof *db);
    if (!db)
        return NULL;
    if (o->conninfo && !(db->conninfo = strdup(o->conninfo))) {
        free(db);
        return NULL;
    }
    snprintf(db->app_name, sizeof db->app_name, "%s", o->app_name ? o->app_name : "meterops");
    snprintf(db->listen, sizeof db->listen, "%s", o->listen ? o->listen : "");
    db->limits = o->limits;
    db->connect_timeout_s = o->connect_timeout_s > 0 ? o->connect_timeout_s : 10;
    db->max_backoff_s = o->max_backoff_s > 0 ? o->max_backoff_s : 15;
    db->backoff_s = 1;
    db->state = DBA_WAITING;
    db->retry_ms = 0;
    long long now = dba_now_ms();
    start_connect(db, now);
    return db;
}

void dba_close(struct dba *db)
{
    if (!db)
        return;
    db->on_state = NULL;
    db->on_notify = NULL;
    db->state = DBA_WAITING; /* callbacks run below may try to submit more: refuse it */
    snprintf(db->error, sizeof db->error, "closing");
    fail_all(db, "closed", "the console is closing");
    if (db->result)
        PQclear(db->result);
    if (db->conn)
        PQfinish(db->conn);
    free(db->conninfo);
    free(db);
}

int dba_submit(struct dba *db, enum sql_query name, int nparams, const char *const *params,
               dba_parse_fn parse, dba_any_fn done, void *ctx, uint64_t tag, struct mo_err *err)
{
    if (db->state == DBA_WAITING)
        return mo_err_set(err, "connection", "not connected: %s",
                          db->error[0] ? db->error : "waiting to reconnect");
    struct query *q = query_new(name, nparams, params, err);
    if (!q)
        return -1;
    q->parse = parse;
    q->done = done;
    q->ctx = ctx;
    q->tag = tag;
    enqueue(db, q, false);
    if (db->state == DBA_READY)
        send_next(db, dba_now_ms());
    return 0;
}

void dba_set_callbacks(struct dba *db, dba_notify_fn notify, dba_state_fn state, void *ctx)
{
    db->on_notify = notify;
    db->on_state = state;
    db->cb_ctx = ctx;
}

void dba_info(const struct dba *db, long long now, struct dba_info *info)
{
    memset(info, 0, sizeof *info);
    info->state = db->state;
    info->ever_connected = db->ever_connected;
    info->attempts = db->attempts;
    info->error = db->error;
    if (db->state == DBA_WAITING) {
        long long ms = db->retry_ms - now;
        info->retry_in_s = ms > 0 ? (int)((ms + 999) / 1000) : 0;
    }
    if (db->inflight && !db->inflight->setup)
        info->busy_ms = now - db->sent_ms;
    for (const struct query *q = db->head; q; q = q->next)
        info->queued++;
    info->server_version = db->conn && db->state == DBA_READY ? PQserverVersion(db->conn) : 0;
}

bool dba_idle(const struct dba *db)
{
    return db->state == DBA_READY && !db->inflight && !db->head && db->conn;
}

void dba_retry_now(struct dba *db)
{
    if (db->state == DBA_WAITING)
        db->retry_ms = 0;
}
