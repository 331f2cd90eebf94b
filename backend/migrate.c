#include "backend/migrate.h"

#include <stdlib.h>
#include <string.h>

#include "backend/db.h"
#include "backend/sql.h"

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Runs one step in its own transaction together with its bookkeeping row, so a failed
 * step leaves neither half behind. Several statements per file: simple-query protocol. */
static int apply_step(PGconn *conn, const struct sql_file *f, int is_function, struct mo_err *err)
{
    if (db_exec(conn, SQL_TX_BEGIN, 0, NULL, err) < 0)
        return -1;
    /* Serialise concurrent migrators (two loaders starting at once). */
    if (db_exec(conn, SQL_MIGRATE_LOCK, 0, NULL, err) < 0)
        goto fail;
    enum sql_query check = is_function ? SQL_MIGRATE_FUNCTION_DONE : SQL_MIGRATE_MIGRATION_DONE;
    const char *params[2] = { f->name, f->text };
    PGresult *res = db_query(conn, check, is_function ? 2 : 1, params, err);
    if (!res)
        goto fail;
    int done = PQntuples(res) > 0;
    PQclear(res);
    if (done) {
        db_exec(conn, SQL_TX_ROLLBACK, 0, NULL, NULL);
        return 0;
    }
    res = PQexec(conn, f->text);
    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_err_from_result(res, conn, err);
        if (err) {
            char msg[sizeof err->message + 64];
            snprintf(msg, sizeof msg, "queries/%s.sql: %s", f->name, err->message);
            snprintf(err->message, sizeof err->message, "%.*s", (int)(sizeof err->message - 1), msg);
        }
        PQclear(res);
        goto fail;
    }
    PQclear(res);
    enum sql_query record = is_function ? SQL_MIGRATE_RECORD_FUNCTION : SQL_MIGRATE_RECORD_MIGRATION;
    if (db_exec(conn, record, is_function ? 2 : 1, params, err) < 0)
        goto fail;
    if (db_exec(conn, SQL_TX_COMMIT, 0, NULL, err) < 0)
        goto fail;
    return 1;
fail:
    PQclear(PQexec(conn, sql_text(SQL_TX_ROLLBACK)));
    return -1;
}

static int apply_steps(PGconn *conn, FILE *log, struct mo_err *err);

/* After the functions or the tables' placement: the support desk's functions plan once per
 * session on one server, with the values on Citus (queries/functions/plan_mode.sql). */
static int fit_plan_mode(PGconn *conn, FILE *log, struct mo_err *err)
{
    PGresult *res = db_query(conn, SQL_MIGRATE_PLAN_MODE, 0, NULL, err);
    if (!res)
        return -1;
    if (log && atoi(PQgetvalue(res, 0, 0)) > 0)
        fprintf(log, "plan mode of %s function(s) fitted to the server\n", PQgetvalue(res, 0, 0));
    PQclear(res);
    return 0;
}

/* The steps under a lock held for the whole run (migrate/session_lock): a second
 * migrator of the same database waits, then finds them applied. */
static int apply_on(PGconn *conn, FILE *log, struct mo_err *err)
{
    if (db_exec(conn, SQL_MIGRATE_SESSION_LOCK, 0, NULL, err) < 0)
        return -1;
    int applied = apply_steps(conn, log, err);
    struct mo_err ignore;
    db_exec(conn, SQL_MIGRATE_SESSION_UNLOCK, 0, NULL, &ignore);
    return applied;
}

static int apply_steps(PGconn *conn, FILE *log, struct mo_err *err)
{
    /* several statements: simple-query protocol */
    PGresult *res = PQexec(conn, sql_text(SQL_MIGRATE_BOOTSTRAP));
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        db_err_from_result(res, conn, err);
        PQclear(res);
        return -1;
    }
    PQclear(res);
    size_t n;
    const struct sql_file *files = sql_files(&n);
    int applied = 0;
    /* Migrations first (sorted by number), then functions, which may use any table. */
    for (int pass = 0; pass < 2; pass++) {
        const char *prefix = pass == 0 ? "schema/" : "functions/";
        for (size_t i = 0; i < n; i++) {
            if (!starts_with(files[i].name, prefix))
                continue;
            int r = apply_step(conn, &files[i], pass == 1, err);
            if (r < 0)
                return -1;
            if (r > 0) {
                applied++;
                if (log)
                    fprintf(log, "applied %s\n", files[i].name);
            }
        }
    }
    if (fit_plan_mode(conn, log, err) < 0)
        return -1;
    return applied;
}

static int status_on(PGconn *conn, FILE *out, struct mo_err *err)
{
    size_t n;
    const struct sql_file *files = sql_files(&n);
    int pending = 0;
    PGresult *have = PQexec(conn, sql_text(SQL_MIGRATE_BOOTSTRAPPED));
    int bootstrapped = PQresultStatus(have) == PGRES_TUPLES_OK && PQgetvalue(have, 0, 0)[0] == 't';
    PQclear(have);
    for (size_t i = 0; i < n; i++) {
        int is_fn = starts_with(files[i].name, "functions/");
        if (!is_fn && !starts_with(files[i].name, "schema/"))
            continue;
        const char *when = NULL;
        PGresult *res = NULL;
        if (bootstrapped) {
            const char *params[2] = { files[i].name, files[i].text };
            res = db_query(conn, is_fn ? SQL_MIGRATE_FUNCTION_APPLIED : SQL_MIGRATE_MIGRATION_APPLIED,
                           is_fn ? 2 : 1, params, err);
            if (!res)
                return -1;
            if (PQntuples(res) > 0)
                when = PQgetvalue(res, 0, 0);
        }
        fprintf(out, "%-8s %-32s %s\n", when ? "applied" : "pending", files[i].name, when ? when : "");
        pending += when == NULL;
        PQclear(res);
    }
    return pending;
}

/* Under the migrators' session lock: pending steps (015_citus creates the function), then the
 * placement of the tables, so a migrator starting meanwhile waits for both. */
static int distribute_on(PGconn *conn, FILE *out, struct mo_err *err)
{
    if (db_exec(conn, SQL_MIGRATE_SESSION_LOCK, 0, NULL, err) < 0)
        return -1;
    PGresult *res = NULL;
    if (apply_steps(conn, NULL, err) >= 0)
        res = db_query(conn, SQL_MIGRATE_DISTRIBUTE, 0, NULL, err);
    if (res && fit_plan_mode(conn, NULL, err) < 0) {
        PQclear(res);
        res = NULL;
    }
    struct mo_err ignore;
    db_exec(conn, SQL_MIGRATE_SESSION_UNLOCK, 0, NULL, &ignore);
    if (!res)
        return -1;
    int moved = 0;
    for (int i = 0; i < PQntuples(res); i++) {
        fprintf(out, "%-12s %-26s %s\n", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), PQgetvalue(res, i, 2));
        moved += strcmp(PQgetvalue(res, i, 2), "distributed") == 0;
    }
    PQclear(res);
    return moved;
}

/* Runs one of the above on a new DB_MIGRATE connection. */
static int on_new_connection(const char *conninfo, int (*fn)(PGconn *, FILE *, struct mo_err *),
                             FILE *out, struct mo_err *err)
{
    const struct db_session s = { .kind = DB_MIGRATE, .app_name = "meterops db" };
    PGconn *conn = db_connect(conninfo, &s, err);
    if (!conn)
        return -1;
    int r = fn(conn, out, err);
    db_close(conn);
    return r;
}

int migrate_apply(const char *conninfo, FILE *log, struct mo_err *err)
{
    return on_new_connection(conninfo, apply_on, log, err);
}

int migrate_status(const char *conninfo, FILE *out, struct mo_err *err)
{
    return on_new_connection(conninfo, status_on, out, err);
}

int migrate_distribute(const char *conninfo, FILE *out, struct mo_err *err)
{
    return on_new_connection(conninfo, distribute_on, out, err);
}
