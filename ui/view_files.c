/* view_files.c - the Files view: load_file as a sortable, filterable list. The filter runs
 * in the database (status, path text, job); the sort runs here. LISTEN events update a
 * row's status and progress at once and then fetch just the files they named. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/textfmt.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/views.h"
#include "ui/widget_table.h"

enum { FILES_LIMIT = 5000 };

const struct file_row *files_selected(struct app *app)
{
    size_t i = list_selected(&app->files.list);
    return i == (size_t)-1 ? NULL : &app->files.rows->rows[i];
}

static size_t files_count(const void *ctx)
{
    const struct app *app = ctx;
    return app->files.rows ? app->files.rows->n : 0;
}

static int64_t files_id(const void *ctx, size_t i)
{
    const struct app *app = ctx;
    return app->files.rows->rows[i].file_id;
}

static void files_sort(void *ctx, int key, bool desc)
{
    struct app *app = ctx;
    if (app->files.rows)
        file_list_sort(app->files.rows, (enum file_sort)key, desc);
}

static const struct list_ops files_list_ops = { .count = files_count, .id = files_id, .sort = files_sort };

static void files_init(struct app *app)
{
    list_init(&app->files.list, &files_list_ops, app);
    app->files.list.sort_key = FILE_SORT_ID;
    app->files.list.desc = true; /* newest first */
}

static void list_done(void *ctx, uint64_t gen, struct file_list *l, const struct mo_err *err)
{
    struct app *app = ctx;
    struct files_state *f = &app->files;
    if (!list_answer(&f->list, gen)) { /* the filter changed while this was on its way */
        file_list_free(l);
        return;
    }
    app->dirty = true;
    if (!l) {
        list_fail(&f->list, err->message);
        return;
    }
    list_ok(&f->list);
    int64_t keep = list_selected_id(&f->list);
    file_list_free(f->rows);
    f->rows = l;
    f->loaded = true;
    list_rows_changed(&f->list, keep);
}

static void fetch_list(struct app *app)
{
    struct files_state *f = &app->files;
    if (!list_may_request(&f->list))
        return;
    struct mo_err err;
    if (files_fetch(app->db, &f->filter, NULL, 0, FILES_LIMIT, list_done, app, f->list.gen, &err) == 0)
        list_sent(&f->list);
    else
        list_fail(&f->list, err.message);
}

static void ids_done(void *ctx, uint64_t gen, struct file_list *part, const struct mo_err *err)
{
    struct app *app = ctx;
    struct files_state *f = &app->files;
    f->ids_inflight = false;
    /* The ids asked for travel in the tag's place: see files_flush_events. */
    int64_t *ids = f->pending + 32;
    size_t nids = (size_t)(gen >> 32);
    if ((gen & 0xffffffffu) != (f->list.gen & 0xffffffffu) || !part || !f->rows) {
        file_list_free(part);
        if (!part && err)
            list_fail(&f->list, err->message);
        return;
    }
    int64_t keep = list_selected_id(&f->list);
    if (file_list_merge(f->rows, part, ids, nids) < 0)
        list_fail(&f->list, "out of memory merging file events");
    file_list_free(part);
    list_rows_changed(&f->list, keep);
    app->dirty = true;
    /* The detail view shows the same row: let it refetch if it is one of these. */
}

void files_flush_events(struct app *app)
{
    struct files_state *f = &app->files;
    if (f->npending == 0 || f->ids_inflight || !f->loaded)
        return;
    if (f->pending_overflow) { /* a burst: one full refresh is cheaper */
        f->npending = 0;
        f->pending_overflow = false;
        fetch_list(app);
        return;
    }
    /* Batch at most 32 ids; they are parked in the upper half while the query runs. */
    size_t n = f->npending < 32 ? f->npending : 32;
    memcpy(f->pending + 32, f->pending, n * sizeof *f->pending);
    memmove(f->pending, f->pending + n, (f->npending - n) * sizeof *f->pending);
    f->npending -= n;
    struct mo_err err;
    uint64_t tag = ((uint64_t)n << 32) | (f->list.gen & 0xffffffffu);
    if (files_fetch(app->db, &f->filter, f->pending + 32, n, FILES_LIMIT, ids_done, app, tag, &err) == 0)
        f->ids_inflight = true;
}

void files_on_event(struct app *app, int64_t file_id, const char *status, int64_t progress_rows)
{
    struct files_state *f = &app->files;
    if (!f->loaded)
        return; /* no list yet: the full fetch when it is shown will have this file */
    if (f->rows) {
        struct file_row *r = file_list_find(f->rows, file_id);
        if (r) { /* show it at once; the fetch below brings the rest of the row */
            snprintf(r->status, sizeof r->status, "%s", status);
            if (progress_rows >= 0)
                r->progress_rows = progress_rows;
            app->dirty = true;
        }
    }
    for (size_t i = 0; i < f->npending; i++)
        if (f->pending[i] == file_id)
            return;
    if (f->npending < 32)
        f->pending[f->npending++] = file_id;
    else
        f->pending_overflow = true;
    if (f->pending_due_ms == 0)
        f->pending_due_ms = dba_now_ms() + 150; /* gather a burst of events into one query */
}

/* Coming back to the list fetches it again: while another view was shown only LISTEN
 * events kept it current, and a reconnection may have missed some. */
static void files_enter(struct app *app)
{
    fetch_list(app);
}

static void files_refresh(struct app *app)
{
    fetch_list(app);
}

void files_set_filter(struct app *app, const struct file_filter *nf)
{
    struct files_state *f = &app->files;
    f->filter = *nf;
    list_restart(&f->list); /* an answer for the old filter is stale now */
    f->npending = 0;
    file_list_free(f->rows);
    f->rows = NULL;
    f->loaded = false;
    fetch_list(app);
    app->dirty = true;
}

void files_status_cycle(struct app *app)
{
    struct file_filter nf = app->files.filter;
    int i = -1;
    for (int k = 0; k < 5; k++)
        if (strcmp(nf.status, file_statuses[k]) == 0)
            i = k;
    if (i == 4)
        nf.status[0] = '\0';
    else
        snprintf(nf.status, sizeof nf.status, "%s", file_statuses[i + 1]);
    files_set_filter(app, &nf);
    app_message(app, MSG_INFO, "status filter: %s", nf.status[0] ? nf.status : "all");
}

void files_filter_clear(struct app *app)
{
    struct file_filter nf;
    memset(&nf, 0, sizeof nf);
    files_set_filter(app, &nf);
    app_message(app, MSG_INFO, "filters cleared");
}

static void sorted_message(struct app *app)
{
    const struct list *l = &app->files.list;
    app_message(app, MSG_INFO, "sorted by %s, %s", file_sort_names[l->sort_key], l->desc ? "descending" : "ascending");
}

/* Numbers and times read best largest/newest first, names and states A to Z. */
static bool natural_desc(int key)
{
    return !(key == FILE_SORT_PATH || key == FILE_SORT_STATUS);
}

void files_sort_next(struct app *app)
{
    int key = (app->files.list.sort_key + 1) % FILE_SORT_COUNT;
    list_sort_by(&app->files.list, key, natural_desc(key));
    app->dirty = true;
    sorted_message(app);
}

void files_sort_reverse(struct app *app)
{
    list_sort_by(&app->files.list, app->files.list.sort_key, !app->files.list.desc);
    app->dirty = true;
    sorted_message(app);
}

int files_sort_by(struct app *app, const char *column, int desc)
{
    for (int i = 0; i < FILE_SORT_COUNT; i++) {
        if (strcmp(column, file_sort_names[i]) == 0) {
            list_sort_by(&app->files.list, i, desc >= 0 ? desc != 0 : natural_desc(i));
            app->dirty = true;
            return 0;
        }
    }
    return -1;
}

int file_status_role(const char *st)
{
    if (strcmp(st, "loaded") == 0) return ROLE_OK;
    if (strcmp(st, "rejected") == 0) return ROLE_WARN;
    if (strcmp(st, "failed") == 0) return ROLE_ERROR;
    if (strcmp(st, "loading") == 0) return ROLE_BAR;
    return ROLE_DIM;
}

enum { C_ID, C_JOB, C_STATUS, C_ROWS, C_REJ, C_WHEN, C_PATH, C_FORMAT, C_READINGS };

struct cell_ctx {
    struct app *app;
    const int *map; /* display column -> C_* */
};

static void cell(void *vctx, size_t r, int col, int width, char *buf, size_t len, int *role)
{
    struct cell_ctx *ctx = vctx;
    const struct file_row *row = &ctx->app->files.rows->rows[r];
    switch (ctx->map[col]) {
    case C_ID: snprintf(buf, len, "%lld", (long long)row->file_id); break;
    case C_JOB:
        if (row->job_id) snprintf(buf, len, "%lld", (long long)row->job_id);
        else snprintf(buf, len, "-");
        break;
    case C_STATUS: snprintf(buf, len, "%s", row->status); *role = file_status_role(row->status); break;
    case C_FORMAT: snprintf(buf, len, "%s", row->format); break;
    case C_ROWS:
        if (strcmp(row->status, "loading") == 0) {
            fmt_si(buf, len, (double)row->progress_rows);
            *role = ROLE_BAR;
        } else {
            fmt_si(buf, len, (double)row->rows_total);
        }
        break;
    case C_REJ:
        fmt_si(buf, len, (double)row->rows_rejected);
        if (row->rows_rejected)
            *role = ROLE_WARN;
        break;
    case C_READINGS: fmt_si(buf, len, (double)row->readings_loaded); break;
    case C_WHEN: {
        int64_t t = row->finished_at ? row->finished_at : row->started_at ? row->started_at : row->queued_at;
        app_fmt_time(ctx->app, buf, len, t);
        break;
    }
    case C_PATH: /* the file name is the part worth keeping */
        text_tail(row->path, width, buf, len, ctx->app->scr.g.ellipsis);
        break;
    }
}

static void files_draw(struct app *app, WINDOW *w, int top, int h, int width)
{
    struct files_state *f = &app->files;
    const struct screen *s = &app->scr;
    /* Summary line: counts, filter, sort. */
    char line[512], filt[256] = "";
    size_t o = 0;
    if (f->filter.status[0])
        o += (size_t)snprintf(filt + o, sizeof filt - o, " status=%s", f->filter.status);
    if (f->filter.job_id)
        o += (size_t)snprintf(filt + o, sizeof filt - o, " job=%lld", (long long)f->filter.job_id);
    if (f->filter.text[0])
        snprintf(filt + o, sizeof filt - o, " path~\"%s\"", f->filter.text);
    if (!f->rows)
        snprintf(line, sizeof line, " Files  %s", f->list.err[0] ? "" : "loading...");
    else if (f->rows->matching > FILES_MATCHING_CAP)
    {
        char cap[32];
        snprintf(line, sizeof line, " Files  newest %zu of %s+ matching", f->rows->n,
                 fmt_count(cap, sizeof cap, FILES_MATCHING_CAP));
    }
    else if ((int64_t)f->rows->n < f->rows->matching)
        snprintf(line, sizeof line, " Files  newest %zu of %lld matching", f->rows->n, (long long)f->rows->matching);
    else
        snprintf(line, sizeof line, " Files  %zu", f->rows->n);
    int x = draw_text(w, top, 0, width, s->attr[ROLE_TITLE], line, NULL);
    if (filt[0]) {
        x += draw_text(w, top, x, width - x, s->attr[ROLE_DIM], "   filter:", NULL);
        x += draw_text(w, top, x, width - x, s->attr[ROLE_MATCH], filt, NULL);
    }
    if (f->list.err[0]) {
        x += draw_text(w, top, x, width - x, s->attr[ROLE_ERROR], "   ", NULL);
        x += draw_text(w, top, x, width - x, s->attr[ROLE_ERROR], f->list.err, s->g.ellipsis);
    }
    draw_fill(w, top, x, width - x, s->attr[ROLE_NORMAL]);

    static const int wide_map[] = { C_ID, C_JOB, C_STATUS, C_FORMAT, C_ROWS, C_REJ, C_READINGS, C_WHEN, C_PATH };
    static const struct table_col wide_cols[] = {
        { "ID", 6, 1 }, { "Job", 4, 1 }, { "Status", 8, 0 }, { "Format", 7, 0 }, { "Rows", 7, 1 },
        { "Rej", 6, 1 }, { "Readings", 8, 1 }, { "When", 11, 0 }, { "Path", 0, 0 },
    };
    static const int narrow_map[] = { C_ID, C_JOB, C_STATUS, C_ROWS, C_REJ, C_WHEN, C_PATH };
    static const struct table_col narrow_cols[] = {
        { "ID", 6, 1 }, { "Job", 4, 1 }, { "Status", 8, 0 }, { "Rows", 7, 1 }, { "Rej", 6, 1 },
        { "When", 11, 0 }, { "Path", 0, 0 },
    };
    bool wide = width >= 120;
    const int *map = wide ? wide_map : narrow_map;
    int ncols = wide ? 9 : 7;
    int sort_col = -1;
    static const int sort_to_c[FILE_SORT_COUNT] = { C_ID, C_JOB, C_STATUS, C_PATH, C_ROWS, C_REJ, C_WHEN, C_WHEN };
    for (int c = 0; c < ncols; c++)
        if (map[c] == sort_to_c[f->list.sort_key])
            sort_col = c;
    struct cell_ctx ctx = { app, map };
    table_draw(app, w, top + 1, h - 1, width, wide ? wide_cols : narrow_cols, ncols, &f->list, cell, &ctx, sort_col);
}

static void files_move(struct app *app, long delta)
{
    list_move(&app->files.list, delta);
}

static void files_activate(struct app *app)
{
    const struct file_row *r = files_selected(app);
    if (r)
        app_open_file(app, r->file_id);
}

static void files_click(struct app *app, int row)
{
    table_click(&app->files.list, 1, row);
}

const struct view_ops view_files = {
    .name = "files", .title = "Files", .enter = files_enter, .tick = files_refresh, .draw = files_draw,
    .select = files_move, .activate = files_activate, .click = files_click, .init = files_init,
};
