/* cmdtab.h - the one table of `:` commands (tmux's pattern): dispatch, :help, `?` and tab
 * completion all read it. Splitting a command line and parsing filter arguments
 * (status=, job=, path=, file ids) live here too, and are pure so they are unit-tested. */
#ifndef MO_CMDTAB_H
#define MO_CMDTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct app;

/* What a command's arguments are, for completion. */
enum arg_kind { ARGS_NONE, ARGS_COMMAND, ARGS_THEME, ARGS_VIEW, ARGS_SORT, ARGS_FILTER, ARGS_REQUEUE,
                ARGS_SECONDS, ARGS_FILE };

struct console_cmd {
    const char *name;
    const char *args;           /* usage of the arguments */
    const char *help;
    enum arg_kind kind;
    int (*run)(struct app *app, int argc, char **argv); /* argv[0] is the name */
};

extern const struct console_cmd console_cmds[];
extern const size_t console_ncmds;

/* The command named exactly, or by an unambiguous prefix ("req" -> requeue); NULL if none. */
const struct console_cmd *cmdtab_find(const char *name);

/* Splits line in place into at most max words; "double quotes" group words with spaces
 * and \" escapes a quote. Returns the count, or -1 for an unterminated quote. */
int cmdtab_split(char *line, char **argv, int max);

/* Where completion candidates for arguments come from besides the tables. */
struct complete_src {
    const char (*themes)[64];
    size_t nthemes;
};
/* Candidates for the word that starts at byte `start` of line (the text before the cursor):
 * command names for the first word, else by the command's arg_kind. A NULL-terminated
 * malloc'd array of malloc'd strings (readline frees them), or NULL when there are none. */
char **cmdtab_complete(const char *line, size_t start, const struct complete_src *src);

/* Arguments of :filter and :requeue. */
struct filter_args {
    char status[3][12];
    int nstatus;
    int64_t job_id;             /* 0: any */
    char path[128];             /* "" any */
    int64_t ids[64];
    size_t nids;
};
/* status=S[,S...] job=N path=TEXT, a bare word is path text, a bare number a file id (when
 * allow_ids). Returns 0, or -1 with msg saying what is wrong. */
int filter_args_parse(int argc, char **argv, bool allow_ids, struct filter_args *out, char *msg,
                      size_t len);
/* "status=rejected job=12" back from parsed arguments (for the confirmation). */
void filter_args_describe(const struct filter_args *f, char *buf, size_t len);

#endif
