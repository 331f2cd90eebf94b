/* view_dashboard.c - the dashboard: the queue and the last 24 h of files, throughput,
 * each loading file with a progress bar and ETA, COPYs in flight, meters, database health
 * and the same health checks `meterops status` exits with. Only formats what
 * fetch_dashboard.h delivers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "backend/health.h"
#include "backend/textfmt.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/views.h"

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
    if (d->parts_ok & DASH_METERS) {
        app->dash.meters = d->meters;
        app->dash.have_meters = true;
    }
    dashboard_free(app->dash.d);
    app->dash.d = d;
    app->dash.at = app_now();
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
    unsigned parts = DASH_ALL;
    /* Meter counts read the readings table: they refresh five times less often. */
    if (app->dash.have_meters && now < app->dash.meters_due_ms)
        parts &= ~(unsigned)DASH_METERS;
    else
        app->dash.meters_due_ms = now + 5LL * app->opts.refresh_s * 1000;
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

/* "Title ──────" across the line. */
static void section(struct app *app, WINDOW *w, int y, int width, const char *title, const char *right)
{
    const struct screen *s = &app->scr;
    draw_fill(w, y, 0, 1, s->attr[ROLE_NORMAL]);
    int x = 1 + draw_text(w, y, 1, width - 1, s->attr[ROLE_TITLE], title, NULL);
    draw_fill(w, y, x, 1, s->attr[ROLE_NORMAL]);
    x++;
    int rw = right ? text_width(right) + 2 : 0;
    for (; x < width - rw; x++)
        draw_text(w, y, x, 1, s->attr[ROLE_BORDER], s->g.hline, NULL);
    if (right && x < width) {
        draw_fill(w, y, x, 1, s->attr[ROLE_NORMAL]);
        x += 1 + draw_text(w, y, x + 1, width - x - 1, s->attr[ROLE_DIM], right, NULL);
    }
    draw_fill(w, y, x, width - x, s->attr[ROLE_NORMAL]);
}

/* A line built from segments, each with its role. */
struct line {
    WINDOW *w;
    int y, x, width;
    const struct screen *s;
};

static void seg(struct line *l, int role, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void seg(struct line *l, int role, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (l->x < l->width)
        l->x += draw_text(l->w, l->y, l->x, l->width - l->x, l->s->attr[role], buf, NULL);
}

static void count(struct line *l, const char *label, int64_t n, int role_if_nonzero)
{
    char b[32];
    seg(l, ROLE_NORMAL, "%s ", label);
    seg(l, n > 0 ? role_if_nonzero : ROLE_NORMAL, "%s", fmt_count(b, sizeof b, n));
    seg(l, ROLE_NORMAL, "   ");
}

static void line_end(struct line *l)
{
    draw_fill(l->w, l->y, l->x, l->width - l->x, l->s->attr[ROLE_NORMAL]);
}

static struct line line_at(struct app *app, WINDOW *w, int y, int width)
{
    struct line l = { w, y, 0, width, &app->scr };
    seg(&l, ROLE_NORMAL, "  ");
    return l;
}

static void unavailable(struct line *l, const struct dashboard *d)
{
    seg(l, ROLE_WARN, "unavailable");
    seg(l, ROLE_DIM, " %s", d->err.message);
}

static void dash_draw(struct app *app, WINDOW *w, int top, int h, int width)
{
    const struct screen *s = &app->scr;
    const struct dashboard *d = app->dash.d;
    int y = top, end = top + h;
    char a[48], b[48], c[48], e[48];
#define ROOM (y < end)
    if (!d) {
        struct line l = line_at(app, w, y++, width);
        seg(&l, ROLE_DIM, "waiting for the first answer from the database %s", s->g.ellipsis);
        line_end(&l);
        while (ROOM)
            draw_fill(w, y++, 0, width, s->attr[ROLE_NORMAL]);
        return;
    }
    /* Files */
    if (ROOM) {
        char right[96];
        fmt_when(a, sizeof a, app->dash.at, app_now());
        snprintf(right, sizeof right, "queue now, finished in the last 24 h  %s", a);
        section(app, w, y++, width, "Files", right);
    }
    if (ROOM) {
        struct line l = line_at(app, w, y++, width);
        if (d->parts_ok & DASH_FILES) {
            count(&l, "queued", d->files.queued, ROLE_NORMAL);
            count(&l, "loading", d->files.loading, ROLE_BAR);
            count(&l, "loaded", d->files.loaded, ROLE_OK);
            count(&l, "rejected", d->files.rejected, ROLE_WARN);
            count(&l, "failed", d->files.failed, ROLE_ERROR);
        } else {
            unavailable(&l, d);
        }
        line_end(&l);
    }
    if (ROOM && (d->parts_ok & DASH_FILES)) {
        struct line l = line_at(app, w, y++, width);
        seg(&l, ROLE_DIM, "oldest queued ");
        seg(&l, ROLE_NORMAL, "%s", d->files.oldest_queued_s < 0 ? "none" : fmt_duration(a, sizeof a, d->files.oldest_queued_s));
        seg(&l, ROLE_DIM, "   expired leases ");
        seg(&l, d->files.expired_leases ? ROLE_ERROR : ROLE_NORMAL, "%lld", (long long)d->files.expired_leases);
        seg(&l, ROLE_DIM, "   readings in 24 h ");
        seg(&l, ROLE_NORMAL, "%s", fmt_count(b, sizeof b, d->files.readings_24h));
        seg(&l, ROLE_DIM, "   rows rejected ");
        seg(&l, ROLE_NORMAL, "%s", fmt_count(c, sizeof c, d->files.rows_rejected_24h));
        line_end(&l);
    }
    if (ROOM) {
        struct line l = line_at(app, w, y++, width);
        seg(&l, ROLE_DIM, "throughput ");
        if (d->parts_ok & DASH_THROUGHPUT) {
            seg(&l, ROLE_TITLE, "%s", fmt_count(a, sizeof a, (int64_t)(d->readings_per_s + 0.5)));
            seg(&l, ROLE_NORMAL, " readings/s");
            seg(&l, ROLE_DIM, " over the last minute");
        } else {
            unavailable(&l, d);
        }
        line_end(&l);
    }
    /* Loading */
    if (ROOM) {
        snprintf(b, sizeof b, "Loading (%zu)", d->nloading);
        section(app, w, y++, width, (d->parts_ok & DASH_LOADING) ? b : "Loading", NULL);
    }
    if (ROOM && !(d->parts_ok & DASH_LOADING)) {
        struct line l = line_at(app, w, y++, width);
        unavailable(&l, d);
        line_end(&l);
    } else if (ROOM && d->nloading == 0) {
        struct line l = line_at(app, w, y++, width);
        seg(&l, ROLE_DIM, "nothing loading");
        line_end(&l);
    }
    /* Leave room for the sections below: meters 2, database 2, health 2. */
    int reserve = 6;
    for (size_t i = 0; i < d->nloading && ROOM; i++) {
        const struct dash_loading *ld = &d->loading[i];
        if (end - y <= reserve && i + 1 < d->nloading) {
            struct line l = line_at(app, w, y++, width);
            seg(&l, ROLE_DIM, "... and %zu more loading (Files view: f)", d->nloading - i);
            line_end(&l);
            break;
        }
        struct line l = line_at(app, w, y++, width);
        double frac = dash_loading_fraction(ld);
        snprintf(a, sizeof a, "#%lld ", (long long)ld->file_id);
        seg(&l, ROLE_DIM, "%s", a);
        /* The figures go first into strings, so the name and the bar share what is left. */
        char pct[16], rows[80], rate[32], eta[40];
        if (frac >= 0)
            snprintf(pct, sizeof pct, " %3.0f%%", frac * 100);
        else
            snprintf(pct, sizeof pct, "    ?");
        if (ld->rows_estimate > 0)
            snprintf(rows, sizeof rows, " %s/~%s rows", fmt_count(a, sizeof a, ld->progress_rows),
                     fmt_count(b, sizeof b, ld->rows_estimate));
        else
            snprintf(rows, sizeof rows, " %s rows", fmt_count(a, sizeof a, ld->progress_rows));
        snprintf(rate, sizeof rate, " %s/s", fmt_si(c, sizeof c, dash_loading_rate(ld)));
        if (ld->lease_expired)
            snprintf(eta, sizeof eta, " lease expired");
        else
            snprintf(eta, sizeof eta, " ETA %s", fmt_eta(e, sizeof e, dash_loading_eta_s(ld)));
        int tail = text_width(pct) + text_width(rows) + text_width(rate) + text_width(eta);
        int rest = width - l.x - tail - 1;
        int barw = rest / 3 < 8 ? 8 : rest / 3 > 30 ? 30 : rest / 3;
        int namew = rest - barw - 1 < 8 ? 8 : rest - barw - 1;
        char name[256];
        text_tail(ld->path, namew, name, sizeof name, s->g.ellipsis);
        seg(&l, ROLE_NORMAL, "%s", name);
        seg(&l, ROLE_NORMAL, "%*s", namew - text_width(name) + 1, "");
        char bar[256];
        fmt_bar(bar, sizeof bar, barw, frac < 0 ? 0 : frac, s->g.utf8);
        seg(&l, ROLE_BAR, "%s", bar);
        seg(&l, ROLE_NORMAL, "%s", pct);
        seg(&l, ROLE_NORMAL, "%s", rows);
        seg(&l, ROLE_DIM, "%s", rate);
        seg(&l, ld->lease_expired ? ROLE_ERROR : ROLE_NORMAL, "%s", eta);
        line_end(&l);
    }
    for (size_t i = 0; i < d->ncopies && ROOM && end - y > reserve; i++) {
        const struct dash_copy *cp = &d->copies[i];
        struct line l = line_at(app, w, y++, width);
        seg(&l, ROLE_DIM, "COPY ");
        seg(&l, ROLE_NORMAL, "pid %d %s %s ", cp->pid, s->g.arrow, cp->relation);
        seg(&l, ROLE_NORMAL, "%s", fmt_count(a, sizeof a, cp->tuples_processed));
        seg(&l, ROLE_DIM, " tuples ");
        seg(&l, ROLE_NORMAL, "%s", fmt_bytes(b, sizeof b, cp->bytes_processed));
        if (cp->bytes_total > 0)
            seg(&l, ROLE_DIM, " of %s", fmt_bytes(c, sizeof c, cp->bytes_total));
        seg(&l, ROLE_DIM, "  %s, %s", cp->application[0] ? cp->application : "?", fmt_duration(e, sizeof e, cp->running_s));
        line_end(&l);
    }
    /* Meters */
    if (ROOM) {
        char right[96];
        snprintf(right, sizeof right, "silent = no reading for more than %d days", app->opts.silent_days);
        section(app, w, y++, width, "Meters", right);
    }
    if (ROOM) {
        struct line l = line_at(app, w, y++, width);
        if (app->dash.have_meters) {
            const struct dash_meters *m = &app->dash.meters;
            count(&l, "total", m->total, ROLE_NORMAL);
            count(&l, "elec", m->elec, ROLE_NORMAL);
            count(&l, "gas", m->gas, ROLE_NORMAL);
            count(&l, "reporting today", m->reporting_today, ROLE_OK);
            count(&l, "silent", m->silent, ROLE_WARN);
        } else {
            unavailable(&l, d);
        }
        line_end(&l);
    }
    /* Database */
    if (ROOM)
        section(app, w, y++, width, "Database", (d->parts_ok & DASH_HEALTH) ? d->health.server_version : NULL);
    if (ROOM) {
        struct line l = line_at(app, w, y++, width);
        if (d->parts_ok & DASH_HEALTH) {
            const struct dash_health *hh = &d->health;
            int pct = hh->max_connections ? 100 * hh->connections / hh->max_connections : 0;
            seg(&l, ROLE_DIM, "connections ");
            seg(&l, pct > 90 ? ROLE_ERROR : pct > 75 ? ROLE_WARN : ROLE_NORMAL, "%d/%d", hh->connections, hh->max_connections);
            seg(&l, ROLE_DIM, "  cache hit ");
            if (hh->cache_hit_pct >= 0)
                seg(&l, hh->cache_hit_pct < 90 ? ROLE_WARN : ROLE_NORMAL, "%.1f%%", hh->cache_hit_pct);
            else
                seg(&l, ROLE_NORMAL, "-");
            seg(&l, ROLE_DIM, "  longest xact ");
            seg(&l, ROLE_NORMAL, "%s", hh->longest_xact_s < 0 ? "none" : fmt_duration(a, sizeof a, hh->longest_xact_s));
            seg(&l, ROLE_DIM, "  lock waits ");
            seg(&l, hh->waiting_on_locks ? ROLE_WARN : ROLE_NORMAL, "%d", hh->waiting_on_locks);
            seg(&l, ROLE_DIM, "  replicas ");
            if (hh->replicas)
                seg(&l, ROLE_NORMAL, "%d lag %.0fs", hh->replicas, hh->replica_lag_s < 0 ? 0 : hh->replica_lag_s);
            else
                seg(&l, ROLE_NORMAL, "none");
            seg(&l, ROLE_DIM, "  size ");
            seg(&l, ROLE_NORMAL, "%s", fmt_bytes(b, sizeof b, hh->db_bytes));
        } else {
            unavailable(&l, d);
        }
        line_end(&l);
    }
    /* Health: the checks of `meterops status`. */
    struct health_thresholds t;
    health_defaults(&t);
    struct health_check checks[HEALTH_MAX_CHECKS];
    enum health_level overall;
    int n = health_evaluate(d, &t, checks, &overall);
    if (ROOM) {
        static const char *const names[] = { "OK", "WARNING", "CRITICAL" };
        static const int roles[] = { ROLE_OK, ROLE_WARN, ROLE_ERROR };
        struct line l = { w, y++, 0, width, s };
        seg(&l, ROLE_NORMAL, " ");
        seg(&l, ROLE_TITLE, "Health ");
        seg(&l, roles[overall], " %s ", names[overall]);
        if (overall == HEALTH_OK)
            seg(&l, ROLE_DIM, "  every check passes (meterops status exits 0)");
        line_end(&l);
        for (int i = 0; i < n && ROOM; i++) {
            if (checks[i].level == HEALTH_OK)
                continue;
            struct line m = line_at(app, w, y++, width);
            seg(&m, roles[checks[i].level], "%-8s", names[checks[i].level]);
            seg(&m, ROLE_NORMAL, " %s", checks[i].message);
            line_end(&m);
        }
    }
    while (ROOM)
        draw_fill(w, y++, 0, width, s->attr[ROLE_NORMAL]);
#undef ROOM
}

const struct view_ops view_dashboard = {
    .name = "dashboard", .title = "Dashboard", .enter = dash_enter, .tick = dash_refresh, .draw = dash_draw,
};
