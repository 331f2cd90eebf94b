/* view_file.c - the file detail: a file's metadata and its validation errors grouped by
 * code with their counts; a group expands to its rows (line, code, column, message and the
 * raw line as read). Scrolls both ways; `/` searches the errors, `n`/`N` step through the
 * matches, opening the groups they are in. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backend/textfmt.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/views.h"

enum { PER_CODE = 1000, META_LINES = 7 };
enum { ITEM_GROUP, ITEM_ERROR, ITEM_MORE };

const struct file_row *file_current(struct app *app)
{
    struct file_state *f = &app->file;
    return f->meta && f->meta->n ? &f->meta->rows[0] : NULL;
}

static size_t items_count(const void *ctx)
{
    const struct app *app = ctx;
    return app->file.nitems;
}

/* An error takes two lines: its message, then the raw line as read. */
static int item_height(const void *ctx, size_t i)
{
    const struct app *app = ctx;
    return app->file.items[i].kind == ITEM_ERROR ? 2 : 1;
}

static const struct list_ops items_list_ops = { .count = items_count, .height = item_height };

static void file_init(struct app *app)
{
    list_init(&app->file.list, &items_list_ops, app);
}

static void rebuild_items(struct app *app)
{
    struct file_state *f = &app->file;
    free(f->items);
    f->items = NULL;
    f->nitems = 0;
    const struct error_list *e = f->errors;
    if (!e)
        return;
    size_t cap = e->ngroups * 2 + e->nrows;
    f->items = calloc(cap ? cap : 1, sizeof *f->items);
    if (!f->items)
        return;
    for (size_t g = 0; g < e->ngroups; g++) {
        f->items[f->nitems++] = (struct detail_item){ ITEM_GROUP, g, 0 };
        if (!f->expanded[g])
            continue;
        const struct error_group *grp = &e->groups[g];
        for (size_t i = 0; i < grp->nrows; i++)
            f->items[f->nitems++] = (struct detail_item){ ITEM_ERROR, g, grp->first_row + i };
        if ((int64_t)grp->nrows < grp->count)
            f->items[f->nitems++] = (struct detail_item){ ITEM_MORE, g, 0 };
    }
    if (f->list.sel >= f->nitems)
        f->list.sel = f->nitems ? f->nitems - 1 : 0;
}

/* A fetch failed (a statement timeout, a lock, a lost connection): what is shown stays,
 * the next try is in backoff seconds (2, 4, ... 60), on the refresh tick. */
static void fetch_failed(struct app *app, const char *why)
{
    struct file_state *f = &app->file;
    f->backoff = f->backoff ? (f->backoff * 2 > 60 ? 60 : f->backoff * 2) : 2;
    f->retry_at = app_now() + f->backoff;
    list_fail(&f->list, why);
    app->dirty = true;
}

/* The errors answered: no retry pending, the backoff starts over. */
static void fetch_succeeded(struct file_state *f)
{
    f->backoff = 0;
    f->retry_at = 0;
}

/* Keeps the selected item whole on screen after a key moved it: one line short of the
 * items' room, so the next line down is in sight. */
static void fit(struct app *app)
{
    list_fit(&app->file.list, app->body_h - META_LINES - 1);
}

static void meta_done(void *ctx, uint64_t gen, struct file_list *l, const struct mo_err *err)
{
    struct app *app = ctx;
    struct file_state *f = &app->file;
    if (gen != f->list.gen) {
        file_list_free(l);
        return;
    }
    f->meta_inflight = false;
    if (!l) {
        fetch_failed(app, err->message);
    } else {
        /* a failed errors fetch stays said until its retry succeeds */
        if (l->n == 0)
            snprintf(f->list.err, sizeof f->list.err, "file %lld does not exist", (long long)f->file_id);
        else if (f->list.err[0] && !f->list.inflight && !f->retry_at)
            list_ok(&f->list);
        file_list_free(f->meta);
        f->meta = l;
    }
    app->dirty = true;
}

static void errors_done(void *ctx, uint64_t gen, struct error_list *l, const struct mo_err *err)
{
    struct app *app = ctx;
    struct file_state *f = &app->file;
    if (!list_answer(&f->list, gen)) {
        error_list_free(l);
        return;
    }
    if (!l) {
        fetch_failed(app, err->message);
        return;
    }
    fetch_succeeded(f);
    if (f->list.err[0] && !f->meta_inflight)
        list_ok(&f->list);
    bool *exp = calloc(l->ngroups ? l->ngroups : 1, sizeof *exp);
    if (!exp) {
        error_list_free(l);
        return;
    }
    /* Keep groups open across a refetch; a lone group opens by itself. */
    for (size_t g = 0; g < l->ngroups; g++) {
        exp[g] = l->ngroups == 1;
        for (size_t k = 0; f->errors && k < f->errors->ngroups; k++)
            if (strcmp(f->errors->groups[k].code, l->groups[g].code) == 0)
                exp[g] = f->expanded[k];
    }
    error_list_free(f->errors);
    free(f->expanded);
    f->errors = l;
    f->expanded = exp;
    free(f->matches);
    f->matches = NULL;
    f->nmatches = f->match = 0;
    rebuild_items(app);
    if (f->search[0])
        file_search(app, f->search);
    app->dirty = true;
}

static void fetch_meta(struct app *app)
{
    struct file_state *f = &app->file;
    if (!f->file_id || f->meta_inflight)
        return;
    struct file_filter none;
    memset(&none, 0, sizeof none);
    struct mo_err err;
    if (files_fetch(app->db, &none, &f->file_id, 1, 1, meta_done, app, f->list.gen, &err) == 0)
        f->meta_inflight = true;
    else
        list_fail(&f->list, err.message);
}

static void fetch_errors(struct app *app)
{
    struct file_state *f = &app->file;
    if (!f->file_id || !list_may_request(&f->list))
        return;
    struct mo_err err;
    if (errors_fetch(app->db, f->file_id, PER_CODE, errors_done, app, f->list.gen, &err) == 0)
        list_sent(&f->list);
    else
        list_fail(&f->list, err.message);
}

void file_detail_open(struct app *app, int64_t file_id)
{
    struct file_state *f = &app->file;
    if (f->file_id != file_id) {
        list_restart(&f->list);
        f->meta_inflight = false;
        file_list_free(f->meta);
        error_list_free(f->errors);
        free(f->expanded);
        free(f->items);
        free(f->matches);
        f->meta = NULL;
        f->errors = NULL;
        f->expanded = NULL;
        f->items = NULL;
        f->matches = NULL;
        f->nitems = f->nmatches = f->match = 0;
        f->hscroll = 0;
        f->search[0] = '\0';
        f->retry_at = 0;
        f->backoff = 0;
        list_ok(&f->list);
        f->file_id = file_id;
    }
    fetch_meta(app);
    fetch_errors(app);
}

void file_on_event(struct app *app, int64_t file_id, const char *status, int64_t progress_rows)
{
    struct file_state *f = &app->file;
    if (file_id != f->file_id)
        return;
    struct file_row *cur = f->meta && f->meta->n ? &f->meta->rows[0] : NULL;
    if (cur && strcmp(cur->status, status) == 0) {
        /* Progress of the file shown: the event carries all that changed. */
        if (progress_rows >= 0)
            cur->progress_rows = progress_rows;
        app->dirty = true;
        return;
    }
    fetch_meta(app);
    /* Errors are written with the file's final status, and cleared by a requeue or a
     * failed attempt: any change of status fetches them again. */
    fetch_errors(app);
}

static void file_enter(struct app *app)
{
    if (app->file.file_id && !app->file.meta)
        file_detail_open(app, app->file.file_id);
}

/* The refresh tick: the file's row again, and after a failure both fetches once the
 * backoff is over. */
static void file_refresh(struct app *app)
{
    struct file_state *f = &app->file;
    if (f->retry_at && app_now() >= f->retry_at) {
        f->retry_at = 0;
        fetch_errors(app);
    }
    fetch_meta(app);
    if (f->retry_at)
        app->dirty = true; /* the countdown */
}

/* "timed out, retrying in 4s" after the reason a fetch failed. */
static const char *fail_text(const struct file_state *f, char *buf, size_t n)
{
    int64_t left = f->retry_at ? f->retry_at - app_now() : 0;
    const char *why = strstr(f->list.err, "statement timeout") || strstr(f->list.err, "lock timeout")
                          ? "timed out" : f->list.err;
    if (f->retry_at)
        snprintf(buf, n, "%s, retrying in %llds", why, (long long)(left > 0 ? left : 0));
    else
        snprintf(buf, n, "%s", why);
    return buf;
}

/* Rebuilds the lines after groups opened or closed, staying on group g's own line. */
static void rebuild_on_group(struct app *app, size_t g)
{
    struct file_state *f = &app->file;
    rebuild_items(app);
    for (size_t i = 0; i < f->nitems; i++)
        if (f->items[i].kind == ITEM_GROUP && f->items[i].group == g)
            f->list.sel = i;
    fit(app);
    app->dirty = true;
}

void file_toggle(struct app *app)
{
    struct file_state *f = &app->file;
    if (f->list.sel >= f->nitems)
        return;
    size_t g = f->items[f->list.sel].group;
    f->expanded[g] = !f->expanded[g];
    rebuild_on_group(app, g);
}

void file_expand_all(struct app *app, int expand)
{
    struct file_state *f = &app->file;
    if (!f->errors)
        return;
    size_t g = f->list.sel < f->nitems ? f->items[f->list.sel].group : 0;
    for (size_t i = 0; i < f->errors->ngroups; i++)
        f->expanded[i] = expand != 0;
    rebuild_on_group(app, g);
}

void file_toggle_attempts(struct app *app)
{
    app->file.show_attempts = !app->file.show_attempts;
    app->dirty = true;
}

void file_hscroll(struct app *app, int delta)
{
    struct file_state *f = &app->file;
    f->hscroll += delta;
    if (f->hscroll < 0)
        f->hscroll = 0;
    app->dirty = true;
}

static bool row_matches(const struct error_row *r, const char *needle)
{
    char line[24];
    snprintf(line, sizeof line, "%lld", (long long)r->line_no);
    return strcasestr(r->raw, needle) || strcasestr(r->message, needle) || strcasestr(r->code, needle) ||
           strcasestr(r->column, needle) || strcmp(line, needle) == 0;
}

/* Jumps to match k: opens its group and selects its row. */
static void goto_match(struct app *app, size_t k)
{
    struct file_state *f = &app->file;
    size_t row = f->matches[k];
    size_t g = 0;
    for (size_t i = 0; i < f->errors->ngroups; i++) {
        const struct error_group *grp = &f->errors->groups[i];
        if (row >= grp->first_row && row < grp->first_row + grp->nrows)
            g = i;
    }
    if (!f->expanded[g]) {
        f->expanded[g] = true;
        rebuild_items(app);
    }
    for (size_t i = 0; i < f->nitems; i++)
        if (f->items[i].kind == ITEM_ERROR && f->items[i].row == row)
            f->list.sel = i;
    f->match = k;
    fit(app);
    app_message(app, MSG_INFO, "match %zu of %zu for \"%s\"%s", k + 1, f->nmatches, f->search,
                f->errors->total > (int64_t)f->errors->nrows ? " (searched the first 1000 errors of each code)" : "");
}

void file_search(struct app *app, const char *text)
{
    struct file_state *f = &app->file;
    snprintf(f->search, sizeof f->search, "%s", text);
    free(f->matches);
    f->matches = NULL;
    f->nmatches = f->match = 0;
    app->dirty = true;
    if (!f->errors || !text[0])
        return;
    f->matches = calloc(f->errors->nrows ? f->errors->nrows : 1, sizeof *f->matches);
    if (!f->matches)
        return;
    for (size_t i = 0; i < f->errors->nrows; i++)
        if (row_matches(&f->errors->rows[i], text))
            f->matches[f->nmatches++] = i;
    if (f->nmatches == 0) {
        app_message(app, MSG_WARN, "no error matches \"%s\"", text);
        return;
    }
    /* The first match at or after the selection, in display order (rows are in it). */
    size_t start = 0;
    if (f->list.sel < f->nitems && f->items[f->list.sel].kind == ITEM_ERROR)
        for (size_t k = 0; k < f->nmatches; k++)
            if (f->matches[k] >= f->items[f->list.sel].row) {
                start = k;
                break;
            }
    goto_match(app, start);
}

void file_search_next(struct app *app, int dir)
{
    struct file_state *f = &app->file;
    if (!f->search[0]) {
        app_message(app, MSG_INFO, "no search yet: press / first");
        return;
    }
    if (f->nmatches == 0) {
        app_message(app, MSG_WARN, "no error matches \"%s\"", f->search);
        return;
    }
    size_t k = dir > 0 ? (f->match + 1) % f->nmatches : (f->match + f->nmatches - 1) % f->nmatches;
    goto_match(app, k);
    app->dirty = true;
}

static bool is_match(const struct file_state *f, size_t row)
{
    for (size_t k = 0; k < f->nmatches; k++)
        if (f->matches[k] == row)
            return true;
    return false;
}

static void kv(WINDOW *w, int y, int *x, int width, const struct screen *s, const char *k, const char *v, int role)
{
    if (*x >= width)
        return;
    *x += draw_text(w, y, *x, width - *x, s->attr[ROLE_DIM], k, NULL);
    *x += draw_text(w, y, *x, width - *x, s->attr[role], v, NULL);
    *x += draw_text(w, y, *x, width - *x, s->attr[ROLE_NORMAL], "  ", NULL);
}

static void draw_meta(struct app *app, WINDOW *w, int top, int width)
{
    struct file_state *f = &app->file;
    const struct screen *s = &app->scr;
    const struct file_row *r = file_current(app);
    char a[64], b[64], c[64];
    int64_t now = app_now();
    for (int i = 0; i < META_LINES; i++) {
        int y = top + i, x = 0;
        if (!r) {
            if (i == 0) {
                char t[400], e[300];
                if (f->list.err[0])
                    snprintf(t, sizeof t, " File #%lld: %s", (long long)f->file_id,
                             fail_text(f, e, sizeof e));
                else
                    snprintf(t, sizeof t, " File #%lld: loading...", (long long)f->file_id);
                x = draw_text(w, y, 0, width, s->attr[f->list.err[0] ? ROLE_ERROR : ROLE_DIM], t, s->g.ellipsis);
            }
            draw_fill(w, y, x, width - x, s->attr[ROLE_NORMAL]);
            continue;
        }
        switch (i) {
        case 0:
            snprintf(a, sizeof a, " File #%lld  ", (long long)r->file_id);
            x += draw_text(w, y, x, width, s->attr[ROLE_TITLE], a, NULL);
            x += draw_text(w, y, x, width - x, s->attr[file_status_role(r->status)], r->status, NULL);
            if (f->list.err[0]) {
                char e[300];
                x += draw_text(w, y, x, width - x, s->attr[ROLE_NORMAL], "  ", NULL);
                x += draw_text(w, y, x, width - x, s->attr[ROLE_ERROR], fail_text(f, e, sizeof e),
                               s->g.ellipsis);
            }
            break;
        case 1:
            x = 3;
            draw_fill(w, y, 0, 3, s->attr[ROLE_NORMAL]);
            kv(w, y, &x, width, s, "path ", r->path, ROLE_NORMAL);
            break;
        case 2:
            x = 3;
            draw_fill(w, y, 0, 3, s->attr[ROLE_NORMAL]);
            kv(w, y, &x, width, s, "format ", r->format, ROLE_NORMAL);
            snprintf(a, sizeof a, "%lld", (long long)r->job_id);
            kv(w, y, &x, width, s, "job ", r->job_id ? a : "-", ROLE_NORMAL);
            kv(w, y, &x, width, s, "size ", fmt_bytes(b, sizeof b, r->bytes), ROLE_NORMAL);
            /* empty until the loader has read the file (see doc/loader.md, Duplicate files) */
            snprintf(c, sizeof c, "%.12s", r->sha256[0] ? r->sha256 : "when loaded");
            kv(w, y, &x, width, s, "sha256 ", c, ROLE_DIM);
            break;
        case 3:
            x = 3;
            draw_fill(w, y, 0, 3, s->attr[ROLE_NORMAL]);
            kv(w, y, &x, width, s, "rows ", fmt_count(a, sizeof a, r->rows_total), ROLE_NORMAL);
            kv(w, y, &x, width, s, "loaded ", fmt_count(b, sizeof b, r->rows_loaded), ROLE_NORMAL);
            kv(w, y, &x, width, s, "rejected ", fmt_count(c, sizeof c, r->rows_rejected),
               r->rows_rejected ? ROLE_WARN : ROLE_NORMAL);
            kv(w, y, &x, width, s, "readings ", fmt_count(a, sizeof a, r->readings_loaded), ROLE_NORMAL);
            if (strcmp(r->status, "loading") == 0)
                kv(w, y, &x, width, s, "progress ", fmt_count(b, sizeof b, r->progress_rows), ROLE_BAR);
            break;
        case 4:
            x = 3;
            draw_fill(w, y, 0, 3, s->attr[ROLE_NORMAL]);
            kv(w, y, &x, width, s, "queued ", fmt_when(a, sizeof a, r->queued_at, now), ROLE_NORMAL);
            kv(w, y, &x, width, s, "started ", fmt_when(b, sizeof b, r->started_at, now), ROLE_NORMAL);
            kv(w, y, &x, width, s, "finished ", fmt_when(c, sizeof c, r->finished_at, now), ROLE_NORMAL);
            kv(w, y, &x, width, s, "by ", r->claimed_by[0] ? r->claimed_by : "-", ROLE_NORMAL);
            snprintf(a, sizeof a, "%d/%d", r->attempts, r->requeues);
            kv(w, y, &x, width, s, "attempts/requeues ", a, ROLE_NORMAL);
            break;
        case 5:
            x = 3;
            draw_fill(w, y, 0, 3, s->attr[ROLE_NORMAL]);
            kv(w, y, &x, width, s, "message ", r->message[0] ? r->message : "-",
               strcmp(r->status, "failed") == 0 ? ROLE_ERROR : ROLE_NORMAL);
            break;
        case 6: {
            char t[160], n[32], k[32];
            if (f->errors) {
                int64_t kept = errors_kept_per_code(f->errors);
                snprintf(t, sizeof t, "%s rejected in %zu code%s", fmt_count(n, sizeof n, f->errors->total),
                         f->errors->ngroups, f->errors->ngroups == 1 ? "" : "s");
                if (kept >= 0)
                    snprintf(t + strlen(t), sizeof t - strlen(t), kept ? ": first %s of each code kept"
                             : ": counts only, no rows kept", fmt_count(k, sizeof k, kept));
            }
            else
                snprintf(t, sizeof t, "%s", f->list.inflight ? "loading" : "");
            if (f->show_attempts)
                snprintf(t, sizeof t, "%zu (a: back to the errors)", f->errors ? f->errors->nattempts : 0);
            x += draw_text(w, y, 0, width, s->attr[ROLE_TITLE], f->show_attempts ? " Attempts " : " Errors ", NULL);
            x += draw_text(w, y, x, width - x, s->attr[ROLE_NORMAL], t, NULL);
            x += draw_text(w, y, x, width - x, s->attr[ROLE_NORMAL], " ", NULL);
            while (x < width)
                x += draw_text(w, y, x, 1, s->attr[ROLE_BORDER], s->g.hline, NULL);
            break;
        }
        }
        draw_fill(w, y, x, width - x, s->attr[ROLE_NORMAL]);
    }
}

/* The attempt history: two lines each, newest first. */
static void draw_attempts(struct app *app, WINDOW *w, int y, int end, int width)
{
    const struct file_state *f = &app->file;
    const struct screen *s = &app->scr;
    int64_t now = app_now();
    for (size_t i = 0; f->errors && i < f->errors->nattempts && y < end; i++) {
        const struct file_attempt *a = &f->errors->attempts[i];
        char buf[400], t1[64], t2[64], c1[32], c2[32], c3[32];
        snprintf(buf, sizeof buf, "   #%-3d ", a->attempt);
        int x = draw_text(w, y, 0, width, s->attr[ROLE_TITLE], buf, NULL);
        snprintf(buf, sizeof buf, "%-9s", a->status);
        x += draw_text(w, y, x, width - x, s->attr[file_status_role(a->status)], buf, NULL);
        snprintf(buf, sizeof buf, " started %s  finished %s  by %s  rows %s  loaded %s  rejected %s",
                 fmt_when(t1, sizeof t1, a->started_at, now),
                 a->finished_at ? fmt_when(t2, sizeof t2, a->finished_at, now) : "-",
                 a->claimed_by[0] ? a->claimed_by : "-", fmt_count(c1, sizeof c1, a->rows_total),
                 fmt_count(c2, sizeof c2, a->rows_loaded), fmt_count(c3, sizeof c3, a->rows_rejected));
        x += draw_text(w, y, x, width - x, s->attr[ROLE_NORMAL], buf, s->g.ellipsis);
        draw_fill(w, y++, x, width - x, s->attr[ROLE_NORMAL]);
        if (y >= end)
            break;
        x = draw_text(w, y, 0, width, s->attr[ROLE_DIM], "        ", NULL);
        x += draw_text_from(w, y, x, width - x, s->attr[ROLE_NORMAL], a->message[0] ? a->message : "-",
                            f->hscroll);
        draw_fill(w, y++, x, width - x, s->attr[ROLE_NORMAL]);
    }
    while (y < end)
        draw_fill(w, y++, 0, width, s->attr[ROLE_NORMAL]);
}

static void file_draw(struct app *app, WINDOW *w, int top, int h, int width)
{
    struct file_state *f = &app->file;
    const struct screen *s = &app->scr;
    if (!f->file_id) {
        int x = draw_text(w, top, 0, width, s->attr[ROLE_DIM],
                          " No file open: pick one in Files (2) and press Enter, or type :open ID", NULL);
        draw_fill(w, top, x, width - x, s->attr[ROLE_NORMAL]);
        for (int y = top + 1; y < top + h; y++)
            draw_fill(w, y, 0, width, s->attr[ROLE_NORMAL]);
        return;
    }
    draw_meta(app, w, top, width);
    int y = top + META_LINES, end = top + h;
    if (f->show_attempts) {
        draw_attempts(app, w, y, end, width);
        return;
    }
    int lh = end - y;
    list_fit(&f->list, lh);
    if (f->errors && f->errors->ngroups == 0 && y < end) {
        int x = draw_text(w, y, 0, width, s->attr[ROLE_DIM], "   no validation errors", NULL);
        draw_fill(w, y++, x, width - x, s->attr[ROLE_NORMAL]);
    }
    const int cw_line = 7, cw_code = 20, cw_col = 11;
    for (size_t i = f->list.top; i < f->nitems && y < end; i++) {
        const struct detail_item *it = &f->items[i];
        bool sel = i == f->list.sel;
        attr_t base = sel ? s->attr[ROLE_SELECTION] : s->attr[ROLE_NORMAL];
        const struct error_group *g = &f->errors->groups[it->group];
        int x = 0;
        char buf[256];
        if (it->kind == ITEM_GROUP) {
            x += draw_text(w, y, x, width, base, " ", NULL);
            x += draw_text(w, y, x, width - x, base, f->expanded[it->group] ? s->g.open : s->g.closed, NULL);
            snprintf(buf, sizeof buf, " %-*s", cw_code, g->code);
            x += draw_text(w, y, x, width - x, sel ? base : s->attr[ROLE_WARN], buf, NULL);
            snprintf(buf, sizeof buf, " %6lld  ", (long long)g->count);
            x += draw_text(w, y, x, width - x, sel ? base : s->attr[ROLE_TITLE], buf, NULL);
            if (g->first_line == g->last_line)
                snprintf(buf, sizeof buf, "line %lld", (long long)g->first_line);
            else
                snprintf(buf, sizeof buf, "lines %lld-%lld", (long long)g->first_line, (long long)g->last_line);
            x += draw_text(w, y, x, width - x, sel ? base : s->attr[ROLE_DIM], buf, NULL);
            if (g->columns[0]) {
                snprintf(buf, sizeof buf, "  column %s", g->columns);
                x += draw_text(w, y, x, width - x, sel ? base : s->attr[ROLE_DIM], buf, s->g.ellipsis);
            }
            draw_fill(w, y++, x, width - x, base);
        } else if (it->kind == ITEM_MORE) {
            snprintf(buf, sizeof buf, "      %s %lld more %s errors counted, not kept (the first %zu are)",
                     s->g.ellipsis, (long long)(g->count - (int64_t)g->nrows), g->code, g->nrows);
            x = draw_text(w, y, 0, width, sel ? base : s->attr[ROLE_DIM], buf, s->g.ellipsis);
            draw_fill(w, y++, x, width - x, base);
        } else {
            const struct error_row *r = &f->errors->rows[it->row];
            bool m = is_match(f, it->row);
            snprintf(buf, sizeof buf, "   %*lld", cw_line, (long long)r->line_no);
            x += draw_text(w, y, x, width, sel ? base : s->attr[m ? ROLE_MATCH : ROLE_TITLE], buf, NULL);
            snprintf(buf, sizeof buf, "  %-*s", cw_code, r->code);
            x += draw_text(w, y, x, width - x, sel ? base : s->attr[ROLE_WARN], buf, NULL);
            snprintf(buf, sizeof buf, "  %-*s  ", cw_col, r->column[0] ? r->column : "-");
            x += draw_text(w, y, x, width - x, sel ? base : s->attr[ROLE_DIM], buf, NULL);
            x += draw_text_from(w, y, x, width - x, base, r->message, f->hscroll);
            draw_fill(w, y++, x, width - x, base);
            if (y >= end)
                break;
            x = 0;
            snprintf(buf, sizeof buf, "   %*s  raw: ", cw_line, "");
            x += draw_text(w, y, x, width, sel ? base : s->attr[ROLE_DIM], buf, NULL);
            x += draw_text_from(w, y, x, width - x, sel ? base : s->attr[ROLE_NORMAL], r->raw, f->hscroll);
            draw_fill(w, y++, x, width - x, base);
        }
    }
    while (y < end)
        draw_fill(w, y++, 0, width, s->attr[ROLE_NORMAL]);
}

static void file_move(struct app *app, long delta)
{
    list_move(&app->file.list, delta);
    fit(app);
}

static void file_activate(struct app *app)
{
    file_toggle(app);
}

static void file_click(struct app *app, int row)
{
    list_click(&app->file.list, row - META_LINES);
}

const struct view_ops view_file = {
    .name = "file", .title = "File", .enter = file_enter, .tick = file_refresh, .draw = file_draw,
    .select = file_move, .activate = file_activate, .click = file_click, .init = file_init,
};
