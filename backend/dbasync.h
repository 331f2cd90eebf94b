/* dbasync.h - the console's one PostgreSQL connection, driven without ever blocking.
 *
 * Promises: connecting (PQconnectStart/PQconnectPoll), every query (PQsendQueryParams) and
 * reading its result (PQconsumeInput) happen only when the socket is ready, so the caller's
 * poll() loop keeps answering keys however slow the server is. Each connection is set up
 * as a DB_CONSOLE connection (db.h: the session limits, application_name) before any query
 * runs, and LISTENs on one channel. A lost connection fails the queries in hand (their
 * callbacks get an error with code "connection"), and reconnects with backoff
 * (1, 2, 4, 8 ... up to max_backoff_s seconds); dba_info() says which state it is in so the
 * UI can show a banner. Queries run one at a time in the order they were submitted.
 *
 * No libpq type appears here: results reach the caller through the fetch_*.h modules,
 * which turn them into plain structs. How those modules submit a query and read its
 * PGresult is in dbasync_query.h, private to backend/. */
#ifndef MO_DBASYNC_H
#define MO_DBASYNC_H

#include <stdbool.h>
#include <stdint.h>

#include "backend/db_limits.h"
#include "backend/err.h"

struct dba;

enum dba_state {
    DBA_CONNECTING, /* a connection attempt (or its session setup) is under way */
    DBA_READY,      /* connected, limits set, listening */
    DBA_WAITING,    /* not connected; the next attempt is at retry time */
};

struct dba_options {
    const char *conninfo;    /* NULL: PG* variables / PGSERVICE */
    const char *app_name;    /* application_name unless the conninfo names one */
    struct db_limits limits;
    const char *listen;      /* channel to LISTEN on; NULL for none */
    int connect_timeout_s;   /* give up an attempt after this long (default 10) */
    int max_backoff_s;       /* cap of the reconnect delay (default 15) */
};

struct dba_info {
    enum dba_state state;
    bool ever_connected;     /* so the UI can tell "connecting" from "connection lost" */
    int retry_in_s;          /* DBA_WAITING: seconds until the next attempt */
    int attempts;            /* failed attempts since the last good connection */
    long long busy_ms;       /* how long the query in flight has been running (0: none) */
    int queued;              /* queries waiting behind it */
    const char *error;       /* why the last attempt or connection failed ("" none) */
    int server_version;      /* PQserverVersion, 0 when not connected */
};

struct dba *dba_open(const struct dba_options *opts);
/* Fails everything still pending (err code "closed") and closes the connection. */
void dba_close(struct dba *db);

/* The descriptor and events to poll for; -1 when there is none right now. */
int dba_poll_fd(const struct dba *db, short *events);
/* Milliseconds until dba_step must run even without socket activity (-1: not needed). */
long long dba_timeout_ms(const struct dba *db, long long now_ms);
/* Advances everything: connecting, sending, reading results and notifications, retrying.
 * revents are the poll() results for dba_poll_fd (0 when woken by the timeout). */
void dba_step(struct dba *db, short revents, long long now_ms);

/* LISTEN events, delivered as they arrive. */
typedef void (*dba_notify_fn)(void *ctx, const char *channel, const char *payload);
/* Called whenever dba_info().state changes. */
typedef void (*dba_state_fn)(void *ctx, enum dba_state state);
void dba_set_callbacks(struct dba *db, dba_notify_fn notify, dba_state_fn state, void *ctx);

void dba_info(const struct dba *db, long long now_ms, struct dba_info *info);
/* Ready, with no query in flight or waiting: a query submitted now starts at once. The
 * dashboard sends a section only to an idle connection, so no section waits behind
 * another's slow query. */
bool dba_idle(const struct dba *db);
/* Skips the wait and tries to connect at the next dba_step (the operator asked). */
void dba_retry_now(struct dba *db);

/* Monotonic clock in milliseconds, the time base of the functions above. */
long long dba_now_ms(void);

#endif
