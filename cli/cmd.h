/* cmd.h - one table entry per subcommand (tmux's cmd-*.c pattern): `meterops --help`,
 * the man page and dispatch all come from these entries. */
#ifndef MO_CMD_H
#define MO_CMD_H

#include "cli/opt.h"

/* Exit codes of DESIGN.md: 0 everything done, 1 done with rejects or warnings,
 * 2 could not run (bad usage, no database, internal error). */
enum { EXIT_OK = 0, EXIT_PARTIAL = 1, EXIT_FAIL = 2 };

struct mo_cmd {
    const char *name;
    const char *summary; /* one line for --help */
    int (*run)(int argc, char **argv); /* argv[0] is the subcommand name */
    const struct cli_spec *spec;       /* its options and --help text (cli/opt.h) */
};

extern const struct mo_cmd cmd_db_entry;
extern const struct mo_cmd cmd_migrate_entry;
extern const struct mo_cmd cmd_gen_entry;
extern const struct mo_cmd cmd_load_entry;
extern const struct mo_cmd cmd_requeue_entry;
extern const struct mo_cmd cmd_ack_entry;
extern const struct mo_cmd cmd_status_entry;
extern const struct mo_cmd cmd_customer_entry;
extern const struct mo_cmd cmd_console_entry;

/* Prints "meterops NAME: message" to stderr. */
void cli_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;


#endif
