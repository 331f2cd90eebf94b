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
    struct files_state *f = &app->files;
    if (!f->list || f->sc.sel >= f->list->n)
        return NULL;
    return &f->list->rows[f->sc.sel];
}

/* Re-sorts and keeps the selection on the same file. */
static void resort(struct app *app, int64_t keep_id)
{
    struct files_state *f = &app->files;
    if (!f->list)
        return;
    file_list_sort(f->list, f->sort, f->desc);
    for (size_t i = 0; i < f->list->n; i++) {
        if (f->list->rows[i].file_id == keep_id) {
            f->sc.sel = i;
            break;
        }
    }
    scroll_fit(&f->sc, f->list->n, app->body_h - 2);
    app->dirty = true;
}

static void list_done(void *ctx, uint64_t gen, struct file_list *l, const struct mo_err *err)
{
    struct app *app = ctx;
    struct files_state *f = &app->files;
    f->inflight = false;
    if (gen != f->gen) { /* the filter changed while this was on its way */
        file_list_free(l);
        return;
    }
    if (!l) {
        snprintf(f->err, sizeof f->err, "%.250s", err->message);
        app->dirty = true;
        return;
    }
    f->err[0] = '\0';
    const struct file_row *sel = files_selected(app);
    int64_t keep = sel ? sel->file_id : 0;
    file_list_free(f->list);
    f->list = l;
    f->loaded = true;
    resort(app, keep);
}

static void fetch_list(struct app *app)
{
    struct files_state *f = &app->files;
    if (f->inflight)
        return;
    struct mo_err err;
    if (files_fetch(app->db, &f->filter, NULL, 0, FILES_LIMIT, list_done, app, f->gen, &err) == 0)
        f->inflight = true;
    else
        snprintf(f->err, sizeof f->err, "%.250s", err.message);
}

static void ids_done(void *ctx, uint64_t gen, struct file_list *part, const struct mo_err *err)
{
    struct app *app = ctx;
    struct files_state *f = &app->files;
    f->ids_inflight = false;
    /* The ids asked for travel in the tag's place: see files_flush_events. */
    int64_t *ids = f->pending + 32;
    size_t nids = (size_t)(gen >> 32);
    if ((gen & 0xffffffffu) != (f->gen & 0xffffffffu) || !part || !f->list) {
        file_list_free(part);
        if (!part && err)
            snprintf(f->err, sizeof f->err, "%.250s", err->message);
        return;
    }
    const struct file_row *sel = files_selected(app);
    int64_t keep = sel ? sel->file_id : 0;
    if (file_list_merge(f->list, part, ids, nids) < 0)
        snprintf(f->err, sizeof f->err, "out of memory merging file events");
    file_list_free(part);
    resort(app, keep);
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
    uint64_t tag = ((uint64_t)n << 32) | (f->gen & 0xffffffffu);
    if (files_fetch(app->db, &f->filter, f->pending + 32, n, FILES_LIMIT, ids_done, app, tag, &err) == 0)
        f->ids_inflight = true;
}

void files_on_event(struct app *app, int64_t file_id, const char *status, int64_t progress_rows)
{
    struct files_state *f = &app->files;
    if (!f->loaded)
        return; /* no list yet: the full fetch when it is shown will have this file */
    if (f->list) {
        struct file_row *r = file_list_find(f->list, file_id);
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
    f->gen++;
    f->inflight = false; /* an answer for the old filter is stale now */
    f->npending = 0;
    f->sc.sel = f->sc.top = 0;
    file_list_free(f->list);
    f->list = NULL;
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

void files_sort_next(struct app *app)
{
    struct files_state *f = &app->files;
    const struct file_row *sel = files_selected(app);
    int64_t keep = sel ? sel->file_id : 0;
    f->sort = (enum file_sort)((f->sort + 1) % FILE_SORT_COUNT);
    /* Numbers and times read best largest/newest first, names and states A to Z. */
    f->desc = !(f->sort == FILE_SORT_PATH || f->sort == FILE_SORT_STATUS);
    resort(app, keep);
    app_message(app, MSG_INFO, "sorted by %s, %s", file_sort_names[f->sort], f->desc ? "descending" : "ascending");
}

void files_sort_reverse(struct app *app)
{
    struct files_state *f = &app->files;
    const struct file_row *sel = files_selected(app);
    int64_t keep = sel ? sel->file_id : 0;
    f->desc = !f->desc;
    resort(app, keep);
    app_message(app, MSG_INFO, "sorted by %s, %s", file_sort_names[f->sort], f->desc ? "descending" : "ascending");
}

int files_sort_by(struct app *app, const char *column, int desc)
{
    for (int i = 0; i < FILE_SORT_COUNT; i++) {
        if (strcmp(column, file_sort_names[i]) == 0) {
            struct files_state *f = &app->files;
            const struct file_row *sel = files_selected(app);
            int64_t keep = sel ? sel->file_id : 0;
            f->sort = (enum file_sort)i;
            f->desc = desc >= 0 ? desc : !(i == FILE_SORT_PATH || i == FILE_SORT_STATUS);
            resort(app, keep);
            return 0;
        }
    }
    return -1;
}

static int status_role(const char *st)
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
    const struct file_row *row = &ctx->app->files.list->rows[r];
    switch (ctx->map[col]) {
    case C_ID: snprintf(buf, len, "%lld", (long long)row->file_id); break;
    case C_JOB:
        if (row->job_id) snprintf(buf, len, "%lld", (long long)row->job_id);
        else snprintf(buf, len, "-");
        break;
    case C_STATUS: snprintf(buf, len, "%s", row->status); *role = status_role(row->status); break;
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
        fmt_when(buf, len, t, app_now());
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
    if (!f->list)
        snprintf(line, sizeof line, " Files  %s", f->err[0] ? "" : "loading...");
    else if ((int64_t)f->list->n < f->list->matching)
        snprintf(line, sizeof line, " Files  newest %zu of %lld matching", f->list->n, (long long)f->list->matching);
    else
        snprintf(line, sizeof line, " Files  %zu", f->list->n);
    int x = draw_text(w, top, 0, width, s->attr[ROLE_TITLE], line, NULL);
    if (filt[0]) {
        x += draw_text(w, top, x, width - x, s->attr[ROLE_DIM], "   filter:", NULL);
        x += draw_text(w, top, x, width - x, s->attr[ROLE_MATCH], filt, NULL);
    }
    if (f->err[0]) {
        x += draw_text(w, top, x, width - x, s->attr[ROLE_ERROR], "   ", NULL);
        x += draw_text(w, top, x, width - x, s->attr[ROLE_ERROR], f->err, s->g.ellipsis);
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
        if (map[c] == sort_to_c[f->sort])
            sort_col = c;
    struct cell_ctx ctx = { app, map };
    size_t n = f->list ? f->list->n : 0;
    table_draw(app, w, top + 1, h - 1, width, wide ? wide_cols : narrow_cols, ncols, n, &f->sc, cell, &ctx,
               sort_col, f->desc);
}

static void files_move(struct app *app, long delta)
{
    struct files_state *f = &app->files;
    scroll_move(&f->sc, f->list ? f->list->n : 0, delta, app->body_h - 2);
}

static void files_activate(struct app *app)
{
    const struct file_row *r = files_selected(app);
    if (r)
        app_open_file(app, r->file_id);
}

static void files_click(struct app *app, int row)
{
    struct files_state *f = &app->files;
    size_t r = table_row_at(&f->sc, f->list ? f->list->n : 0, 1, row);
    if (r != (size_t)-1)
        f->sc.sel = r;
}

const struct view_ops view_files = {
    "files", "Files", files_enter, files_refresh, files_draw, files_move, files_activate, files_click,
};
