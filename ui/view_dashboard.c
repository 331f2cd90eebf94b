/* view_dashboard.c - the dashboard: the sections of dash_section.h one under the other
 * (the queue and the last 24 h of files, throughput, each loading file with a progress bar
 * and ETA, COPYs in flight, meters, database health and the checks `meterops status` exits
 * with). This file asks for a refresh, takes the answer, and lays the sections out; each
 * section fetches and draws itself. All six parts come back together: they run one after
 * the other on the console's one connection, so a slow part delays those behind it anyway. */
#include <limits.h>
#include <stdio.h>

#include "ui/app.h"
#include "ui/dash_section.h"
#include "ui/draw.h"
#include "ui/views.h"

/* "Failed or rejected": the selected file stays selected when the list moves under it. */
static void problems_keep_selection(struct app *app)
{
    const struct dashboard *d = app->dash.d;
    size_t n = d ? d->nproblems : 0;
    for (size_t i = 0; i < n; i++)
        if (d->problems[i].file_id == app->dash.problem_id) {
            app->dash.problem_sel = i;
            return;
        }
    if (app->dash.problem_sel >= n)
        app->dash.problem_sel = n ? n - 1 : 0;
    app->dash.problem_id = n ? d->problems[app->dash.problem_sel].file_id : 0;
}

static void dash_done(void *ctx, uint64_t tag, struct dashboard *d)
{
    (void)tag;
    struct app *app = ctx;
    app->dash.inflight = false;
    if (app->dash.again) {
        app->dash.again = false;
        app->dash.due_ms = dba_now_ms() + 300;
    }
    app->iterations_done++;
    app->dirty = true;
    if (d->parts_ok == 0 && app->dash.d) {
        /* Nothing came back (the connection went while it was asked): the last figures,
         * with their time and the banner above them, say more than a page of errors. */
        dashboard_free(d);
        return;
    }
    for (size_t i = 0; i < dash_nsections; i++)
        if (dash_sections[i]->answer)
            dash_sections[i]->answer(app, d);
    dashboard_free(app->dash.d);
    app->dash.d = d;
    app->dash.at = app_now();
    problems_keep_selection(app);
}

void dashboard_tick(struct app *app)
{
    if (app->dash.inflight) {
        /* Do it once this one has answered rather than spin on a due time now. */
        app->dash.again = app->dash.due_ms != 0;
        app->dash.due_ms = 0;
        return;
    }
    long long now = dba_now_ms();
    unsigned parts = 0;
    for (size_t i = 0; i < dash_nsections; i++)
        parts |= dash_sections[i]->fetch(app, now);
    struct dash_params p = { .silent_days = app->opts.silent_days, .max_loading = 50 };
    struct mo_err err;
    app->dash.sent_ms = now;
    app->dash.due_ms = 0;
    if (dashboard_fetch(app->db, &p, parts, dash_done, app, 0, &err) < 0) {
        /* Not connected: the banner says so; this still counts as a refresh drawn. */
        app->iterations_done++;
        app->dirty = true;
        return;
    }
    app->dash.inflight = true;
}

static void dash_enter(struct app *app)
{
    (void)app;
}

static void dash_refresh(struct app *app)
{
    (void)app; /* dashboard_tick runs on every refresh whatever the view */
}

static void dash_draw(struct app *app, WINDOW *w, int top, int h, int width)
{
    const struct screen *s = &app->scr;
    struct dash_frame f = { .app = app, .w = w, .width = width, .end = top + h, .d = app->dash.d };
    int y = top;
    if (!f.d) {
        struct dash_line l = dash_line_at(&f, y++);
        dash_seg(&l, ROLE_DIM, "waiting for the first answer from the database %s", s->g.ellipsis);
        dash_line_end(&l);
    } else {
        for (size_t i = 0; i < dash_nsections; i++) {
            f.below = 0;
            for (size_t k = i + 1; k < dash_nsections; k++)
                f.below += dash_sections[k]->min_height;
            y = dash_sections[i]->draw(&f, y);
        }
    }
    while (y < f.end)
        draw_fill(w, y++, 0, width, s->attr[ROLE_NORMAL]);
}

/* j/k move in "Failed or rejected". */
static void dash_select(struct app *app, long delta)
{
    const struct dashboard *d = app->dash.d;
    if (!d || d->nproblems == 0)
        return;
    long n = (long)d->nproblems, at = (long)app->dash.problem_sel;
    if (delta == LONG_MIN)
        at = 0;
    else if (delta == LONG_MAX)
        at = n - 1;
    else
        at += delta;
    at = at < 0 ? 0 : at >= n ? n - 1 : at;
    app->dash.problem_sel = (size_t)at;
    app->dash.problem_id = d->problems[at].file_id;
}

/* Enter opens the selected failed or rejected file, as the Files view does. */
static void dash_activate(struct app *app)
{
    int64_t id = dash_selected_problem(app);
    if (id > 0)
        app_open_file(app, id);
}

int64_t dash_selected_problem(const struct app *app)
{
    const struct dashboard *d = app->dash.d;
    if (!d || app->dash.problem_sel >= d->nproblems)
        return 0;
    return d->problems[app->dash.problem_sel].file_id;
}

const struct view_ops view_dashboard = {
    .name = "dashboard", .title = "Dashboard", .enter = dash_enter, .tick = dash_refresh, .draw = dash_draw,
    .select = dash_select, .activate = dash_activate,
};
