/* meterops console [--db C] [--theme T] [--iterations N] ...: the operator console (also
 * what `meterops` with no command opens). Parses options; ui/app.c does the rest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "ui/app.h"

enum {
    O_DB, O_THEME, O_REFRESH, O_STATEMENT_TIMEOUT, O_LOCK_TIMEOUT, O_SILENT_DAYS, O_RETRY_MAX,
    O_TARGET_DB, O_MOUSE, O_ASCII, O_ITERATIONS, O_END
};

static const struct cli_opt console_opts[] = {
    [O_DB] = { "db", 'd', CLI_STRING, "CONNINFO", "connection (keyword string or URI); else PG* variables" },
    [O_THEME] = { "theme", 0, CLI_STRING, "NAME",
                  "colour theme (default, light, dark, high-contrast, mono, or\n"
                  "your own in $XDG_CONFIG_HOME/meterops/themes); NO_COLOR and\n"
                  "terminals without colour always get mono" },
    [O_REFRESH] = { "refresh", 0, CLI_INT, "SECONDS",
                    "how often the aggregates refresh (default 2); file changes\n"
                    "arrive at once through LISTEN", 1, 3600 },
    [O_STATEMENT_TIMEOUT] = { "statement-timeout", 0, CLI_INT, "MS",
                              "cancel a console query running longer (default 5000)", 0, 86400000 },
    [O_LOCK_TIMEOUT] = { "lock-timeout", 0, CLI_INT, "MS",
                         "cancel a console query waiting longer for a lock (default 2000)", 0, 86400000 },
    [O_SILENT_DAYS] = { "silent-days", 0, CLI_INT, "N",
                        "a meter is silent after N days without a reading (default 3,\n"
                        "at most 31: the counts read one summary per day)", 1, MAX_SILENT_DAYS },
    [O_RETRY_MAX] = { "retry-max", 0, CLI_INT, "SECONDS",
                      "longest wait between reconnection attempts (default 15)", 1, 3600 },
    [O_TARGET_DB] = { "target-db", 0, CLI_STRING, "CONNINFO",
                       "the Migration view's target (default: the one the newest\n"
                       "`meterops migrate start` recorded)" },
    [O_MOUSE] = { "mouse", 0, CLI_FLAG, NULL, "clicks select, double clicks open, the wheel scrolls" },
    [O_ASCII] = { "ascii", 0, CLI_FLAG, NULL, "ASCII drawing even in a UTF-8 locale" },
    [O_ITERATIONS] = { "iterations", 0, CLI_INT, "N", "draw N refreshes and exit (smoke tests)", 1, 1000000 },
    [O_END] = { 0 },
};

static const struct cli_spec console_spec = {
    "console",
    "Usage: meterops [console] [--db CONNINFO] [--theme NAME] [OPTIONS]\n"
    "The operator console: live load status, per-file validation errors, requeue.\n\n",
    console_opts,
    "Inside: ? lists the keys of the view, :help the commands. Exit status 0, or 2 when the\n"
    "terminal cannot be used.\n",
};

static void take_option(struct console_opts *o, int k, const struct cli_parser *p)
{
    switch (k) {
    case O_DB: o->conninfo = p->arg; break;
    case O_THEME: o->theme = p->arg; break;
    case O_REFRESH: o->refresh_s = p->ival; break;
    case O_STATEMENT_TIMEOUT: o->statement_timeout_ms = p->ival; break;
    case O_LOCK_TIMEOUT: o->lock_timeout_ms = p->ival; break;
    case O_SILENT_DAYS: o->silent_days = p->ival; break;
    case O_RETRY_MAX: o->retry_max_s = p->ival; break;
    case O_TARGET_DB: o->target_conninfo = p->arg; break;
    case O_MOUSE: o->mouse = true; break;
    case O_ASCII: o->ascii = true; break;
    case O_ITERATIONS: o->iterations = p->ival; break;
    }
}

static int console_run(int argc, char **argv)
{
    struct console_opts o = {
        .refresh_s = 2, .statement_timeout_ms = 5000, .lock_timeout_ms = 2000, .silent_days = 3, .retry_max_s = 15,
    };
    struct cli_parser p;
    int k;
    cli_parser_init(&p, &console_spec, argc, argv);
    while ((k = cli_next(&p)) >= 0)
        take_option(&o, k, &p);
    if (k == CLI_BAD)
        return EXIT_FAIL;
    if (k != CLI_DONE) {
        cli_usage(k == CLI_HELP ? stdout : stderr, &console_spec);
        return k == CLI_HELP ? EXIT_OK : EXIT_FAIL;
    }
    if (optind != argc) {
        cli_error("console", "unexpected argument '%s'", argv[optind]);
        cli_usage(stderr, &console_spec);
        return EXIT_FAIL;
    }
    return app_run(&o) == 0 ? EXIT_OK : EXIT_FAIL;
}

const struct mo_cmd cmd_console_entry = {
    "console", "the operator console (also what `meterops` alone opens)", console_run, &console_spec,
};
