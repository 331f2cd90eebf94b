/* meterops requeue FILE_ID... --reason TEXT [--db C]
 *
 * Puts finished files back in the queue through meterops.requeue_file(), which checks the
 * caller's right (operators only) and records the database user and the reason in
 * audit_log: all of them in one statement, as the console does (backend/action_requeue.h),
 * so either every file is requeued or none is. Exit 0 every file requeued, 1 refused (no
 * such file, still queued or loading: none was requeued), 2 could not run (no database,
 * no right to requeue, bad usage). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/action_ack.h"
#include "backend/action_requeue.h"
#include "backend/mpan.h"
#include "backend/textfmt.h"
#include "cli/cmd.h"

enum { O_DB, O_REASON, O_METER, O_EXPORT_METER, O_END };

static const struct cli_opt requeue_opts[] = {
    [O_DB] = { "db", 'd', CLI_STRING, "CONNINFO", "connection (keyword string or URI); else PG* variables" },
    [O_REASON] = { "reason", 'r', CLI_STRING, "TEXT", "why (required): kept in meterops.audit_log" },
    [O_METER] = { "meter", 'm', CLI_STRING, "MPXN",
                  "load the files again as this meter's (their stored --meter\n"
                  "changes; old and new options go to the audit log)" },
    [O_EXPORT_METER] = { "export-meter", 'x', CLI_STRING, "MPXN", "the same for export readings" },
    [O_END] = { 0 },
};

static const struct cli_spec requeue_spec = {
    "requeue",
    "Usage: meterops requeue FILE_ID... --reason TEXT [--meter MPXN] [--export-meter MPXN]\n"
    "       [--db CONNINFO]\n"
    "Puts loaded, rejected or failed files back in the load queue; the next\n"
    "`meterops load` run or a loader daemon loads them again. The reason is kept\n"
    "in meterops.audit_log with the database user. All the files are requeued, or none.\n\n",
    requeue_opts, "",
};

/* The file ids of the command line; NULL after saying which is not one. */
static struct requeue_item *parse_ids(char **args, int n)
{
    struct requeue_item *items = calloc((size_t)n, sizeof *items);
    if (!items) {
        cli_error("requeue", "out of memory");
        return NULL;
    }
    for (int i = 0; i < n; i++)
        if (cli_parse_i64(args[i], 1, INT64_MAX, &items[i].file_id) < 0) {
            cli_error("requeue", "'%s' is not a file id (a positive number)", args[i]);
            free(items);
            return NULL;
        }
    return items;
}

/* Says why nothing was requeued. Files are named missing only when the database was read
 * (refused): after a failure to connect nothing is known of them. */
static void report_refusal(const struct requeue_item *items, size_t n, size_t culprit,
                           enum requeue_outcome out, const struct mo_err *err)
{
    char shown[4 * sizeof items[0].path + 1];
    for (size_t i = 0; i < n && out == REQUEUE_REFUSED; i++)
        if (!items[i].found && i != culprit)
            cli_error("requeue", "file %lld does not exist", (long long)items[i].file_id);
    if (culprit >= n)
        cli_error("requeue", "%s", err->message);
    else if (!items[culprit].found && err->message[0] == '\0')
        cli_error("requeue", "file %lld does not exist", (long long)items[culprit].file_id);
    else if (!items[culprit].found)
        cli_error("requeue", "file %lld: %s", (long long)items[culprit].file_id, err->message);
    else
        cli_error("requeue", "file %lld (%s): %s", (long long)items[culprit].file_id,
                  fmt_visible(shown, sizeof shown, items[culprit].path), err->message);
}

/* Whether the reason has something in it besides blanks. */
static int said_why(const char *reason)
{
    if (!reason)
        return 0;
    for (const char *c = reason; *c; c++)
        if (*c != ' ' && *c != '\t' && *c != '\n' && *c != '\r')
            return 1;
    return 0;
}

static int requeue_main(int argc, char **argv)
{
    const char *conninfo = NULL, *reason = NULL, *meter = NULL, *export_meter = NULL;
    struct cli_parser p;
    int k;
    cli_parser_init(&p, &requeue_spec, argc, argv);
    while ((k = cli_next(&p)) >= 0) {
        if (k == O_DB)
            conninfo = p.arg;
        else if (k == O_REASON)
            reason = p.arg;
        else if (k == O_METER || k == O_EXPORT_METER) {
            struct mpxn_id id;
            if (mpxn_parse(p.arg, strlen(p.arg), &id)) {
                cli_error("requeue", "--%s '%s' is not a meter id (doc/formats.md, Meter "
                          "identifiers)", k == O_METER ? "meter" : "export-meter", p.arg);
                return EXIT_FAIL;
            }
            /* the one spelling: a full MPAN's core is the tail of the same string */
            *(k == O_METER ? &meter : &export_meter) = id.id;
        }
    }
    if (k != CLI_DONE) {
        cli_usage(k == CLI_HELP ? stdout : stderr, &requeue_spec);
        return k == CLI_HELP ? EXIT_OK : EXIT_FAIL;
    }
    if (optind == argc || !said_why(reason)) {
        cli_error("requeue", optind == argc ? "name at least one file id"
                             : "--reason is required and must say why (it is kept in the audit log)");
        cli_usage(stderr, &requeue_spec);
        return EXIT_FAIL;
    }
    size_t n = (size_t)(argc - optind), culprit;
    struct requeue_item *items = parse_ids(argv + optind, argc - optind);
    if (!items)
        return EXIT_FAIL;
    struct mo_err err;
    mo_err_clear(&err);
    enum requeue_outcome out = requeue_files_with(conninfo, items, n, reason, meter, export_meter,
                                                  &culprit, &err);
    char shown[4 * sizeof items[0].path + 1];
    if (out == REQUEUE_DONE)
        for (size_t i = 0; i < n; i++)
            printf("file %lld (%s): %s -> queued\n", (long long)items[i].file_id,
                   fmt_visible(shown, sizeof shown, items[i].path), items[i].status);
    /* Nobody will take them while no loader is alive (meterops.loader heartbeats): said on
     * stderr, so stdout stays one line per file. */
    if (out == REQUEUE_DONE && loaders_live_once(conninfo, &err) == 0)
        fprintf(stderr, "meterops requeue: warning: no loader is alive to take %s; start "
                "`meterops load --queued` or a daemon\n", n == 1 ? "it" : "them");
    if (out != REQUEUE_DONE)
        report_refusal(items, n, culprit, out, &err);
    free(items);
    return out == REQUEUE_DONE ? EXIT_OK : out == REQUEUE_REFUSED ? EXIT_PARTIAL : EXIT_FAIL;
}

const struct mo_cmd cmd_requeue_entry = {
    "requeue", "put loaded, rejected or failed files back in the load queue (audited)", requeue_main,
    &requeue_spec,
};
