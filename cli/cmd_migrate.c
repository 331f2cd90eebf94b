/* meterops migrate plan|start|status|verify|resync|cutover|abort - the whole database moved to
 * another server with logical replication (backend/move.h). */
#include <stdio.h>
#include <string.h>

#include "backend/move.h"
#include "cli/cmd.h"

enum { O_DB, O_TO, O_PUBLISHER, O_JSON, O_END };

static const struct cli_opt migrate_opts[] = {
    [O_DB] = { "db", 'd', CLI_STRING, "CONNINFO", "the source (keyword string or URI); else PG* variables" },
    [O_TO] = { "to", 't', CLI_STRING, "CONNINFO", "the target (plan, start); later commands find it\n"
                                                  "in the move recorded on the source" },
    [O_PUBLISHER] = { "publisher", 'p', CLI_STRING, "CONNINFO",
                      "start: how the target's server reaches the source (default:\n"
                      "host, port, dbname and user of the --db connection)" },
    [O_JSON] = { "json", 'j', CLI_FLAG, NULL, "status: one JSON object" },
    [O_END] = { 0 },
};

static const struct cli_spec migrate_spec = {
    "migrate",
    "Usage: meterops migrate plan|start|status|verify|cutover|abort [--db SOURCE] [--to TARGET]\n"
    "       meterops migrate resync [--db SOURCE] [TABLE...]\n"
    "  plan     check both servers and say what start will do (exit 1: a check failed)\n"
    "  start    schema on the target, publication, subscription; loads go on\n"
    "  status   initial copy per table and partition, lag, loads still arriving\n"
    "  verify   row counts and checksums on both sides; exit 0 same, 1 different\n"
    "  resync   copy tables again: those named, else those whose copy is stuck\n"
    "  cutover  pause the queue, wait for lag 0, verify, copy sequences, switch\n"
    "  abort    remove what start created, on both sides\n\n",
    migrate_opts, "",
};

static const struct {
    const char *name;
    int (*run)(const struct move_args *, FILE *, struct mo_err *);
} actions[] = {
    { "plan", move_plan }, { "start", move_start }, { "status", move_status },
    { "verify", move_verify }, { "resync", move_resync }, { "cutover", move_cutover }, { "abort", move_abort },
};

static int migrate_run(int argc, char **argv)
{
    struct move_args a = { 0 };
    struct cli_parser p;
    int k;
    cli_parser_init(&p, &migrate_spec, argc, argv);
    while ((k = cli_next(&p)) >= 0) {
        if (k == O_DB)
            a.source = p.arg;
        else if (k == O_TO)
            a.target = p.arg;
        else if (k == O_PUBLISHER)
            a.publisher = p.arg;
        else if (k == O_JSON)
            a.json = true;
    }
    bool resync = k == CLI_DONE && optind < argc && strcmp(argv[optind], "resync") == 0;
    if (k != CLI_DONE || (optind != argc - 1 && !resync)) {
        cli_usage(k == CLI_HELP ? stdout : stderr, &migrate_spec);
        return k == CLI_HELP ? EXIT_OK : EXIT_FAIL;
    }
    const char *action = argv[optind];
    if (resync) {
        a.tables = argv + optind + 1;
        a.ntables = argc - optind - 1;
    }
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
        if (strcmp(action, actions[i].name) != 0)
            continue;
        if (!a.target && (strcmp(action, "plan") == 0 || strcmp(action, "start") == 0)) {
            cli_error("migrate", "%s needs --to TARGET", action);
            return EXIT_FAIL;
        }
        struct mo_err err;
        mo_err_clear(&err);
        int rc = actions[i].run(&a, stdout, &err);
        fflush(stdout);
        if (rc < 0) {
            cli_error("migrate", "%s: %s", action, err.message);
            return EXIT_FAIL;
        }
        return rc == 0 ? EXIT_OK : EXIT_PARTIAL;
    }
    cli_error("migrate", "unknown action '%s'", action);
    cli_usage(stderr, &migrate_spec);
    return EXIT_FAIL;
}

const struct mo_cmd cmd_migrate_entry = {
    "migrate", "move the database to another server (logical replication)", migrate_run, &migrate_spec,
};
