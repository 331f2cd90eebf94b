/* view_migration.c - the Migration view: the newest move to another server recorded on
 * the source (`meterops migrate`), its state, target, start and cut-over pause, the
 * migration slot's lag and the queue on each side, and per table and reading_day
 * partition the row estimates of both sides (a difference beyond a small tolerance in the
 * warning role) with the initial copy's state on the target. The target is read on a
 * connection of the view's own (the recorded conninfo, or --target-db), opened while the
 * view is shown; when it cannot be reached one line says so and it retries with backoff.
 * Both sides refresh with the console's timer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/dbasync.h"
#include "backend/textfmt.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/views.h"
#include "ui/widget_table.h"

/* Tags: which answer (low bits) of which target connection (dst_gen above them). */
enum { ANS_RECORD, ANS_SRC_SIDE, ANS_SRC_SIZES, ANS_SRC_EXACT, ANS_DST_SIDE, ANS_DST_SIZES, ANS_DST_COPY, ANS_DST_EXACT,
       ANS_BITS = 4 };
/* Estimates within this many rows, or this fraction of the larger, are equal enough:
 * the statistics lag the data by a moment on either side. */
enum { TOLERANCE_ROWS = 10 };
#define TOLERANCE_FRACTION 0.01

static size_t mig_count(const void *ctx)
{
    const struct app *app = ctx;
    return app->migration.nlines;
}

static int64_t mig_id(const void *ctx, size_t i)
{
    const struct app *app = ctx;
    /* a stable id across refreshes: the relation's name hashed */
    uint64_t h = 1469598103934665603ull;
    for (const char *p = app->migration.lines[i].relation; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return (int64_t)(h >> 1);
}

static const struct list_ops mig_list_ops = { .count = mig_count, .id = mig_id };

static void mig_init(struct app *app)
{
    list_init(&app->migration.list, &mig_list_ops, app);
}

static const char *subscription_name(const struct migration_state *m)
{
    return m->rec && m->rec->found && m->rec->subscription[0] ? m->rec->subscription : MIGRATION_DEFAULT_NAME;
}

/* The target's conninfo: --target-db, else the recorded one; NULL when neither. */
static const char *target_conninfo(const struct app *app)
{
    const struct migration_state *m = &app->migration;
    if (app->opts.target_conninfo && app->opts.target_conninfo[0])
        return app->opts.target_conninfo;
    if (m->rec && m->rec->found && m->rec->target[0])
        return m->rec->target;
    return NULL;
}

static void forget_target_answers(struct migration_state *m)
{
    mig_side_free(m->dst_side);
    mig_sizes_free(m->dst_sizes);
    mig_copy_free(m->copy);
    m->dst_side = NULL;
    m->dst_sizes = NULL;
    m->copy = NULL;
    mig_sizes_free(m->src_exact); /* counts of one side alone compare with nothing */
    mig_sizes_free(m->dst_exact);
    m->src_exact = m->dst_exact = NULL;
    m->dst_err[0] = '\0';
    m->dst_answered = false;
}

static void close_target(struct migration_state *m)
{
    if (!m->target)
        return;
    m->dst_gen++; /* the answers dba_close fails are stale */
    dba_close(m->target);
    m->target = NULL;
    m->dst_pending = 0;
    m->exact_pending = 0;
    m->target_conninfo[0] = '\0';
    forget_target_answers(m);
}

static void on_target_state(void *ctx, enum dba_state state)
{
    struct app *app = ctx;
    struct migration_state *m = &app->migration;
    if (state == DBA_WAITING)
        forget_target_answers(m); /* figures of a server gone are not shown as current */
    app->dirty = true;
}

static void rebuild(struct app *app);

/* Opens the target connection when the view is shown and its conninfo is known (again
 * when that changed). */
static void open_target(struct app *app)
{
    struct migration_state *m = &app->migration;
    const char *ci = target_conninfo(app);
    if (m->target && (!ci || strcmp(ci, m->target_conninfo) != 0))
        close_target(m);
    if (m->target || !ci || app->view != VIEW_MIGRATION)
        return;
    struct dba_options o = {
        .conninfo = ci,
        .app_name = "meterops console migration",
        .limits = { app->opts.statement_timeout_ms, app->opts.lock_timeout_ms },
        .connect_timeout_s = 10,
        .max_backoff_s = app->opts.retry_max_s,
    };
    m->target = dba_open(&o);
    if (!m->target) {
        snprintf(m->dst_err, sizeof m->dst_err, "out of memory");
        return;
    }
    snprintf(m->target_conninfo, sizeof m->target_conninfo, "%s", ci);
    dba_set_callbacks(m->target, NULL, on_target_state, app);
}

static uint64_t dst_tag(const struct migration_state *m, int kind)
{
    return (m->dst_gen << ANS_BITS) | (uint64_t)kind;
}

/* An answer of the target: false when it belongs to a connection since closed. */
static bool dst_current(struct migration_state *m, uint64_t tag)
{
    if ((tag >> ANS_BITS) != m->dst_gen)
        return false;
    if (m->dst_pending > 0)
        m->dst_pending--;
    return true;
}

static void dst_failed(struct app *app, const struct mo_err *err)
{
    struct migration_state *m = &app->migration;
    /* a lost connection is said by the target's line from dba_info, not as an error */
    if (strcmp(err->code, "connection") != 0 && strcmp(err->code, "closed") != 0)
        snprintf(m->dst_err, sizeof m->dst_err, "%.250s", err->message);
    app->dirty = true;
}

static void dst_side_done(void *ctx, uint64_t tag, struct mig_side *s, const struct mo_err *err)
{
    struct app *app = ctx;
    struct migration_state *m = &app->migration;
    if (!dst_current(m, tag)) {
        mig_side_free(s);
        return;
    }
    if (!s) {
        dst_failed(app, err);
        return;
    }
    mig_side_free(m->dst_side);
    m->dst_side = s;
    m->dst_answered = true;
    app->dirty = true;
}

static void dst_sizes_done(void *ctx, uint64_t tag, struct mig_sizes *s, const struct mo_err *err)
{
    struct app *app = ctx;
    struct migration_state *m = &app->migration;
    if (!dst_current(m, tag)) {
        mig_sizes_free(s);
        return;
    }
    if (!s) {
        dst_failed(app, err);
        return;
    }
    mig_sizes_free(m->dst_sizes);
    m->dst_sizes = s;
    m->dst_err[0] = '\0';
    m->dst_answered = true;
    rebuild(app);
}

static void dst_copy_done(void *ctx, uint64_t tag, struct mig_copy *c, const struct mo_err *err)
{
    struct app *app = ctx;
    struct migration_state *m = &app->migration;
    if (!dst_current(m, tag)) {
        mig_copy_free(c);
        return;
    }
    if (!c) {
        dst_failed(app, err);
        return;
    }
    mig_copy_free(m->copy);
    m->copy = c;
    rebuild(app);
}

static void fetch_target(struct app *app)
{
    struct migration_state *m = &app->migration;
    open_target(app);
    if (!m->target || m->dst_pending > 0)
        return;
    struct dba_info info;
    dba_info(m->target, dba_now_ms(), &info);
    if (info.state != DBA_READY)
        return; /* asked once it is (migration_poll) */
    struct mo_err err;
    const char *name = subscription_name(m);
    int sent = 0;
    if (mig_sizes_fetch(m->target, dst_sizes_done, app, dst_tag(m, ANS_DST_SIZES), &err) == 0)
        sent++;
    if (mig_copy_fetch(m->target, name, dst_copy_done, app, dst_tag(m, ANS_DST_COPY), &err) == 0)
        sent++;
    if (mig_side_fetch(m->target, name, dst_side_done, app, dst_tag(m, ANS_DST_SIDE), &err) == 0)
        sent++;
    m->dst_pending = sent;
}

/* --- exact counts, on demand (`c`) ----------------------------------------------------- */

static void exact_done(void *ctx, uint64_t tag, struct mig_sizes *s, const struct mo_err *err)
{
    struct app *app = ctx;
    struct migration_state *m = &app->migration;
    bool target = (tag & ((1u << ANS_BITS) - 1)) == ANS_DST_EXACT;
    if (target && (tag >> ANS_BITS) != m->dst_gen) {
        mig_sizes_free(s);
        return;
    }
    if (m->exact_pending > 0)
        m->exact_pending--;
    if (!s) {
        app_message(app, MSG_ERROR, "exact counts on the %s: %s", target ? "target" : "source", err->message);
        return;
    }
    struct mig_sizes **slot = target ? &m->dst_exact : &m->src_exact;
    mig_sizes_free(*slot);
    *slot = s;
    rebuild(app);
    if (m->exact_pending == 0 && m->src_exact && m->dst_exact) {
        size_t differ = 0;
        for (size_t i = 0; i < m->nlines; i++)
            differ += m->lines[i].src_exact != m->lines[i].dst_exact;
        if (differ)
            app_message(app, MSG_WARN, "exact counts: %zu relation%s differ", differ, differ == 1 ? "" : "s");
        else
            app_message(app, MSG_OK, "exact counts: every relation equal on both sides");
    }
}

void migration_count_exact(struct app *app)
{
    struct migration_state *m = &app->migration;
    struct dba_info info = { 0 };
    if (m->target)
        dba_info(m->target, dba_now_ms(), &info);
    if (!m->target || info.state != DBA_READY) {
        app_message(app, MSG_WARN, "exact counts need the target: it is not connected");
        return;
    }
    if (m->exact_pending > 0) {
        app_message(app, MSG_INFO, "still counting...");
        return;
    }
    struct mo_err err;
    if (mig_counts_fetch(app->db, exact_done, app, ANS_SRC_EXACT, &err) < 0) {
        app_message(app, MSG_ERROR, "exact counts: %s", err.message);
        return;
    }
    m->exact_pending = 1;
    if (mig_counts_fetch(m->target, exact_done, app, dst_tag(m, ANS_DST_EXACT), &err) == 0)
        m->exact_pending++;
    app_message(app, MSG_INFO, "counting every relation's rows on both sides...");
}

/* --- the source ------------------------------------------------------------------------ */

static void src_failed(struct app *app, const struct mo_err *err)
{
    struct migration_state *m = &app->migration;
    snprintf(m->src_err, sizeof m->src_err, "%.250s", err->message);
    app->dirty = true;
}

static void src_side_done(void *ctx, uint64_t tag, struct mig_side *s, const struct mo_err *err)
{
    (void)tag;
    struct app *app = ctx;
    struct migration_state *m = &app->migration;
    if (m->src_pending > 0)
        m->src_pending--;
    if (!s) {
        src_failed(app, err);
        return;
    }
    mig_side_free(m->src_side);
    m->src_side = s;
    app->dirty = true;
}

static void src_sizes_done(void *ctx, uint64_t tag, struct mig_sizes *s, const struct mo_err *err)
{
    (void)tag;
    struct app *app = ctx;
    struct migration_state *m = &app->migration;
    if (m->src_pending > 0)
        m->src_pending--;
    if (!s) {
        src_failed(app, err);
        return;
    }
    mig_sizes_free(m->src_sizes);
    m->src_sizes = s;
    rebuild(app);
}

static void record_done(void *ctx, uint64_t tag, struct mig_record *r, const struct mo_err *err)
{
    (void)tag;
    struct app *app = ctx;
    struct migration_state *m = &app->migration;
    if (m->src_pending > 0)
        m->src_pending--;
    app->dirty = true;
    if (!r) {
        src_failed(app, err);
        return;
    }
    m->src_err[0] = '\0';
    mig_record_free(m->rec);
    m->rec = r;
    if (!target_conninfo(app)) {
        close_target(m);
        return; /* nothing to compare with: the view says how to start a move */
    }
    struct mo_err e;
    if (mig_side_fetch(app->db, subscription_name(m), src_side_done, app, ANS_SRC_SIDE, &e) == 0)
        m->src_pending++;
    if (mig_sizes_fetch(app->db, src_sizes_done, app, ANS_SRC_SIZES, &e) == 0)
        m->src_pending++;
    fetch_target(app);
}

static void fetch(struct app *app)
{
    struct migration_state *m = &app->migration;
    if (m->src_pending == 0) {
        struct mo_err err;
        if (mig_record_fetch(app->db, record_done, app, ANS_RECORD, &err) == 0)
            m->src_pending = 1;
        else
            src_failed(app, &err);
    }
    fetch_target(app);
}

static void mig_enter(struct app *app) { fetch(app); }
static void mig_tick(struct app *app) { fetch(app); }

void migration_poll(struct app *app, long long now_ms)
{
    (void)now_ms;
    struct migration_state *m = &app->migration;
    if (app->view != VIEW_MIGRATION) {
        close_target(m); /* only while the view is shown */
        return;
    }
    /* a connection just made answers at once rather than at the next tick */
    if (m->target && !m->dst_answered && m->dst_pending == 0)
        fetch_target(app);
}

struct dba *migration_db(const struct app *app) { return app->migration.target; }

void migration_free_all(struct app *app)
{
    struct migration_state *m = &app->migration;
    close_target(m);
    mig_record_free(m->rec);
    mig_side_free(m->src_side);
    mig_sizes_free(m->src_sizes);
    mig_sizes_free(m->src_exact);
    mig_sizes_free(m->dst_exact);
    free(m->lines);
    memset(m, 0, sizeof *m);
}

/* --- the table ------------------------------------------------------------------------- */

static int line_cmp(const void *a, const void *b)
{
    return strcmp(((const struct mig_line *)a)->relation, ((const struct mig_line *)b)->relation);
}

static const struct mig_copy_rel *copy_of(const struct mig_copy *c, const char *relation)
{
    static const char root[] = "meterops.reading_day";
    const struct mig_copy_rel *parent = NULL;
    bool partition = strncmp(relation, root, sizeof root - 1) == 0 && relation[sizeof root - 1] == '_';
    for (size_t i = 0; c && i < c->n; i++) {
        if (strcmp(c->rows[i].relation, relation) == 0)
            return &c->rows[i];
        if (partition && strcmp(c->rows[i].relation, root) == 0)
            parent = &c->rows[i]; /* published through its root: the partitions copy with it */
    }
    return parent;
}

static int64_t rows_of(const struct mig_sizes *s, const char *relation)
{
    for (size_t i = 0; s && i < s->n; i++)
        if (strcmp(s->rows[i].relation, relation) == 0)
            return s->rows[i].est_rows;
    return -1;
}

static bool differ(int64_t a, int64_t b)
{
    int64_t big = a > b ? a : b, d = a > b ? a - b : b - a;
    return d > TOLERANCE_ROWS && (double)d > TOLERANCE_FRACTION * (double)big;
}

static void new_line(struct mig_line *l, const char *relation, int64_t src_rows)
{
    *l = (struct mig_line){ .src_rows = src_rows, .dst_rows = -1, .copied_rows = -1,
                            .src_exact = -1, .dst_exact = -1 };
    snprintf(l->relation, sizeof l->relation, "%s", relation);
}

static void rebuild(struct app *app)
{
    struct migration_state *m = &app->migration;
    app->dirty = true;
    size_t ns = m->src_sizes ? m->src_sizes->n : 0, nd = m->dst_sizes ? m->dst_sizes->n : 0;
    int64_t keep = list_count(&m->list) ? list_selected_id(&m->list) : -1;
    struct mig_line *lines = calloc(ns + nd + 1, sizeof *lines);
    if (!lines)
        return;
    size_t n = 0;
    for (size_t i = 0; i < ns; i++)
        new_line(&lines[n++], m->src_sizes->rows[i].relation, m->src_sizes->rows[i].est_rows);
    for (size_t j = 0; j < nd; j++) {
        const struct mig_rel *d = &m->dst_sizes->rows[j];
        size_t i = 0;
        while (i < ns && strcmp(lines[i].relation, d->relation) != 0)
            i++;
        if (i == ns)
            new_line(&lines[i = n++], d->relation, -1);
        lines[i].dst_rows = d->est_rows;
    }
    for (size_t i = 0; i < n; i++) {
        struct mig_line *l = &lines[i];
        const struct mig_copy_rel *c = copy_of(m->copy, l->relation);
        if (c) {
            snprintf(l->copy_state, sizeof l->copy_state, "%s", c->state);
            if (strcmp(c->relation, l->relation) == 0)
                l->copied_rows = c->copied_rows;
        }
        l->src_exact = rows_of(m->src_exact, l->relation);
        l->dst_exact = rows_of(m->dst_exact, l->relation);
        if (m->dst_sizes && m->src_sizes)
            l->differs = l->src_rows < 0 || l->dst_rows < 0 || differ(l->src_rows, l->dst_rows);
    }
    qsort(lines, n, sizeof *lines, line_cmp);
    free(m->lines);
    m->lines = lines;
    m->nlines = n;
    list_rows_changed(&m->list, keep);
}

static void cell(void *ctx, size_t r, int col, int width, char *buf, size_t len, int *role)
{
    (void)width;
    struct app *app = ctx;
    const struct migration_state *m = &app->migration;
    const struct mig_line *l = &app->migration.lines[r];
    if (l->differs)
        *role = ROLE_WARN;
    switch (col) {
    case 0: snprintf(buf, len, "%s", l->relation); break;
    case 1:
    case 2: {
        int64_t v = col == 1 ? l->src_rows : l->dst_rows;
        if (v < 0)
            snprintf(buf, len, "-");
        else
            snprintf(buf, len, "%lld", (long long)v);
        break;
    }
    case 3:
        if (l->src_rows < 0 || l->dst_rows < 0)
            snprintf(buf, len, "%s", app->migration.dst_sizes ? "missing" : "");
        else if (!l->differs)
            snprintf(buf, len, "=");
        else
            snprintf(buf, len, "%+lld", (long long)(l->dst_rows - l->src_rows));
        break;
    case 4:
        snprintf(buf, len, "%s", l->copy_state);
        if (l->copy_state[0] && strcmp(l->copy_state, "ready") != 0)
            *role = ROLE_WARN;
        break;
    case 5:
        if (l->copied_rows >= 0)
            snprintf(buf, len, "%lld", (long long)l->copied_rows);
        else
            buf[0] = '\0';
        break;
    case 6:
        if (!m->src_exact && !m->dst_exact)
            buf[0] = '\0';
        else if (l->src_exact == l->dst_exact)
            snprintf(buf, len, "%lld", (long long)l->src_exact);
        else {
            char a[24] = "?", b[24] = "?";
            if (l->src_exact >= 0)
                snprintf(a, sizeof a, "%lld", (long long)l->src_exact);
            if (l->dst_exact >= 0)
                snprintf(b, sizeof b, "%lld", (long long)l->dst_exact);
            snprintf(buf, len, "%s vs %s", a, b);
            *role = ROLE_WARN;
        }
        break;
    }
}

/* --- drawing --------------------------------------------------------------------------- */

static int put(WINDOW *w, int y, int x, int width, attr_t attr, const char *text)
{
    if (x >= width)
        return x;
    return x + draw_text(w, y, x, width - x, attr, text, NULL);
}

static void queue_text(char *buf, size_t len, const struct mig_side *s)
{
    snprintf(buf, len, "queue %lld queued, %lld loading   last loaded %s", (long long)s->queued,
             (long long)s->loading, s->last_loaded[0] ? s->last_loaded : "none");
}

static void draw_source(struct app *app, WINDOW *w, int y, int width)
{
    const struct migration_state *m = &app->migration;
    const struct screen *s = &app->scr;
    char line[700], lag[64], secs[32];
    int x = put(w, y, 0, width, s->attr[ROLE_HEADER], " Source  ");
    if (m->src_side) {
        const struct mig_side *d = m->src_side;
        if (d->lag_bytes < 0)
            snprintf(lag, sizeof lag, "no slot %s", subscription_name(m));
        else {
            fmt_bytes(secs, sizeof secs, d->lag_bytes);
            int n = snprintf(lag, sizeof lag, "lag %s", secs);
            if (d->lag_s >= 0)
                snprintf(lag + n, sizeof lag - (size_t)n, ", %.1f s", d->lag_s);
        }
        x = put(w, y, x, width, s->attr[d->slot_active == 1 ? ROLE_NORMAL : ROLE_WARN], lag);
        if (d->slot_active == 0)
            x = put(w, y, x, width, s->attr[ROLE_WARN], " (slot inactive)");
        queue_text(line, sizeof line, d);
        x = put(w, y, x, width, s->attr[ROLE_NORMAL], "   ");
        x = put(w, y, x, width, s->attr[ROLE_NORMAL], line);
    }
    if (m->src_err[0]) {
        x = put(w, y, x, width, s->attr[ROLE_NORMAL], "   ");
        x = put(w, y, x, width, s->attr[ROLE_ERROR], m->src_err);
    }
    draw_fill(w, y, x, width - x, s->attr[ROLE_NORMAL]);
}

static void draw_target(struct app *app, WINDOW *w, int y, int width)
{
    const struct migration_state *m = &app->migration;
    const struct screen *s = &app->scr;
    char line[700];
    int x = put(w, y, 0, width, s->attr[ROLE_HEADER], " Target  ");
    struct dba_info info = { 0 };
    if (m->target)
        dba_info(m->target, dba_now_ms(), &info);
    if (m->target && info.state != DBA_READY && (info.attempts > 0 || info.ever_connected)) {
        /* the retry first: the server's message is long and the line is cut at the edge */
        if (info.state == DBA_WAITING)
            snprintf(line, sizeof line, "unreachable, retrying in %ds: %s", info.retry_in_s,
                     info.error[0] ? info.error : "no answer");
        else
            snprintf(line, sizeof line, "unreachable, trying again: %s", info.error[0] ? info.error : "no answer");
        for (char *p = line; *p; p++)
            if (*p == '\n')
                *p = ' ';
        x = put(w, y, x, width, s->attr[ROLE_WARN], line);
    } else if (!m->target || info.state != DBA_READY) {
        x = put(w, y, x, width, s->attr[ROLE_DIM], "connecting...");
    } else {
        if (m->dst_side) {
            queue_text(line, sizeof line, m->dst_side);
            x = put(w, y, x, width, s->attr[ROLE_NORMAL], line);
        }
        if (m->dst_err[0]) {
            x = put(w, y, x, width, s->attr[ROLE_NORMAL], "   ");
            x = put(w, y, x, width, s->attr[ROLE_ERROR], m->dst_err);
        }
    }
    draw_fill(w, y, x, width - x, s->attr[ROLE_NORMAL]);
}

static void mig_draw(struct app *app, WINDOW *w, int top, int h, int width)
{
    struct migration_state *m = &app->migration;
    const struct screen *s = &app->scr;
    const struct mig_record *r = m->rec;
    char line[1400];
    if (!r)
        snprintf(line, sizeof line, " Migration  %s", m->src_err[0] ? m->src_err : "loading...");
    else if (!r->found && !target_conninfo(app))
        snprintf(line, sizeof line, " Migration  none recorded: start one with meterops migrate start --to TARGET");
    else if (!r->found)
        snprintf(line, sizeof line, " Migration  none recorded; comparing with %s", target_conninfo(app));
    else {
        int n = snprintf(line, sizeof line, " Migration #%lld  %s  to %s  started %s", (long long)r->id, r->state,
                         target_conninfo(app), r->started_at);
        if (strcmp(r->state, "done") == 0 && r->pause_ms >= 0 && n > 0 && (size_t)n < sizeof line)
            snprintf(line + n, sizeof line - (size_t)n, "  cut-over pause %lld ms", (long long)r->pause_ms);
    }
    int role = r && r->found && (!strcmp(r->state, "aborted")) ? ROLE_WARN : ROLE_TITLE;
    int x = put(w, top, 0, width, s->attr[!r && m->src_err[0] ? ROLE_ERROR : role], line);
    draw_fill(w, top, x, width - x, s->attr[ROLE_NORMAL]);
    if (!r || !target_conninfo(app) || h < 4) {
        for (int y = top + 1; y < top + h; y++)
            draw_fill(w, y, 0, width, s->attr[ROLE_NORMAL]);
        return;
    }
    draw_source(app, w, top + 1, width);
    draw_target(app, w, top + 2, width);
    static const struct table_col cols[] = {
        { "Relation", 0, 0 }, { "Source est", 12, 1 }, { "Target est", 12, 1 }, { "Diff", 9, 1 },
        { "Copy", 8, 0 }, { "Copied", 10, 1 }, { "Exact (c)", 21, 1 },
    };
    table_draw(app, w, top + 3, h - 3, width, cols, 7, &m->list, cell, app, -1);
}

static void mig_move(struct app *app, long delta) { list_move(&app->migration.list, delta); }
static void mig_click(struct app *app, int row) { table_click(&app->migration.list, 3, row); }

const struct view_ops view_migration = {
    .name = "migration", .title = "Migration", .enter = mig_enter, .tick = mig_tick, .draw = mig_draw,
    .select = mig_move, .click = mig_click, .init = mig_init,
};
