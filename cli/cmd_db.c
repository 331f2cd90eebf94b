/* meterops db migrate|status [--db C] */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "backend/db.h"
#include "backend/migrate.h"
#include "cli/cmd.h"

static void db_usage(FILE *out)
{
    fprintf(out, "Usage: meterops db migrate|status [--db CONNINFO]\n"
                 "  migrate  create or upgrade schema meterops (idempotent)\n"
                 "  status   list applied and pending migrations; exit 1 if any is pending\n");
}

static int db_run(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *conninfo = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': conninfo = optarg; break;
        case 'h': db_usage(stdout); return EXIT_OK;
        default: db_usage(stderr); return EXIT_FAIL;
        }
    }
    if (optind != argc - 1) {
        db_usage(stderr);
        return EXIT_FAIL;
    }
    const char *action = argv[optind];
    if (strcmp(action, "migrate") != 0 && strcmp(action, "status") != 0) {
        cli_error("db", "unknown action '%s'", action);
        db_usage(stderr);
        return EXIT_FAIL;
    }
    struct mo_err err;
    mo_err_clear(&err);
    PGconn *conn = db_connect(conninfo, &(const struct db_session){ .kind = DB_MIGRATE, .app_name = "meterops db" }, &err);
    if (!conn) {
        cli_error("db", "%s", err.message);
        return EXIT_FAIL;
    }
    int rc;
    if (strcmp(action, "migrate") == 0) {
        int n = migrate_apply(conn, stdout, &err);
        if (n < 0) {
            cli_error("db", "migration failed: %s", err.message);
            rc = EXIT_FAIL;
        } else {
            printf(n == 0 ? "schema meterops is up to date\n" : "schema meterops: %d step(s) applied\n", n);
            rc = EXIT_OK;
        }
    } else {
        int pending = migrate_status(conn, stdout, &err);
        if (pending < 0) {
            cli_error("db", "%s", err.message);
            rc = EXIT_FAIL;
        } else {
            rc = pending > 0 ? EXIT_PARTIAL : EXIT_OK;
        }
    }
    PQfinish(conn);
    return rc;
}

const struct mo_cmd cmd_db_entry = {
    "db", "migrate|status [--db CONNINFO]", "create, upgrade or inspect the database schema", db_run,
};
