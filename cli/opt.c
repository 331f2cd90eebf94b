/* opt.c - see opt.h. */
#include "cli/opt.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"

/* getopt_long's value for option i: its short letter, else one above any character. */
#define LONG_ONLY_BASE 256

void cli_parser_init(struct cli_parser *p, const struct cli_spec *spec, int argc, char **argv)
{
    memset(p, 0, sizeof *p);
    p->spec = spec;
    p->argc = argc;
    p->argv = argv;
    size_t n = 0, s = 0;
    for (; spec->opts[n].name && n < CLI_MAX_OPTS; n++) {
        const struct cli_opt *o = &spec->opts[n];
        int has_arg = o->kind == CLI_FLAG ? no_argument : required_argument;
        p->longopts[n] = (struct option){ o->name, has_arg, NULL,
                                          o->short_name ? o->short_name : LONG_ONLY_BASE + (int)n };
        if (o->short_name) {
            p->shortopts[s++] = o->short_name;
            if (has_arg == required_argument)
                p->shortopts[s++] = ':';
        }
    }
    p->longopts[n] = (struct option){ "help", no_argument, NULL, 'h' };
    p->shortopts[s++] = 'h';
    p->shortopts[s] = '\0';
    optind = 1;
}

/* The table index of getopt_long's answer c; -1 when it is none of them. */
static int index_of(const struct cli_parser *p, int c)
{
    if (c >= LONG_ONLY_BASE)
        return c - LONG_ONLY_BASE;
    for (int i = 0; p->spec->opts[i].name; i++)
        if (p->spec->opts[i].short_name == c)
            return i;
    return -1;
}

static int parse_real(const char *cmd, const char *opt, const char *s, double min, double max,
                      double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !(v >= min && v <= max)) {
        cli_error(cmd, "%s needs a number from %g to %g, not '%s'", opt, min, max, s);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_u64(const char *cmd, const char *opt, const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = s[0] == '-' ? 0 : strtoull(s, &end, 10);
    if (s[0] == '-' || end == s || *end || errno) {
        cli_error(cmd, "%s needs a whole number from 0 to %llu, not '%s'", opt,
                  (unsigned long long)UINT64_MAX, s);
        return -1;
    }
    *out = v;
    return 0;
}

/* Checks and converts the value of option i into p. */
static int take_value(struct cli_parser *p, int i)
{
    const struct cli_opt *o = &p->spec->opts[i];
    char name[64];
    snprintf(name, sizeof name, "--%s", o->name);
    p->arg = optarg;
    switch (o->kind) {
    case CLI_FLAG:
    case CLI_STRING:
        return 0;
    case CLI_INT:
        return cli_parse_int(p->spec->cmd, name, optarg, (int)o->min, (int)o->max, &p->ival);
    case CLI_REAL:
        return parse_real(p->spec->cmd, name, optarg, o->min, o->max, &p->rval);
    case CLI_U64:
        return parse_u64(p->spec->cmd, name, optarg, &p->uval);
    }
    return -1;
}

int cli_next(struct cli_parser *p)
{
    int c = getopt_long(p->argc, p->argv, p->shortopts, p->longopts, NULL);
    if (c == -1)
        return CLI_DONE;
    if (c == 'h' && index_of(p, c) < 0)
        return CLI_HELP;
    int i = index_of(p, c);
    if (i < 0)
        return CLI_USAGE;
    return take_value(p, i) < 0 ? CLI_BAD : i;
}

int cli_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end || errno || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int cli_parse_int(const char *cmd, const char *opt, const char *s, int min, int max, int *out)
{
    int64_t v;
    if (cli_parse_i64(s, min, max, &v) < 0) {
        cli_error(cmd, "%s needs a whole number from %d to %d, not '%s'", opt, min, max, s);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* Where option help starts: after the widest "  --name ARG", within reason. */
static int help_column(const struct cli_opt *opts)
{
    int width = 0;
    for (int i = 0; opts[i].name; i++) {
        int w = 4 + (int)strlen(opts[i].name) + (opts[i].arg ? 1 + (int)strlen(opts[i].arg) : 0);
        if (w > width && w <= 26)
            width = w;
    }
    return width + 2;
}

/* Appends to buf, which grows; returns -1 when out of memory. */
static int append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t c = (*cap + n + 1) * 2;
        char *b = realloc(*buf, c);
        if (!b)
            return -1;
        *buf = b;
        *cap = c;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = '\0';
    return 0;
}

/* One option's lines of --help, into buf (still a printf format). */
static int option_lines(char **buf, size_t *len, size_t *cap, const struct cli_opt *o, int col)
{
    char head[128];
    int w = snprintf(head, sizeof head, "  --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
    if (append(buf, len, cap, head, (size_t)w) < 0)
        return -1;
    const char *line = o->help;
    int pad = col - w > 1 ? col - w : 1;
    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        char spaces[64];
        memset(spaces, ' ', sizeof spaces);
        if (append(buf, len, cap, spaces, (size_t)(pad < 64 ? pad : 63)) < 0 ||
            append(buf, len, cap, line, n) < 0 || append(buf, len, cap, "\n", 1) < 0)
            return -1;
        line += n + (nl ? 1 : 0);
        pad = col;
    }
    return 0;
}

void cli_usage(FILE *out, const struct cli_spec *spec, ...)
{
    char *fmt = NULL;
    size_t len = 0, cap = 0;
    int col = help_column(spec->opts);
    int rc = append(&fmt, &len, &cap, spec->synopsis, strlen(spec->synopsis));
    for (int i = 0; rc == 0 && spec->opts[i].name; i++)
        rc = option_lines(&fmt, &len, &cap, &spec->opts[i], col);
    if (rc == 0 && spec->epilogue[0])
        rc = append(&fmt, &len, &cap, "\n", 1) < 0 ||
             append(&fmt, &len, &cap, spec->epilogue, strlen(spec->epilogue)) < 0 ? -1 : 0;
    if (rc == 0) {
        va_list ap;
        va_start(ap, spec);
        vfprintf(out, fmt, ap);
        va_end(ap);
    }
    free(fmt);
}

void cli_list_options(FILE *out, const struct cli_spec *spec)
{
    for (int i = 0; spec->opts[i].name; i++)
        fprintf(out, "%s --%s\n", spec->cmd, spec->opts[i].name);
}
