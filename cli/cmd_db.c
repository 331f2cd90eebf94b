/* meterops db migrate|status|distribute|rebalance [--db C] */
#include <stdio.h>
#include <string.h>

#include "backend/cluster.h"
#include "backend/migrate.h"
#include "cli/cmd.h"

enum { O_DB, O_REASON, O_WAIT, O_END };

static const struct cli_opt db_opts[] = {
    [O_DB] = { "db", 'd', CLI_STRING, "CONNINFO", "connection (keyword string or URI); else PG* variables" },
    [O_REASON] = { "reason", 'r', CLI_STRING, "TEXT", "rebalance: why (required; kept in the audit log)" },
    [O_WAIT] = { "wait", 'w', CLI_FLAG, NULL, "rebalance: show its progress until it ends" },
    [O_END] = { 0 },
};

static const struct cli_spec db_spec = {
    "db",
    "Usage: meterops db migrate|status|distribute [--db CONNINFO]\n"
    "       meterops db rebalance --reason TEXT [--wait] [--db CONNINFO]\n"
    "  migrate     create or upgrade schema meterops (idempotent); on a Citus\n"
    "              coordinator with workers it also distributes the tables\n"
    "  status      list applied and pending migrations; exit 1 if any is pending\n"
    "  distribute  migrate, then distribute the tables over the Citus cluster\n"
    "              (after CREATE EXTENSION citus and citus_add_node; existing rows\n"
    "              move into the shards; idempotent)\n"
    "  rebalance   move shards onto Citus workers that hold fewer (after one is\n"
    "              added), in the background; loads go on (a write to a moving\n"
    "              shard waits for it). Exit 1 if it failed (with --wait)\n\n",
    db_opts, "",
};

static int db_run(int argc, char **argv)
{
    const char *conninfo = NULL, *reason = NULL;
    int wait_end = 0;
    struct cli_parser p;
    int k;
    cli_parser_init(&p, &db_spec, argc, argv);
    while ((k = cli_next(&p)) >= 0) {
        if (k == O_DB)
            conninfo = p.arg;
        else if (k == O_REASON)
            reason = p.arg;
        else if (k == O_WAIT)
            wait_end = 1;
    }
    if (k != CLI_DONE) {
        cli_usage(k == CLI_HELP ? stdout : stderr, &db_spec);
        return k == CLI_HELP ? EXIT_OK : EXIT_FAIL;
    }
    if (optind != argc - 1) {
        cli_usage(stderr, &db_spec);
        return EXIT_FAIL;
    }
    const char *action = argv[optind];
    int rebalance = strcmp(action, "rebalance") == 0;
    if (strcmp(action, "migrate") != 0 && strcmp(action, "status") != 0 && strcmp(action, "distribute") != 0 &&
        !rebalance) {
        cli_error("db", "unknown action '%s'", action);
        cli_usage(stderr, &db_spec);
        return EXIT_FAIL;
    }
    if (!rebalance && (reason || wait_end)) {
        cli_error("db", "--reason and --wait are for rebalance only");
        return EXIT_FAIL;
    }
    if (rebalance && (!reason || !reason[0])) {
        cli_error("db", "rebalance: --reason is required and must say why (it is kept in the audit log)");
        return EXIT_FAIL;
    }
    struct mo_err err;
    mo_err_clear(&err);
    int rc;
    if (rebalance) {
        int r = cluster_rebalance(conninfo, reason, wait_end, stdout, &err);
        if (r < 0)
            cli_error("db", "rebalance: %s", err.message);
        rc = r < 0 ? EXIT_FAIL : r > 0 ? EXIT_PARTIAL : EXIT_OK;
    } else if (strcmp(action, "migrate") == 0) {
        int n = migrate_apply(conninfo, stdout, &err);
        if (n < 0) {
            cli_error("db", strcmp(err.code, "db_connect") == 0 ? "%s" : "migration failed: %s", err.message);
            rc = EXIT_FAIL;
        } else {
            printf(n == 0 ? "schema meterops is up to date\n" : "schema meterops: %d step(s) applied\n", n);
            rc = EXIT_OK;
        }
    } else if (strcmp(action, "distribute") == 0) {
        int n = migrate_distribute(conninfo, stdout, &err);
        if (n < 0) {
            cli_error("db", strcmp(err.code, "db_connect") == 0 ? "%s" : "distribution failed: %s", err.message);
            rc = EXIT_FAIL;
        } else {
            printf(n == 0 ? "schema meterops is distributed already\n" : "schema meterops: %d table(s) distributed\n", n);
            rc = EXIT_OK;
        }
    } else {
        int pending = migrate_status(conninfo, stdout, &err);
        if (pending < 0) {
            cli_error("db", "%s", err.message);
            rc = EXIT_FAIL;
        } else {
            rc = pending > 0 ? EXIT_PARTIAL : EXIT_OK;
        }
    }
    return rc;
}

const struct mo_cmd cmd_db_entry = {
    "db", "create, upgrade or inspect the database schema", db_run, &db_spec,
};
