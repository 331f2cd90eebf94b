/* meterops requeue FILE_ID... --reason TEXT [--db C]
 *
 * Puts finished files back in the queue through meterops.requeue_file(), which checks the
 * caller's right (operators only) and records the database user and the reason in
 * audit_log. Exit 0 every file requeued, 1 some were refused (no such file, still queued
 * or loading), 2 could not run (no database, no right to requeue, bad usage). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/db.h"
#include "cli/cmd.h"

static void requeue_usage(FILE *out)
{
    fprintf(out, "Usage: meterops requeue FILE_ID... --reason TEXT [--db CONNINFO]\n"
                 "Puts loaded, rejected or failed files back in the load queue; the next\n"
                 "`meterops load` run or a loader daemon loads them again. The reason is kept\n"
                 "in meterops.audit_log with the database user.\n");
}

static int requeue_run(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },
        { "reason", required_argument, NULL, 'r' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *conninfo = NULL, *reason = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:r:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': conninfo = optarg; break;
        case 'r': reason = optarg; break;
        case 'h': requeue_usage(stdout); return EXIT_OK;
        default: requeue_usage(stderr); return EXIT_FAIL;
        }
    }
    if (optind == argc || !reason) {
        cli_error("requeue", optind == argc ? "name at least one file id" : "--reason is required");
        requeue_usage(stderr);
        return EXIT_FAIL;
    }
    for (int i = optind; i < argc; i++) {
        char *end;
        long long id = strtoll(argv[i], &end, 10);
        if (*end || id <= 0) {
            cli_error("requeue", "'%s' is not a file id (a positive number)", argv[i]);
            return EXIT_FAIL;
        }
    }
    struct mo_err err;
    mo_err_clear(&err);
    PGconn *conn = db_connect(conninfo, &(const struct db_session){ .kind = DB_LOADER, .app_name = "meterops requeue" }, &err);
    if (!conn) {
        cli_error("requeue", "%s", err.message);
        return EXIT_FAIL;
    }
    int rc = EXIT_OK;
    for (int i = optind; i < argc; i++) {
        const char *p1[1] = { argv[i] };
        mo_err_clear(&err);
        PGresult *res = db_query(conn, SQL_LOAD_REQUEUE_SHOW, 1, p1, &err);
        if (!res) {
            cli_error("requeue", "file %s: %s", argv[i], err.message);
            rc = EXIT_FAIL;
            break;
        }
        if (PQntuples(res) == 0) {
            cli_error("requeue", "file %s does not exist", argv[i]);
            PQclear(res);
            rc = rc == EXIT_OK ? EXIT_PARTIAL : rc;
            continue;
        }
        char path[1024], status[32];
        snprintf(path, sizeof path, "%s", PQgetvalue(res, 0, 0));
        snprintf(status, sizeof status, "%s", PQgetvalue(res, 0, 1));
        PQclear(res);
        const char *p2[2] = { argv[i], reason };
        res = db_query(conn, SQL_LOAD_REQUEUE, 2, p2, &err);
        if (!res) {
            cli_error("requeue", "file %s (%s): %s", argv[i], path, err.message);
            /* no right to requeue: nothing else will work either */
            if (strcmp(err.code, "42501") == 0) {
                rc = EXIT_FAIL;
                break;
            }
            rc = rc == EXIT_OK ? EXIT_PARTIAL : rc;
            continue;
        }
        PQclear(res);
        printf("file %s (%s): %s -> queued\n", argv[i], path, status);
    }
    PQfinish(conn);
    return rc;
}

const struct mo_cmd cmd_requeue_entry = {
    "requeue", "FILE_ID... --reason TEXT [--db CONNINFO]",
    "put loaded, rejected or failed files back in the load queue (audited)", requeue_run,
};
