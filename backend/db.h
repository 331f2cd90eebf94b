/* db.h - connecting to PostgreSQL the libpq way (--db CONNINFO, else PG* variables and
 * PGSERVICE; never a password in argv) and small blocking helpers for the CLI and loader.
 * The console's asynchronous use of a connection lives in backend/dbasync.h. */
#ifndef MO_DB_H
#define MO_DB_H

#include <libpq-fe.h>

#include "backend/db_limits.h"
#include "backend/err.h"
#include "backend/sql.h"

/* The kinds of connection meterops opens. Every connection is set up by its kind before
 * anyone uses it, in one statement (queries/session/setup.sql; db_session_params() is the
 * one place that says which kind gets what), as pg_dump's setup_connection() does:
 *
 *   kind         statement_timeout  lock_timeout   client_min_messages  opened by
 *   DB_MIGRATE   server's           server's       warning              meterops db
 *   DB_LOADER    server's           server's       warning              the loader (control,
 *                                                                       lease, one per worker),
 *                                                                       meterops load, requeue
 *   DB_CONSOLE   limits (5 s)       limits (2 s)   server's             the console (dbasync.c,
 *                                                                       which also LISTENs)
 *   DB_STATUS    limits (10 s)      limits (5 s)   server's             meterops status
 *   DB_CUSTOMER  30 s               5 s            server's             meterops customer
 *   DB_PLAIN     server's           server's       server's             tests' admin sessions
 *
 * "limits" is the caller's struct db_limits (the operator's --statement-timeout and
 * --lock-timeout; their defaults in brackets); "server's" keeps what the session started
 * with (server, database and role settings, PGOPTIONS). DB_PLAIN runs no setup at all.
 * WARNING keeps the NOTICEs of idempotent DDL (IF NOT EXISTS) and of partition upkeep out
 * of the loader's and migrator's output.
 * application_name: app_name, as a fallback (a conninfo or PGAPPNAME naming one wins); a
 * loader worker appends " file N" while it loads file N (queries/load/app_name.sql).
 * search_path: the server's for every kind. Every embedded query names its schema
 * (meterops., pg_temp.) and every SECURITY DEFINER function pins its own. */
enum db_kind { DB_PLAIN, DB_MIGRATE, DB_LOADER, DB_CONSOLE, DB_STATUS, DB_CUSTOMER };

struct db_session {
    enum db_kind kind;
    const char *app_name;    /* NULL: "meterops" */
    struct db_limits limits; /* read for DB_CONSOLE and DB_STATUS only */
};

/* The setup statement for a new connection of session s's kind is SQL_SESSION_SETUP with
 * the parameters this fills (text, NULL = keep; bufs hold their digits). Returns how many
 * (3), or 0 when the kind needs no setup. For callers that send it themselves (dbasync). */
int db_session_params(const struct db_session *s, char bufs[2][24], const char *params[3]);

/* Opens a connection (blocking) and sets it up as s says. conninfo may be NULL, a keyword
 * string or a URI. On failure returns NULL with err filled (code "db_connect", or the
 * SQLSTATE when the setup statement failed). */
PGconn *db_connect(const char *conninfo, const struct db_session *s, struct mo_err *err);

/* Closes a connection from db_connect (NULL is fine): callers above backend/ make no
 * libpq call of their own. */
void db_close(PGconn *conn);

/* Opens a non-blocking connection start (PQconnectStartParams) with the same rules;
 * the caller drives PQconnectPoll and then runs the setup (db_session_params). */
PGconn *db_connect_start(const char *conninfo, const struct db_session *s,
                         struct mo_err *err);
/* n connections at once (the server starts their backends in parallel, and their setup
 * statements run in parallel too), all of s's kind, out[i] named app_names[i] (s->app_name
 * is not read). Returns 0 with all of them made, or -1 with none (err: the first
 * failure). */
int db_connect_many(const char *conninfo, const struct db_session *s,
                    const char *const *app_names, int n, PGconn **out, struct mo_err *err);

/* Whether conn is still up after a failed statement. PQstatus alone says CONNECTION_OK
 * after a server crash when the failure was a write into the dead socket: libpq marks
 * the connection bad only once it reads the end of the stream, which this lets it do.
 * Only for a connection no other thread is using. */
int db_conn_ok(PGconn *conn);

/* COPY ... FROM STDIN: starts the embedded COPY statement q; 0 when the server waits for
 * data, else -1 with err. */
int db_copy_begin(PGconn *conn, enum sql_query q, struct mo_err *err);
/* Ends a COPY. abort_msg NULL finishes it: 0, or -1 with the server's error in err (code =
 * SQLSTATE). Otherwise abandons it with that message and returns -1, err untouched (the
 * caller has the reason). Either way the connection is ready for the next statement. */
int db_copy_end(PGconn *conn, const char *abort_msg, struct mo_err *err);
/* Discards whatever results are pending on conn. */
void db_drain(PGconn *conn);

/* Runs an embedded query (sql.h) with text parameters; returns the result when it
 * succeeded (COMMAND_OK or TUPLES_OK), else NULL with err filled from the server's message
 * (code = SQLSTATE). The caller PQclear()s. */
PGresult *db_query(PGconn *conn, enum sql_query q, int nparams, const char *const *params,
                   struct mo_err *err);
/* db_query for statements whose result is not needed. */
int db_exec(PGconn *conn, enum sql_query q, int nparams, const char *const *params,
            struct mo_err *err);
/* db_query for a statement put together at run time from an embedded one (loadreg.c's
 * staging table) or handed in by a test. */
PGresult *db_query_text(PGconn *conn, const char *sql, int nparams,
                        const char *const *params, struct mo_err *err);

/* Fills err from a failed result or connection ("ERROR:  ..." trimmed; SQLSTATE as code). */
int db_err_from_result(const PGresult *res, PGconn *conn, struct mo_err *err);

#endif
