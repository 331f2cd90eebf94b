/* db.h - connecting to PostgreSQL the libpq way (--db CONNINFO, else PG* variables and
 * PGSERVICE; never a password in argv) and small blocking helpers for the CLI and loader.
 * The console's asynchronous use of a connection lives in backend/dbasync.h. */
#ifndef MO_DB_H
#define MO_DB_H

#include <libpq-fe.h>

#include "backend/db_limits.h"
#include "backend/err.h"

/* Opens a connection (blocking). conninfo may be NULL, a keyword string or a URI.
 * app_name becomes application_name unless the conninfo names one. On failure returns
 * NULL with err filled (code "db_connect"). */
PGconn *db_connect(const char *conninfo, const char *app_name, struct mo_err *err);

/* Closes a connection from db_connect (NULL is fine): callers above backend/ make no
 * libpq call of their own. */
void db_close(PGconn *conn);

/* Opens a non-blocking connection start (PQconnectStartParams) with the same rules;
 * the caller drives PQconnectPoll. */
PGconn *db_connect_start(const char *conninfo, const char *app_name, struct mo_err *err);
/* n connections at once (the server starts their backends in parallel), out[i] named
 * app_names[i]. Returns 0 with all of them made, or -1 with none (err: the first
 * failure). */
int db_connect_many(const char *conninfo, const char *const *app_names, int n, PGconn **out,
                    struct mo_err *err);

/* Whether conn is still up after a failed statement. PQstatus alone says CONNECTION_OK
 * after a server crash when the failure was a write into the dead socket: libpq marks
 * the connection bad only once it reads the end of the stream, which this lets it do.
 * Only for a connection no other thread is using. */
int db_conn_ok(PGconn *conn);

/* COPY ... FROM STDIN: starts sql; 0 when the server waits for data, else -1 with err. */
int db_copy_begin(PGconn *conn, const char *sql, struct mo_err *err);
/* Ends a COPY. abort_msg NULL finishes it: 0, or -1 with the server's error in err (code =
 * SQLSTATE). Otherwise abandons it with that message and returns -1, err untouched (the
 * caller has the reason). Either way the connection is ready for the next statement. */
int db_copy_end(PGconn *conn, const char *abort_msg, struct mo_err *err);
/* Discards whatever results are pending on conn. */
void db_drain(PGconn *conn);

/* SET statement_timeout / lock_timeout for this session. */
int db_set_limits(PGconn *conn, const struct db_limits *limits, struct mo_err *err);

/* Runs a statement with text parameters; returns the result when it succeeded
 * (COMMAND_OK or TUPLES_OK), else NULL with err filled from the server's message
 * (code = SQLSTATE). The caller PQclear()s. */
PGresult *db_query(PGconn *conn, const char *sql, int nparams, const char *const *params,
                   struct mo_err *err);
/* db_query for statements whose result is not needed. */
int db_exec(PGconn *conn, const char *sql, int nparams, const char *const *params,
            struct mo_err *err);
/* Runs an embedded queries/ file by name (see sql.h). */
PGresult *db_query_named(PGconn *conn, const char *name, int nparams,
                         const char *const *params, struct mo_err *err);

/* Fills err from a failed result or connection ("ERROR:  ..." trimmed; SQLSTATE as code). */
int db_err_from_result(const PGresult *res, PGconn *conn, struct mo_err *err);

#endif
