/* cmdtab.c - see cmdtab.h. The commands' run functions are in commands.c. */
#include "ui/cmdtab.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/fetch_files.h"
#include "ui/app.h"
#include "ui/commands.h"

const struct console_cmd console_cmds[] = {
    { "help", "[COMMAND]", "list the keys and commands, or explain one command", ARGS_COMMAND, cmd_help },
    { "requeue", "[ID...] [status=S[,S]] [job=N] [path=TEXT]",
      "requeue the selected file, the files given, or those matching (with the Files view's filter; default status=rejected,failed); lists the ids, asks for a reason",
      ARGS_REQUEUE, cmd_requeue },
    { "filter", "[status=S] [job=N] [path=TEXT | TEXT]", "filter the file list; no arguments clears it",
      ARGS_FILTER, cmd_filter },
    { "open", "ID", "open a file's detail by its id", ARGS_FILE, cmd_open },
    { "ack", "[ID] [REASON]", "acknowledge a rejected or failed file (the selected one, or ID): it stops raising the health level; audited",
      ARGS_FILE, cmd_ack },
    { "view", "dashboard|files|file|jobs|health|nodes|customer|migration", "switch view", ARGS_VIEW, cmd_view },
    { "customer", "REF [YYYY-MM-DD]",
      "the Customer view: find REF (account number, MPAN/MPRN, postcode or name); one match opens its card, ending on the date given (default yesterday)",
      ARGS_NONE, cmd_customer },
    { "migration", "", "the Migration view: a move to another server (meterops migrate), source against target",
      ARGS_NONE, cmd_migration },
    { "health", "[sessions|locks|replication|vacuum|sizes|server]",
      "the Health view, on a pane: sessions, the blocking tree (cancel, terminate), replication, vacuum, sizes, server",
      ARGS_NONE, cmd_health },
    { "sort", "COLUMN [asc|desc]", "sort the file list (id job status path rows rejected queued finished)",
      ARGS_SORT, cmd_sort },
    { "theme", "NAME", "switch colour theme", ARGS_THEME, cmd_theme },
    { "refresh", "[SECONDS]", "refresh now, or set the aggregates' refresh interval", ARGS_SECONDS, cmd_refresh },
    { "quit", "", "leave the console", ARGS_NONE, cmd_quit },
};
const size_t console_ncmds = sizeof console_cmds / sizeof console_cmds[0];

const struct console_cmd *cmdtab_find(const char *name)
{
    const struct console_cmd *found = NULL;
    size_t len = strlen(name);
    if (len == 0)
        return NULL;
    for (size_t i = 0; i < console_ncmds; i++) {
        if (strcmp(console_cmds[i].name, name) == 0)
            return &console_cmds[i];
        if (strncmp(console_cmds[i].name, name, len) == 0) {
            if (found)
                return NULL; /* ambiguous */
            found = &console_cmds[i];
        }
    }
    return found;
}

int cmdtab_split(char *line, char **argv, int max)
{
    int n = 0;
    char *r = line, *w = line;
    while (*r) {
        while (*r && isspace((unsigned char)*r))
            r++;
        if (!*r)
            break;
        if (n == max)
            return n;
        argv[n++] = w;
        bool quoted = false;
        while (*r && (quoted || !isspace((unsigned char)*r))) {
            if (*r == '"') {
                quoted = !quoted;
                r++;
            } else if (*r == '\\' && r[1] == '"') {
                *w++ = '"';
                r += 2;
            } else {
                *w++ = *r++;
            }
        }
        if (quoted)
            return -1;
        if (*r)
            r++;
        *w++ = '\0';
    }
    return n;
}

/* Candidate lists grow in a small vector. */
struct cands {
    char **v;
    size_t n, cap;
};

static void add(struct cands *c, const char *prefix, const char *s)
{
    if (strncmp(s, prefix, strlen(prefix)) != 0)
        return;
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->v[i], s) == 0)
            return;
    if (c->n + 2 > c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        char **v = realloc(c->v, cap * sizeof *v);
        if (!v)
            return;
        c->v = v;
        c->cap = cap;
    }
    char *copy = strdup(s);
    if (!copy)
        return;
    c->v[c->n++] = copy;
    c->v[c->n] = NULL;
}

static const char *const view_names[] = { "dashboard", "files", "file", "jobs", "health", "nodes", "customer", "migration" };

char **cmdtab_complete(const char *line, size_t start, const struct complete_src *src)
{
    struct cands c = { 0 };
    const char *word = line + start;
    /* Which word is being completed, and which command the line starts with. */
    char first[32] = "";
    int nword = 0;
    const char *p = line;
    while (p < word) {
        while (p < word && isspace((unsigned char)*p))
            p++;
        if (p >= word)
            break;
        const char *b = p;
        while (p < word && !isspace((unsigned char)*p))
            p++;
        if (nword == 0) {
            size_t l = (size_t)(p - b) < sizeof first - 1 ? (size_t)(p - b) : sizeof first - 1;
            memcpy(first, b, l);
            first[l] = '\0';
        }
        nword++;
    }
    if (nword == 0) {
        for (size_t i = 0; i < console_ncmds; i++)
            add(&c, word, console_cmds[i].name);
        return c.v;
    }
    const struct console_cmd *cmd = cmdtab_find(first);
    if (!cmd)
        return NULL;
    char buf[64];
    switch (cmd->kind) {
    case ARGS_COMMAND:
        if (nword == 1)
            for (size_t i = 0; i < console_ncmds; i++)
                add(&c, word, console_cmds[i].name);
        break;
    case ARGS_THEME:
        if (nword == 1 && src)
            for (size_t i = 0; i < src->nthemes; i++)
                add(&c, word, src->themes[i]);
        break;
    case ARGS_VIEW:
        if (nword == 1)
            for (size_t i = 0; i < sizeof view_names / sizeof view_names[0]; i++)
                add(&c, word, view_names[i]);
        break;
    case ARGS_SORT:
        if (nword == 1)
            for (size_t i = 0; i < FILE_SORT_COUNT; i++)
                add(&c, word, file_sort_names[i]);
        else if (nword == 2) {
            add(&c, word, "asc");
            add(&c, word, "desc");
        }
        break;
    case ARGS_FILTER:
    case ARGS_REQUEUE:
        for (size_t i = 0; i < 5; i++) {
            /* Only finished files can be requeued. */
            if (cmd->kind == ARGS_REQUEUE && i < 2)
                continue;
            snprintf(buf, sizeof buf, "status=%s", file_statuses[i]);
            add(&c, word, buf);
        }
        add(&c, word, "job=");
        add(&c, word, "path=");
        break;
    case ARGS_NONE:
    case ARGS_SECONDS:
    case ARGS_FILE:
        break;
    }
    return c.v;
}

static int parse_id(const char *s, int64_t *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end || v <= 0)
        return -1;
    *out = v;
    return 0;
}

int filter_args_parse(int argc, char **argv, bool allow_ids, struct filter_args *out, char *msg, size_t len)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "status=", 7) == 0) {
            char list[64];
            snprintf(list, sizeof list, "%s", a + 7);
            for (char *save = NULL, *s = strtok_r(list, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
                if (!file_status_valid(s)) {
                    snprintf(msg, len, "unknown status '%s' (queued, loading, loaded, rejected, failed)", s);
                    return -1;
                }
                if (out->nstatus == 3 || (!allow_ids && out->nstatus == 1)) {
                    snprintf(msg, len, "too many statuses in '%s'", a);
                    return -1;
                }
                snprintf(out->status[out->nstatus++], sizeof out->status[0], "%s", s);
            }
            if (out->nstatus == 0) {
                snprintf(msg, len, "status= needs a value");
                return -1;
            }
        } else if (strncmp(a, "job=", 4) == 0) {
            if (parse_id(a + 4, &out->job_id) < 0) {
                snprintf(msg, len, "job= needs a job id, not '%s'", a + 4);
                return -1;
            }
        } else if (strncmp(a, "path=", 5) == 0) {
            snprintf(out->path, sizeof out->path, "%s", a + 5);
        } else if (allow_ids && isdigit((unsigned char)a[0])) {
            int64_t id;
            if (parse_id(a, &id) < 0) {
                snprintf(msg, len, "'%s' is not a file id", a);
                return -1;
            }
            if (out->nids == sizeof out->ids / sizeof out->ids[0]) {
                snprintf(msg, len, "at most %zu file ids at once", sizeof out->ids / sizeof out->ids[0]);
                return -1;
            }
            out->ids[out->nids++] = id;
        } else if (!allow_ids && !strchr(a, '=')) {
            if (out->path[0]) {
                snprintf(msg, len, "one path text at a time ('%s' and '%s'); quote text with spaces", out->path, a);
                return -1;
            }
            snprintf(out->path, sizeof out->path, "%s", a);
        } else {
            snprintf(msg, len, "'%s' is not status=, job=, path=%s", a, allow_ids ? " or a file id" : " or path text");
            return -1;
        }
    }
    if (out->nids && (out->nstatus || out->job_id || out->path[0])) {
        snprintf(msg, len, "give file ids or a filter, not both");
        return -1;
    }
    return 0;
}

void filter_args_describe(const struct filter_args *f, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = '\0';
    if (f->nstatus) {
        o += (size_t)snprintf(buf + o, len - o, "status=");
        for (int i = 0; i < f->nstatus && o < len; i++)
            o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? "," : "", f->status[i]);
    }
    if (f->job_id && o < len)
        o += (size_t)snprintf(buf + o, len - o, "%sjob=%lld", o ? " " : "", (long long)f->job_id);
    if (f->path[0] && o < len)
        snprintf(buf + o, len - o, "%spath=%s", o ? " " : "", f->path);
}
