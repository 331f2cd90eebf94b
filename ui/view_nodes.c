/* view_nodes.c - the Nodes view: the nodes of a Citus cluster (the coordinator, then each
 * worker) with their health, shard placements and their size, and client connections,
 * and the newest shard rebalance with its progress (moves done of planned). On plain
 * PostgreSQL it says there is no cluster. Refreshed with the console's timer. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "backend/action_rebalance.h"
#include "backend/textfmt.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/views.h"
#include "ui/widget_table.h"

static size_t nodes_count(const void *ctx)
{
    const struct app *app = ctx;
    return app->nodes.rows ? app->nodes.rows->n : 0;
}

static int64_t nodes_id(const void *ctx, size_t i)
{
    const struct app *app = ctx;
    return app->nodes.rows->rows[i].port; /* with the host, unique; the port suffices to keep a selection */
}

static const struct list_ops nodes_list_ops = { .count = nodes_count, .id = nodes_id };

static void nodes_init(struct app *app)
{
    list_init(&app->nodes.list, &nodes_list_ops, app);
}

static void nodes_done(void *ctx, uint64_t tag, struct node_list *l, const struct mo_err *err)
{
    struct app *app = ctx;
    struct nodes_state *s = &app->nodes;
    if (!list_answer(&s->list, tag)) {
        node_list_free(l);
        return;
    }
    app->dirty = true;
    if (!l) {
        list_fail(&s->list, err->message);
        return;
    }
    int64_t keep = list_selected_id(&s->list);
    node_list_free(s->rows);
    s->rows = l;
    list_ok(&s->list);
    list_rows_changed(&s->list, keep);
}

static void fetch(struct app *app)
{
    struct list *l = &app->nodes.list;
    if (!list_may_request(l))
        return;
    struct mo_err err;
    if (nodes_fetch(app->db, nodes_done, app, l->gen, &err) == 0)
        list_sent(l);
    else
        list_fail(l, err.message);
}

static void nodes_enter(struct app *app) { fetch(app); }

/* A rebalance still in Citus's hands: a second one would be refused. */
static int rebalance_busy(const struct node_list *l)
{
    static const char *const ending[] = { "finished", "failed", "cancelled", "failing", "cancelling" };
    if (!l || !l->rebalance_job || !l->rebalance_state)
        return 0;
    for (size_t i = 0; i < sizeof ending / sizeof ending[0]; i++)
        if (strcmp(l->rebalance_state, ending[i]) == 0)
            return 0;
    return 1;
}

void nodes_rebalance_ask(struct app *app)
{
    const struct node_list *l = app->nodes.rows;
    if (!l) {
        app_message(app, MSG_WARN, "the nodes are not known yet");
        return;
    }
    if (l->n == 0) {
        app_message(app, MSG_ERROR, "no rebalance: this database is not a Citus coordinator");
        return;
    }
    if (rebalance_busy(l)) {
        app_message(app, MSG_WARN, "rebalance #%lld is still %s", (long long)l->rebalance_job, l->rebalance_state);
        return;
    }
    /* Within 80 columns: readline scrolls a longer prompt out of sight. */
    app_prompt(app, PROMPT_REBALANCE, "rebalance shards onto all workers (block_writes)? reason: ");
}

static void rebalance_started(void *ctx, int64_t job, const struct mo_err *err)
{
    struct app *app = ctx;
    if (err)
        app_message(app, MSG_ERROR, "rebalance refused: %s", err->message);
    else if (job == 0)
        app_message(app, MSG_OK, "nothing to move: the shards are balanced");
    else
        app_message(app, MSG_OK, "rebalance #%lld started (written to audit_log)", (long long)job);
    fetch(app);
}

void nodes_rebalance_reason(struct app *app, const char *reason)
{
    while (isspace((unsigned char)*reason))
        reason++;
    if (!*reason) {
        app_message(app, MSG_WARN, "rebalance cancelled: a reason is required");
        return;
    }
    struct mo_err err;
    if (rebalance_run(app->db, reason, rebalance_started, app, &err) < 0)
        app_message(app, MSG_ERROR, "rebalance: %s", err.message);
    else
        app_message(app, MSG_INFO, "starting a rebalance...");
}
static void nodes_refresh(struct app *app) { fetch(app); }

static void cell(void *ctx, size_t r, int col, int width, char *buf, size_t len, int *role)
{
    struct app *app = ctx;
    const struct node_row *d = &app->nodes.rows->rows[r];
    switch (col) {
    case 0: {
        /* a long host (a socket directory) loses its start, never the port */
        char whole[600];
        int n = snprintf(whole, sizeof whole, "%s:%d", d->node, d->port);
        if (n > width && width > 4 && n < (int)sizeof whole)
            snprintf(buf, len, "..%s", whole + n - (width - 2));
        else
            snprintf(buf, len, "%s", whole);
        break;
    }
    case 1: snprintf(buf, len, "%s", d->role); break;
    case 2:
        if (!d->active) {
            snprintf(buf, len, "inactive");
            *role = ROLE_WARN;
        } else if (!d->reachable) {
            snprintf(buf, len, "DOWN");
            *role = ROLE_ERROR;
        } else {
            snprintf(buf, len, "ok");
            *role = ROLE_OK;
        }
        break;
    case 3: snprintf(buf, len, "%lld", (long long)d->shards); break;
    case 4:
        if (d->bytes < 0)
            snprintf(buf, len, "-");
        else
            fmt_bytes(buf, len, d->bytes);
        break;
    case 5:
        if (d->connections < 0)
            snprintf(buf, len, "-");
        else
            snprintf(buf, len, "%lld", (long long)d->connections);
        break;
    }
}

static void nodes_draw(struct app *app, WINDOW *w, int top, int h, int width)
{
    struct nodes_state *n = &app->nodes;
    const struct screen *s = &app->scr;
    char line[400];
    const struct node_list *l = n->rows;
    if (l && l->rebalance_job)
        snprintf(line, sizeof line, " Nodes  %zu   rebalance #%lld %s: %lld of %lld moves done", l->n,
                 (long long)l->rebalance_job, l->rebalance_state, (long long)l->tasks_done,
                 (long long)l->tasks_total);
    else if (l && l->n == 0)
        snprintf(line, sizeof line, " Nodes  none: not a Citus coordinator (one server)");
    else if (l)
        snprintf(line, sizeof line, " Nodes  %zu   no rebalance has run", l->n);
    else
        snprintf(line, sizeof line, " Nodes  %s", n->list.err[0] ? "" : "loading...");
    int x = draw_text(w, top, 0, width, s->attr[ROLE_TITLE], line, NULL);
    if (n->list.err[0]) {
        x += draw_text(w, top, x, width - x, s->attr[ROLE_NORMAL], "   ", NULL);
        x += draw_text(w, top, x, width - x, s->attr[ROLE_ERROR], n->list.err, s->g.ellipsis);
    }
    draw_fill(w, top, x, width - x, s->attr[ROLE_NORMAL]);
    static const struct table_col cols[] = {
        { "Node", 0, 0 }, { "Role", 11, 0 }, { "Health", 8, 0 }, { "Shards", 6, 1 },
        { "Shard size", 10, 1 }, { "Conns", 5, 1 },
    };
    table_draw(app, w, top + 1, h - 1, width, cols, 6, &n->list, cell, app, -1);
}

static void nodes_move(struct app *app, long delta)
{
    list_move(&app->nodes.list, delta);
}

static void nodes_click(struct app *app, int row)
{
    table_click(&app->nodes.list, 1, row);
}

const struct view_ops view_nodes = {
    .name = "nodes", .title = "Nodes", .enter = nodes_enter, .tick = nodes_refresh, .draw = nodes_draw,
    .select = nodes_move, .click = nodes_click, .init = nodes_init,
};
