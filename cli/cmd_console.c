/* meterops console [--db C] [--theme T] [--iterations N] ...: the operator console (also
 * what `meterops` with no command opens). Parses options; ui/app.c does the rest. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "ui/app.h"

static void console_usage(FILE *out)
{
    fprintf(out,
            "Usage: meterops [console] [--db CONNINFO] [--theme NAME] [OPTIONS]\n"
            "The operator console: live load status, per-file validation errors, requeue.\n\n"
            "  --theme NAME            colour theme (default, light, dark, high-contrast, mono, or\n"
            "                          your own in $XDG_CONFIG_HOME/meterops/themes); NO_COLOR and\n"
            "                          terminals without colour always get mono\n"
            "  --refresh SECONDS       how often the aggregates refresh (default 2); file changes\n"
            "                          arrive at once through LISTEN\n"
            "  --statement-timeout MS  cancel a console query running longer (default 5000)\n"
            "  --lock-timeout MS       cancel a console query waiting longer for a lock (default 2000)\n"
            "  --silent-days N         a meter is silent after N days without a reading (default 3)\n"
            "  --retry-max SECONDS     longest wait between reconnection attempts (default 15)\n"
            "  --mouse                 clicks select, double clicks open, the wheel scrolls\n"
            "  --ascii                 ASCII drawing even in a UTF-8 locale\n"
            "  --iterations N          draw N refreshes and exit (smoke tests)\n\n"
            "Inside: ? lists the keys of the view, :help the commands. Exit status 0, or 2 when the\n"
            "terminal cannot be used.\n");
}

static int console_run(int argc, char **argv)
{
    enum { O_THEME = 256, O_ITER, O_REFRESH, O_ST, O_LT, O_SILENT, O_RETRY, O_MOUSE, O_ASCII };
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },
        { "theme", required_argument, NULL, O_THEME },
        { "iterations", required_argument, NULL, O_ITER },
        { "refresh", required_argument, NULL, O_REFRESH },
        { "statement-timeout", required_argument, NULL, O_ST },
        { "lock-timeout", required_argument, NULL, O_LT },
        { "silent-days", required_argument, NULL, O_SILENT },
        { "retry-max", required_argument, NULL, O_RETRY },
        { "mouse", no_argument, NULL, O_MOUSE },
        { "ascii", no_argument, NULL, O_ASCII },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct console_opts o = {
        .refresh_s = 2, .statement_timeout_ms = 5000, .lock_timeout_ms = 2000, .silent_days = 3, .retry_max_s = 15,
    };
    int c, rc = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': o.conninfo = optarg; break;
        case O_THEME: o.theme = optarg; break;
        case O_ITER: rc = cli_parse_int("console", "--iterations", optarg, 1, 1000000, &o.iterations); break;
        case O_REFRESH: rc = cli_parse_int("console", "--refresh", optarg, 1, 3600, &o.refresh_s); break;
        case O_ST: rc = cli_parse_int("console", "--statement-timeout", optarg, 0, 86400000, &o.statement_timeout_ms); break;
        case O_LT: rc = cli_parse_int("console", "--lock-timeout", optarg, 0, 86400000, &o.lock_timeout_ms); break;
        case O_SILENT: rc = cli_parse_int("console", "--silent-days", optarg, 1, 3650, &o.silent_days); break;
        case O_RETRY: rc = cli_parse_int("console", "--retry-max", optarg, 1, 3600, &o.retry_max_s); break;
        case O_MOUSE: o.mouse = true; break;
        case O_ASCII: o.ascii = true; break;
        case 'h': console_usage(stdout); return EXIT_OK;
        default: console_usage(stderr); return EXIT_FAIL;
        }
        if (rc < 0)
            return EXIT_FAIL;
    }
    if (optind != argc) {
        cli_error("console", "unexpected argument '%s'", argv[optind]);
        console_usage(stderr);
        return EXIT_FAIL;
    }
    return app_run(&o) == 0 ? EXIT_OK : EXIT_FAIL;
}

const struct mo_cmd cmd_console_entry = {
    "console", "[--db CONNINFO] [--theme NAME] [--iterations N]",
    "the operator console (also what `meterops` alone opens)", console_run,
};
