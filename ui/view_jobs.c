/* view_jobs.c - the Jobs view: recent load jobs (who ran them, where, with which
 * arguments) and their files counted by status. Enter lists a job's files; r requeues its
 * rejected and failed ones. */
#include <stdio.h>
#include <string.h>

#include "backend/textfmt.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/views.h"
#include "ui/widget_table.h"

const struct job_row *jobs_selected(struct app *app)
{
    size_t i = list_selected(&app->jobs.list);
    return i == (size_t)-1 ? NULL : &app->jobs.rows->rows[i];
}

static size_t jobs_count(const void *ctx)
{
    const struct app *app = ctx;
    return app->jobs.rows ? app->jobs.rows->n : 0;
}

static int64_t jobs_id(const void *ctx, size_t i)
{
    const struct app *app = ctx;
    return app->jobs.rows->rows[i].job_id;
}

static const struct list_ops jobs_list_ops = { .count = jobs_count, .id = jobs_id };

static void jobs_init(struct app *app)
{
    list_init(&app->jobs.list, &jobs_list_ops, app);
}

static void jobs_done(void *ctx, uint64_t tag, struct job_list *l, const struct mo_err *err)
{
    struct app *app = ctx;
    struct jobs_state *j = &app->jobs;
    if (!list_answer(&j->list, tag)) {
        job_list_free(l);
        return;
    }
    app->dirty = true;
    if (!l) {
        list_fail(&j->list, err->message);
        return;
    }
    int64_t keep = list_selected_id(&j->list);
    job_list_free(j->rows);
    j->rows = l;
    list_ok(&j->list);
    list_rows_changed(&j->list, keep);
}

static void fetch(struct app *app)
{
    struct list *l = &app->jobs.list;
    if (!list_may_request(l))
        return;
    struct mo_err err;
    if (jobs_fetch(app->db, 200, jobs_done, app, l->gen, &err) == 0)
        list_sent(l);
    else
        list_fail(l, err.message);
}

static void jobs_enter(struct app *app) { fetch(app); }
static void jobs_refresh(struct app *app) { fetch(app); }

static void cell(void *ctx, size_t r, int col, int width, char *buf, size_t len, int *role)
{
    (void)width;
    struct app *app = ctx;
    const struct job_row *j = &app->jobs.rows->rows[r];
    switch (col) {
    case 0: snprintf(buf, len, "%lld", (long long)j->job_id); break;
    case 1:
        snprintf(buf, len, "%s", j->status);
        *role = strcmp(j->status, "failed") == 0 ? ROLE_ERROR : strcmp(j->status, "running") == 0 ? ROLE_BAR : ROLE_OK;
        break;
    case 2: snprintf(buf, len, "%s:%d", j->host, j->pid); break;
    case 3: snprintf(buf, len, "%lld", (long long)j->files); break;
    case 4: snprintf(buf, len, "%lld", (long long)(j->queued + j->loading)); if (j->queued + j->loading) *role = ROLE_BAR; break;
    case 5: snprintf(buf, len, "%lld", (long long)j->loaded); break;
    case 6: snprintf(buf, len, "%lld", (long long)j->rejected); if (j->rejected) *role = ROLE_WARN; break;
    case 7: snprintf(buf, len, "%lld", (long long)j->failed); if (j->failed) *role = ROLE_ERROR; break;
    case 8: fmt_si(buf, len, (double)j->readings); break;
    case 9: app_fmt_time(app, buf, len, j->started_at); break;
    case 10: snprintf(buf, len, "%s (%s)", j->args, j->db_user); break;
    }
}

static void jobs_draw(struct app *app, WINDOW *w, int top, int h, int width)
{
    struct jobs_state *j = &app->jobs;
    const struct screen *s = &app->scr;
    char line[300];
    if (j->rows)
        snprintf(line, sizeof line, " Load jobs  %zu", j->rows->n);
    else
        snprintf(line, sizeof line, " Load jobs  %s", j->list.err[0] ? "" : "loading...");
    int x = draw_text(w, top, 0, width, s->attr[ROLE_TITLE], line, NULL);
    if (j->list.err[0]) {
        x += draw_text(w, top, x, width - x, s->attr[ROLE_NORMAL], "   ", NULL);
        x += draw_text(w, top, x, width - x, s->attr[ROLE_ERROR], j->list.err, s->g.ellipsis);
    }
    draw_fill(w, top, x, width - x, s->attr[ROLE_NORMAL]);
    static const struct table_col cols[] = {
        { "Job", 5, 1 }, { "Status", 7, 0 }, { "Host:pid", 14, 0 }, { "Files", 5, 1 }, { "Open", 4, 1 },
        { "Loaded", 6, 1 }, { "Rej", 4, 1 }, { "Failed", 6, 1 }, { "Readings", 8, 1 }, { "Started", 11, 0 },
        { "Arguments (user)", 0, 0 },
    };
    table_draw(app, w, top + 1, h - 1, width, cols, 11, &j->list, cell, app, -1);
}

static void jobs_move(struct app *app, long delta)
{
    list_move(&app->jobs.list, delta);
}

static void jobs_activate(struct app *app)
{
    const struct job_row *j = jobs_selected(app);
    if (!j)
        return;
    struct file_filter f;
    memset(&f, 0, sizeof f);
    f.job_id = j->job_id;
    files_set_filter(app, &f);
    app_switch(app, VIEW_FILES);
    app_message(app, MSG_INFO, "files of job %lld (c clears the filter)", (long long)j->job_id);
}

void jobs_requeue_selected(struct app *app)
{
    const struct job_row *j = jobs_selected(app);
    if (!j)
        return;
    char what[64];
    snprintf(what, sizeof what, "job=%lld", (long long)j->job_id);
    app_requeue_matching(app, NULL, j->job_id, "", what);
}

static void jobs_click(struct app *app, int row)
{
    table_click(&app->jobs.list, 1, row);
}

const struct view_ops view_jobs = {
    .name = "jobs", .title = "Jobs", .enter = jobs_enter, .tick = jobs_refresh, .draw = jobs_draw,
    .select = jobs_move, .activate = jobs_activate, .click = jobs_click, .init = jobs_init,
};
