/* opt.h - one option table per command (tmux's cmd-*.c entries, PostgreSQL's
 * option_utils.c): getopt_long's array, the parsing and range check of each value and the
 * command's --help all come from the table, and `meterops help --options` lists it so a
 * test can hold doc/meterops.1 to it.
 *
 *   enum { O_DB, O_JOBS, O_END };
 *   static const struct cli_opt opts[] = {
 *       [O_DB] = { "db", 'd', CLI_STRING, "CONNINFO", "connection ..." },
 *       [O_JOBS] = { "jobs", 'j', CLI_INT, "N", "threads (default: CPUs)", 1, 64 },
 *       [O_END] = { 0 },
 *   };
 *   while ((k = cli_next(&p)) >= 0) switch (k) { case O_JOBS: jobs = p.ival; ... }
 *
 * --help (-h) is every command's and is not in the tables. */
#ifndef MO_CLI_OPT_H
#define MO_CLI_OPT_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

enum cli_opt_kind {
    CLI_FLAG,       /* no value */
    CLI_STRING,     /* p.arg */
    CLI_INT,        /* p.ival, a whole number in [min, max] */
    CLI_REAL,       /* p.rval, a number in [min, max] */
    CLI_U64,        /* p.uval, any unsigned 64-bit whole number */
};

struct cli_opt {
    const char *name;           /* long name, without "--"; NULL ends the table */
    char short_name;            /* also -X; 0 for none */
    enum cli_opt_kind kind;
    const char *arg;            /* the value's name in --help (not for CLI_FLAG) */
    const char *help;           /* lines joined by "\n"; a printf format (see cli_usage) */
    double min, max;            /* CLI_INT, CLI_REAL */
};

/* A command's options and the text around them in its --help. */
struct cli_spec {
    const char *cmd;            /* "load": for "meterops load: ..." messages */
    const char *synopsis;       /* "Usage: ..." and the description, ending in "\n\n" */
    const struct cli_opt *opts;
    const char *epilogue;       /* after the options ("" for none) */
};

#define CLI_MAX_OPTS 24

struct cli_parser {
    const struct cli_spec *spec;
    int argc;
    char **argv;
    struct option longopts[CLI_MAX_OPTS + 2];
    char shortopts[2 * CLI_MAX_OPTS + 4];
    /* the value of the option cli_next returned */
    const char *arg;
    int ival;
    double rval;
    uint64_t uval;
};

enum {
    CLI_DONE = -1,      /* no option left: operands start at optind */
    CLI_HELP = -2,      /* --help: print the usage to stdout, exit 0 */
    CLI_USAGE = -3,     /* unknown option or missing value (getopt said which) */
    CLI_BAD = -4,       /* a value out of range or not a number (said which) */
};

void cli_parser_init(struct cli_parser *p, const struct cli_spec *spec, int argc, char **argv);
/* The next option's index in spec->opts (its value in p), or one of the CLI_* above. */
int cli_next(struct cli_parser *p);

/* The command's --help: synopsis, one line per option (help continued under it), then the
 * epilogue. All three are one printf format and take the arguments given, in order. */
void cli_usage(FILE *out, const struct cli_spec *spec, ...);

/* Lists "CMD --name" for every option of the table (meterops help --options). */
void cli_list_options(FILE *out, const struct cli_spec *spec);

/* Parses a whole number in [min, max] for option `opt` of command `cmd`; otherwise says so
 * ("meterops CMD: OPT needs a whole number from MIN to MAX, not 'S'") and returns -1. */
int cli_parse_int(const char *cmd, const char *opt, const char *s, int min, int max, int *out);
/* The same check, silent, for a 64-bit whole number (an operand such as a file id). */
int cli_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

#endif
