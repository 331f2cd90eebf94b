/* commands.c - what the `:` commands of cmdtab.c do, what happens when a prompt ends, and
 * the requeue flow they share with the `r` key: find the files, confirm with their count
 * and a reason, requeue through backend/action_requeue.h, and report PostgreSQL's answer
 * (including a refusal) in the status line. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/action_ack.h"
#include "backend/action_requeue.h"
#include "ui/app.h"
#include "ui/cmdline.h"
#include "ui/cmdtab.h"
#include "ui/commands.h"
#include "ui/views.h"

int cmd_help(struct app *app, int argc, char **argv)
{
    if (argc > 1) {
        const struct console_cmd *c = cmdtab_find(argv[1]);
        if (!c) {
            app_message(app, MSG_ERROR, "no command '%s' (:help lists them)", argv[1]);
            return -1;
        }
        app_message(app, MSG_INFO, ":%s %s  %s", c->name, c->args, c->help);
        return 0;
    }
    app->help = true;
    app->help_top = 0;
    app->dirty = true;
    return 0;
}

int cmd_quit(struct app *app, int argc, char **argv)
{
    (void)argc; (void)argv;
    app->quit = true;
    return 0;
}

int cmd_view(struct app *app, int argc, char **argv)
{
    if (argc != 2) {
        app_message(app, MSG_ERROR, "usage: :view dashboard|files|file|jobs|health|nodes|customer|migration");
        return -1;
    }
    for (int v = 0; v < VIEW_COUNT; v++) {
        if (strcmp(argv[1], app_views[v]->name) == 0) {
            app_switch(app, (enum view_id)v);
            return 0;
        }
    }
    app_message(app, MSG_ERROR, "no view '%s' (dashboard, files, file, jobs, health, nodes, customer, migration)", argv[1]);
    return -1;
}

/* :health [PANE]: the Health view, on a pane (sessions, locks, replication, ...). */
int cmd_health(struct app *app, int argc, char **argv)
{
    if (argc > 2) {
        app_message(app, MSG_ERROR, "usage: :health [sessions|locks|replication|vacuum|sizes|server]");
        return -1;
    }
    if (argc == 2) {
        if (health_show_pane(app, argv[1]) < 0) {
            app_message(app, MSG_ERROR, "no pane '%s' (sessions, locks, replication, vacuum, sizes, server)", argv[1]);
            return -1;
        }
        return 0;
    }
    app_switch(app, VIEW_HEALTH);
    return 0;
}

/* :migration: the Migration view. */
int cmd_migration(struct app *app, int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        app_message(app, MSG_ERROR, "usage: :migration");
        return -1;
    }
    app_switch(app, VIEW_MIGRATION);
    return 0;
}

/* :customer REF [DATE]: the Customer view's search, as `/` there. */
int cmd_customer(struct app *app, int argc, char **argv)
{
    if (argc < 2) {
        app_message(app, MSG_ERROR, "usage: :customer REF [YYYY-MM-DD] (account number, MPAN/MPRN, postcode or name)");
        return -1;
    }
    char line[300];
    size_t o = 0;
    line[0] = '\0';
    for (int i = 1; i < argc && o < sizeof line; i++)
        o += (size_t)snprintf(line + o, sizeof line - o, "%s%s", i > 1 ? " " : "", argv[i]);
    app_switch(app, VIEW_CUSTOMER);
    customer_search(app, line);
    return 0;
}

int cmd_open(struct app *app, int argc, char **argv)
{
    char *end = NULL;
    long long id = argc == 2 ? strtoll(argv[1], &end, 10) : 0;
    if (argc != 2 || !end || *end || id <= 0) {
        app_message(app, MSG_ERROR, "usage: :open FILE_ID");
        return -1;
    }
    app_open_file(app, id);
    return 0;
}

int cmd_sort(struct app *app, int argc, char **argv)
{
    int desc = -1;
    if (argc == 3 && strcmp(argv[2], "asc") == 0)
        desc = 0;
    else if (argc == 3 && strcmp(argv[2], "desc") == 0)
        desc = 1;
    else if (argc != 2) {
        app_message(app, MSG_ERROR, "usage: :sort COLUMN [asc|desc]");
        return -1;
    }
    if (files_sort_by(app, argv[1], desc) < 0) {
        app_message(app, MSG_ERROR, "no sort column '%s' (id job status path rows rejected queued finished)", argv[1]);
        return -1;
    }
    app_switch(app, VIEW_FILES);
    app_message(app, MSG_INFO, "sorted by %s, %s", argv[1], app->files.list.desc ? "descending" : "ascending");
    return 0;
}

int cmd_filter(struct app *app, int argc, char **argv)
{
    struct filter_args fa;
    char msg[200];
    if (filter_args_parse(argc - 1, argv + 1, false, &fa, msg, sizeof msg) < 0) {
        app_message(app, MSG_ERROR, "filter: %s", msg);
        return -1;
    }
    struct file_filter f;
    memset(&f, 0, sizeof f);
    if (fa.nstatus)
        snprintf(f.status, sizeof f.status, "%s", fa.status[0]);
    f.job_id = fa.job_id;
    snprintf(f.text, sizeof f.text, "%s", fa.path);
    files_set_filter(app, &f);
    app_switch(app, VIEW_FILES);
    char d[200];
    filter_args_describe(&fa, d, sizeof d);
    app_message(app, MSG_INFO, d[0] ? "filter: %s" : "filter cleared%s", d);
    return 0;
}

int cmd_requeue(struct app *app, int argc, char **argv)
{
    if (argc == 1) {
        app_requeue_selected(app);
        return 0;
    }
    struct filter_args fa;
    char msg[200];
    if (filter_args_parse(argc - 1, argv + 1, true, &fa, msg, sizeof msg) < 0) {
        app_message(app, MSG_ERROR, "requeue: %s", msg);
        return -1;
    }
    if (fa.nids) {
        char what[64] = "";
        if (fa.nids == 1)
            snprintf(what, sizeof what, "#%lld", (long long)fa.ids[0]);
        app_requeue_confirm(app, fa.ids, fa.nids, what);
        return 0;
    }
    /* What the Files view is filtered by applies too, unless the command says otherwise:
     * the operator requeues what the view shows. */
    const struct file_filter *vf = &app->files.filter;
    if (!fa.nstatus && vf->status[0]) {
        snprintf(fa.status[0], sizeof fa.status[0], "%s", vf->status);
        fa.nstatus = 1;
    }
    if (!fa.job_id && vf->job_id)
        fa.job_id = vf->job_id;
    if (!fa.path[0] && vf->text[0])
        snprintf(fa.path, sizeof fa.path, "%s", vf->text);
    for (int i = 0; i < fa.nstatus; i++) {
        if (strcmp(fa.status[i], "queued") == 0 || strcmp(fa.status[i], "loading") == 0) {
            app_message(app, MSG_ERROR, "requeue: %s files cannot be requeued, only loaded, rejected or failed ones",
                        fa.status[i]);
            return -1;
        }
    }
    const char *statuses[4] = { NULL, NULL, NULL, NULL };
    for (int i = 0; i < fa.nstatus; i++)
        statuses[i] = fa.status[i];
    char what[200];
    filter_args_describe(&fa, what, sizeof what);
    app_requeue_matching(app, fa.nstatus ? statuses : NULL, fa.job_id, fa.path, what);
    return 0;
}

int cmd_theme(struct app *app, int argc, char **argv)
{
    if (argc != 2) {
        app_message(app, MSG_ERROR, "usage: :theme NAME (Tab lists them)");
        return -1;
    }
    return app_set_theme(app, argv[1]);
}

int cmd_refresh(struct app *app, int argc, char **argv)
{
    if (argc == 1) {
        app_refresh_now(app);
        app_message(app, MSG_INFO, "refreshing");
        return 0;
    }
    char *end;
    long s = strtol(argv[1], &end, 10);
    if (argc != 2 || *end || s < 1 || s > 3600) {
        app_message(app, MSG_ERROR, "usage: :refresh [SECONDS] (1 to 3600)");
        return -1;
    }
    app->opts.refresh_s = (int)s;
    app_refresh_now(app);
    app_message(app, MSG_INFO, "aggregates refresh every %ld s", s);
    return 0;
}

/* --- requeue ------------------------------------------------------------------------- */

static const char *basename_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

void app_requeue_confirm(struct app *app, const int64_t *ids, size_t n, const char *what)
{
    if (cmdline_active()) {
        app_message(app, MSG_WARN, "requeue: finish the prompt first");
        return;
    }
    free(app->requeue_ids);
    app->requeue_ids = malloc(n * sizeof *ids);
    if (!app->requeue_ids) {
        app->nrequeue = 0;
        app_message(app, MSG_ERROR, "requeue: out of memory");
        return;
    }
    memcpy(app->requeue_ids, ids, n * sizeof *ids);
    app->nrequeue = n;
    char prompt[300];
    snprintf(prompt, sizeof prompt, "requeue %zu file%s%s%s%s? reason: ", n, n == 1 ? "" : "s",
             what && *what ? " (" : "", what && *what ? what : "", what && *what ? ")" : "");
    app_prompt(app, PROMPT_REQUEUE, prompt);
}

void app_requeue_selected(struct app *app)
{
    const struct file_row *r = NULL;
    if (app->view == VIEW_FILES)
        r = files_selected(app);
    else if (app->view == VIEW_FILE)
        r = file_current(app);
    if (!r) {
        app_message(app, MSG_WARN, "requeue: select a file first (Files view), or :requeue ID or a filter");
        return;
    }
    if (strcmp(r->status, "queued") == 0 || strcmp(r->status, "loading") == 0) {
        app_message(app, MSG_WARN, "file %lld is %s: only loaded, rejected or failed files can be requeued",
                    (long long)r->file_id, r->status);
        return;
    }
    char what[300];
    snprintf(what, sizeof what, "#%lld %s, %s", (long long)r->file_id, basename_of(r->path), r->status);
    app_requeue_confirm(app, &r->file_id, 1, what);
}

/* The ids a filter found, on the status line above the prompt, as many as fit. */
static void list_ids(struct app *app, const int64_t *ids, size_t n)
{
    char buf[512];
    int room = app->scr.cols - 2 < (int)sizeof buf - 1 ? app->scr.cols - 2 : (int)sizeof buf - 1;
    int o = snprintf(buf, sizeof buf, "file%s", n == 1 ? "" : "s");
    size_t i = 0;
    for (; i < n; i++) {
        char id[32], more[48];
        int w = snprintf(id, sizeof id, " #%lld", (long long)ids[i]);
        int mw = i + 1 < n ? snprintf(more, sizeof more, " and %zu more", n - i - 1) : 0;
        if (o + w + mw > room)
            break;
        memcpy(buf + o, id, (size_t)w + 1);
        o += w;
    }
    if (i < n)
        snprintf(buf + o, sizeof buf - (size_t)o, " and %zu more", n - i);
    app_message(app, MSG_INFO, "%s", buf);
}

struct match_ctx {
    struct app *app;
    char what[200];
};

static void matched(void *vctx, uint64_t tag, const int64_t *ids, size_t n, const struct mo_err *err)
{
    struct match_ctx *m = vctx;
    struct app *app = m->app;
    if (tag == app->requeue_gen) {
        if (err)
            app_message(app, MSG_ERROR, "requeue refused: %s", err->message);
        else if (n == 0)
            app_message(app, MSG_WARN, "requeue: no file matches %s (only loaded, rejected or failed files can be requeued)",
                        m->what[0] ? m->what : "status=rejected,failed");
        else {
            list_ids(app, ids, n);
            app_requeue_confirm(app, ids, n, m->what);
        }
    }
    free(m);
}

void app_requeue_matching(struct app *app, const char *const *statuses, int64_t job_id, const char *path_text,
                          const char *described)
{
    struct match_ctx *m = calloc(1, sizeof *m);
    if (!m)
        return;
    m->app = app;
    snprintf(m->what, sizeof m->what, "%s", described ? described : "");
    struct requeue_filter f = { { NULL, NULL, NULL }, job_id, path_text };
    for (int i = 0; statuses && i < 3 && statuses[i]; i++)
        f.statuses[i] = statuses[i];
    struct mo_err err;
    if (requeue_match(app->db, &f, matched, m, ++app->requeue_gen, &err) < 0) {
        app_message(app, MSG_ERROR, "requeue: %s", err.message);
        free(m);
        return;
    }
    app_message(app, MSG_INFO, "requeue: finding the files %s", described ? described : "");
}

/* Whether the last dashboard answer saw no live loader (meterops.loader heartbeats). */
static bool no_live_loader(const struct app *app)
{
    const struct dashboard *d = dash_loaders_answer(app);
    return d && (d->parts_ok & DASH_LOADERS) && d->live_loaders == 0;
}

static void requeued(void *ctx, uint64_t tag, size_t n, const struct mo_err *err)
{
    (void)tag;
    struct app *app = ctx;
    if (err)
        app_message(app, MSG_ERROR, "requeue refused, nothing was requeued: %s", err->message);
    else if (no_live_loader(app))
        app_message(app, MSG_WARN, "requeued %zu file%s, but no loader is alive to take %s",
                    n, n == 1 ? "" : "s", n == 1 ? "it" : "them");
    else
        app_message(app, MSG_OK, "requeued %zu file%s", n, n == 1 ? "" : "s");
    app_refresh_now(app);
}

/* --- ack ------------------------------------------------------------------------------ */

static void acked(void *ctx, uint64_t tag, const struct mo_err *err)
{
    struct app *app = ctx;
    int64_t file_id = (int64_t)tag;
    if (err)
        app_message(app, MSG_ERROR, "ack of file %lld refused: %s", (long long)file_id, err->message);
    else
        app_message(app, MSG_OK, "file %lld acknowledged: it no longer raises the health level",
                    (long long)file_id);
    app_refresh_now(app);
}

static void ack_with_reason(struct app *app, int64_t file_id, const char *line)
{
    while (isspace((unsigned char)*line))
        line++;
    if (!*line) {
        app_message(app, MSG_WARN, "ack cancelled: a reason is required");
        return;
    }
    struct mo_err err;
    if (ack_run(app->db, file_id, line, acked, app, &err) < 0)
        app_message(app, MSG_ERROR, "ack: %s", err.message);
    else
        app_message(app, MSG_INFO, "acknowledging file %lld", (long long)file_id);
}

/* :ack [ID] [REASON...]: the file given, else the one selected (dashboard's "Failed or
 * rejected", the Files list, the open file); without a reason it asks for one. */
int cmd_ack(struct app *app, int argc, char **argv)
{
    int64_t id = 0;
    int from = 1;
    char *end = NULL;
    if (argc > 1) {
        long long v = strtoll(argv[1], &end, 10);
        if (end && !*end && v > 0) {
            id = v;
            from = 2;
        }
    }
    if (!id) {
        const struct file_row *r = NULL;
        if (app->view == VIEW_DASHBOARD)
            id = dash_selected_problem(app);
        else if (app->view == VIEW_FILES && (r = files_selected(app)))
            id = r->file_id;
        else if (app->view == VIEW_FILE && (r = file_current(app)))
            id = r->file_id;
    }
    if (!id) {
        app_message(app, MSG_ERROR, "ack: select a failed or rejected file first, or :ack ID REASON");
        return -1;
    }
    char reason[400] = "";
    size_t o = 0;
    for (int i = from; i < argc && o < sizeof reason; i++)
        o += (size_t)snprintf(reason + o, sizeof reason - o, "%s%s", i > from ? " " : "", argv[i]);
    if (reason[0]) {
        ack_with_reason(app, id, reason);
        return 0;
    }
    app->ack_id = id;
    char prompt[80];
    snprintf(prompt, sizeof prompt, "ack file %lld? reason: ", (long long)id);
    app_prompt(app, PROMPT_ACK, prompt);
    return 0;
}

static void requeue_with_reason(struct app *app, const char *line)
{
    char reason[400];
    while (isspace((unsigned char)*line))
        line++;
    snprintf(reason, sizeof reason, "%s", line);
    size_t l = strlen(reason);
    while (l && isspace((unsigned char)reason[l - 1]))
        reason[--l] = '\0';
    if (!reason[0]) {
        app_message(app, MSG_WARN, "requeue cancelled: a reason is required");
        return;
    }
    struct mo_err err;
    if (requeue_run(app->db, app->requeue_ids, app->nrequeue, reason, requeued, app, 0, &err) < 0)
        app_message(app, MSG_ERROR, "requeue: %s", err.message);
    else
        app_message(app, MSG_INFO, "requeueing %zu file%s", app->nrequeue, app->nrequeue == 1 ? "" : "s");
}

/* --- prompts ------------------------------------------------------------------------- */

static void run_command(struct app *app, const char *line)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", line);
    char *argv[80];
    int argc = cmdtab_split(buf, argv, 80);
    if (argc < 0) {
        app_message(app, MSG_ERROR, "unterminated quote");
        return;
    }
    if (argc == 0)
        return;
    const struct console_cmd *c = cmdtab_find(argv[0]);
    if (!c) {
        app_message(app, MSG_ERROR, "unknown command '%s' (:help lists them; Tab completes)", argv[0]);
        return;
    }
    /* a support login has the Customer and Health views: commands about loads are not its own */
    static const char *const support_cmds[] = { "help", "customer", "health", "view", "theme", "refresh", "quit" };
    bool mine = !app->support_only;
    for (size_t i = 0; i < sizeof support_cmds / sizeof support_cmds[0] && !mine; i++)
        mine = strcmp(c->name, support_cmds[i]) == 0;
    if (!mine) {
        app_message(app, MSG_INFO, ":%s is hidden for the support desk: it acts on loads (meterops_operator)", c->name);
        return;
    }
    c->run(app, argc, argv);
}

void app_prompt_done(struct app *app, enum prompt_kind kind, const char *line)
{
    app->prompt = PROMPT_NONE;
    app->dirty = true;
    if (!line) {
        if (kind == PROMPT_REQUEUE)
            app_message(app, MSG_INFO, "requeue cancelled");
        else if (kind == PROMPT_ACK)
            app_message(app, MSG_INFO, "ack cancelled");
        else if (kind == PROMPT_REBALANCE)
            app_message(app, MSG_INFO, "rebalance cancelled");
        else if (kind == PROMPT_SIGNAL)
            app_message(app, MSG_INFO, "%s cancelled", app->health.sig_terminate ? "terminate" : "cancel");
        return;
    }
    switch (kind) {
    case PROMPT_COMMAND:
        run_command(app, line);
        break;
    case PROMPT_FILTER: {
        struct file_filter f = app->files.filter;
        snprintf(f.text, sizeof f.text, "%s", line);
        files_set_filter(app, &f);
        app_message(app, MSG_INFO, line[0] ? "path filter: \"%s\"" : "path filter cleared%s", line);
        break;
    }
    case PROMPT_SEARCH:
        file_search(app, line);
        break;
    case PROMPT_REQUEUE:
        requeue_with_reason(app, line);
        break;
    case PROMPT_ACK:
        ack_with_reason(app, app->ack_id, line);
        break;
    case PROMPT_HEALTH_FILTER:
        health_set_filter(app, line);
        break;
    case PROMPT_SIGNAL:
        health_signal_reason(app, line);
        break;
    case PROMPT_REBALANCE:
        nodes_rebalance_reason(app, line);
        break;
    case PROMPT_CUSTOMER:
        customer_search(app, line);
        break;
    case PROMPT_NONE:
        break;
    }
}
