/* test_db.c - see test_db.h. */
#include "tests/integration/test_db.h"

#include <stdio.h>
#include <string.h>

#include "backend/db.h"
#include "backend/migrate.h"

PGconn *test_db_connect(const char *name, const char *app)
{
    char conninfo[128];
    struct mo_err err;
    snprintf(conninfo, sizeof conninfo, "dbname=%s", name);
    return db_connect(conninfo, &(const struct db_session){ .kind = DB_LOADER, .app_name = app }, &err);
}

PGconn *test_db_fresh(const char *name, const char *app)
{
    struct mo_err err;
    PGconn *admin = db_connect("dbname=postgres", &(const struct db_session){ .kind = DB_PLAIN, .app_name = app }, &err);
    if (!admin)
        return NULL;
    char *id = PQescapeIdentifier(admin, name, strlen(name));
    char sql[200];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", id);
    PQclear(PQexec(admin, sql));
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", id);
    PQfreemem(id);
    PGresult *r = PQexec(admin, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    PQfinish(admin);
    if (!ok)
        return NULL;
    char conninfo[128];
    snprintf(conninfo, sizeof conninfo, "dbname=%s", name);
    if (migrate_apply(conninfo, NULL, &err) < 0)
        return NULL;
    return test_db_connect(name, app);
}
