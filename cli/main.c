/* meterops - load, process and watch smart-meter data in PostgreSQL.
 * With no subcommand it opens the operator console. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"

/* In the order --help lists them. */
static const struct mo_cmd *const commands[] = {
    &cmd_console_entry,
    &cmd_load_entry,
    &cmd_requeue_entry,
    &cmd_ack_entry,
    &cmd_status_entry,
    &cmd_customer_entry,
    &cmd_db_entry,
    &cmd_migrate_entry,
    &cmd_gen_entry,
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

void cli_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "meterops %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: meterops [COMMAND] [OPTIONS]\n"
            "Load, validate and watch smart-meter data in PostgreSQL.\n"
            "With no command, opens the operator console.\n\n"
            "Commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-9s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(out,
            "\nEvery command takes --db CONNINFO (keyword string or URI); without it the\n"
            "PG* environment variables and PGSERVICE apply. Passwords belong in ~/.pgpass.\n"
            "Run `meterops COMMAND --help` for a command's options. Exit status: 0 done,\n"
            "1 done with rejected rows or warnings, 2 could not run.\n");
}

/* `meterops help --options`: every command's options, "CMD --name" a line, for the test
 * that holds doc/meterops.1 to the tables (tests/integration/manpage.sh). */
static int list_options(void)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        cli_list_options(stdout, commands[i]->spec);
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "help") == 0 && strcmp(argv[2], "--options") == 0)
        return list_options();
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
                      strcmp(argv[1], "help") == 0)) {
        usage(stdout);
        return EXIT_OK;
    }
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
        return EXIT_OK;
    }
    /* No subcommand, or only options: the console. */
    const char *name = (argc < 2 || argv[1][0] == '-') ? "console" : argv[1];
    int shift = strcmp(name, "console") == 0 && name != argv[1] ? 0 : 1;
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(name, commands[i]->name) == 0)
            return commands[i]->run(argc - shift, argv + shift);
    fprintf(stderr, "meterops: unknown command '%s'\n\n", name);
    usage(stderr);
    return EXIT_FAIL;
}
