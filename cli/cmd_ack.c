/* meterops ack FILE_ID --reason TEXT [--db C]
 *
 * Acknowledges a rejected or failed file through meterops.ack_file(), which checks the
 * caller's right (operators only) and records the database user and the reason in
 * audit_log. The file stays listed (marked acked) but no longer raises the level of
 * `meterops status` and the console, until it finishes again. Exit 0 acknowledged, 1
 * refused (no such file, or not rejected or failed), 2 could not run (no database, no
 * right, bad usage). */
#include <stdio.h>
#include <stdlib.h>

#include "backend/action_ack.h"
#include "cli/cmd.h"

enum { O_DB, O_REASON, O_END };

static const struct cli_opt ack_opts[] = {
    [O_DB] = { "db", 'd', CLI_STRING, "CONNINFO", "connection (keyword string or URI); else PG* variables" },
    [O_REASON] = { "reason", 'r', CLI_STRING, "TEXT", "why (required): kept in meterops.audit_log" },
    [O_END] = { 0 },
};

static const struct cli_spec ack_spec = {
    "ack",
    "Usage: meterops ack FILE_ID --reason TEXT [--db CONNINFO]\n"
    "Acknowledges a rejected or failed file: it stays listed, marked acked, but no\n"
    "longer raises the health level of `meterops status` and the console until it\n"
    "finishes again. The reason is kept in meterops.audit_log with the database user.\n\n",
    ack_opts, "",
};

static int ack_main(int argc, char **argv)
{
    const char *conninfo = NULL, *reason = NULL;
    struct cli_parser p;
    int k;
    cli_parser_init(&p, &ack_spec, argc, argv);
    while ((k = cli_next(&p)) >= 0) {
        if (k == O_DB)
            conninfo = p.arg;
        else if (k == O_REASON)
            reason = p.arg;
    }
    if (k != CLI_DONE) {
        cli_usage(k == CLI_HELP ? stdout : stderr, &ack_spec);
        return k == CLI_HELP ? EXIT_OK : EXIT_FAIL;
    }
    int64_t file_id;
    if (argc - optind != 1 || !reason || !reason[0] ||
        cli_parse_i64(argv[optind], 1, INT64_MAX, &file_id) < 0) {
        cli_error("ack", argc - optind != 1 ? "name one file id"
                         : !reason || !reason[0] ? "--reason is required (it is kept in the audit log)"
                                                 : "not a file id (a positive number)");
        cli_usage(stderr, &ack_spec);
        return EXIT_FAIL;
    }
    struct mo_err err;
    mo_err_clear(&err);
    int rc = ack_file_once(conninfo, file_id, reason, &err);
    if (rc == 0) {
        printf("file %lld: acknowledged\n", (long long)file_id);
        return EXIT_OK;
    }
    cli_error("ack", "file %lld: %s", (long long)file_id, err.message);
    return rc > 0 ? EXIT_PARTIAL : EXIT_FAIL;
}

const struct mo_cmd cmd_ack_entry = {
    "ack", "acknowledge a rejected or failed file so it stops raising the health level (audited)",
    ack_main, &ack_spec,
};
