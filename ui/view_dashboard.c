/* view_dashboard.c - the dashboard: the sections of dash_section.h one under the other
 * (the queue and the last 24 h of files, throughput, each loading file with a progress bar
 * and ETA, COPYs in flight, meters, database health and the checks `meterops status` exits
 * with).
 *
 * Each section fetches on its own: its own request, on its own timer, drawn as soon as its
 * answer arrives. A section is sent only to an idle connection of the dashboard's own
 * (DASH_CONNECTIONS of them, apart from the views' one), so a query stuck on a lock holds
 * one connection and delays no other section behind it in a queue. A section that times out
 * or fails keeps its last answer, says "timed out, retrying in Ns" with that answer's age,
 * and retries after 2, 4, 8, 16, 30 s while the others refresh on their timers. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "backend/textfmt.h"
#include "ui/app.h"
#include "ui/dash_section.h"
#include "ui/draw.h"
#include "ui/views.h"

enum { DASH_BACKOFF_CAP_S = 30 };

static size_t nsections(void)
{
    return dash_nsections < DASH_MAX_SECTIONS ? dash_nsections : DASH_MAX_SECTIONS;
}

static long long refresh_ms(const struct app *app)
{
    return (long long)(app->opts.refresh_s > 0 ? app->opts.refresh_s : 2) * 1000;
}

/* --iterations counts rounds in which every section has answered (or had nothing to ask). */
static void count_rounds(struct app *app)
{
    int least = -1;
    for (size_t i = 0; i < nsections(); i++)
        if (least < 0 || app->dash.sec[i].rounds < least)
            least = app->dash.sec[i].rounds;
    if (least > app->iterations_done) {
        app->iterations_done = least;
        if (!app->dash.first_paint_ms)
            app->dash.first_paint_ms = dba_now_ms();
    }
}

static bool is_timeout(const char *code)
{
    /* query_canceled (statement_timeout) and lock_not_available (lock_timeout) */
    return strcmp(code, "57014") == 0 || strcmp(code, "55P03") == 0;
}

static void sec_done(void *ctx, uint64_t tag, struct dashboard *d)
{
    struct app *app = ctx;
    struct dash_sec *sec = &app->dash.sec[tag];
    long long now = dba_now_ms();
    sec->inflight = false;
    sec->rounds++;
    app->dirty = true;
    if (d->parts_ok == d->parts_asked) {
        if (dash_sections[tag]->answer)
            dash_sections[tag]->answer(app, d);
        dashboard_free(sec->d);
        sec->d = d;
        sec->at = app_now();
        sec->at_ms = now;
        sec->fails = 0;
        sec->retry_s = 0;
        sec->timed_out = false;
        sec->error[0] = '\0';
        sec->due_ms = now + refresh_ms(app);
    } else {
        /* Keep the last answer; retry later, later each time. */
        sec->fails++;
        int delay = 1 << (sec->fails < 5 ? sec->fails : 5);
        sec->retry_s = delay > DASH_BACKOFF_CAP_S ? DASH_BACKOFF_CAP_S : delay;
        sec->timed_out = is_timeout(d->err.code);
        snprintf(sec->error, sizeof sec->error, "%s", d->err.message);
        sec->due_ms = now + (long long)sec->retry_s * 1000;
        if (!sec->d) {
            sec->d = d; /* what did arrive, and the reason, until a good answer */
            sec->at = 0;
        } else {
            dashboard_free(d);
        }
    }
    count_rounds(app);
}

static struct dba *idle_connection(struct app *app)
{
    for (int i = 0; i < DASH_CONNECTIONS; i++)
        if (app->dash.db[i] && dba_idle(app->dash.db[i]))
            return app->dash.db[i];
    return NULL;
}

static void sec_failed_now(struct app *app, size_t i, const struct mo_err *err, long long now)
{
    struct dash_sec *sec = &app->dash.sec[i];
    sec->rounds++;
    sec->fails++;
    sec->retry_s = sec->fails < 3 ? 1 << sec->fails : 8; /* the connection's own backoff runs too */
    sec->timed_out = false;
    snprintf(sec->error, sizeof sec->error, "%s", err->message);
    sec->due_ms = now + (long long)sec->retry_s * 1000;
    app->dirty = true;
}

/* The due section that has waited longest, so a section that keeps failing and comes
 * back from its backoff cannot starve the ones behind it in dash_sections[]. */
static long pick_due(const struct app *app, long long now)
{
    long best = -1;
    for (size_t i = 0; i < nsections(); i++) {
        const struct dash_sec *sec = &app->dash.sec[i];
        if (sec->inflight || now < sec->due_ms)
            continue;
        if (best < 0 || sec->due_ms < app->dash.sec[best].due_ms)
            best = (long)i;
    }
    return best;
}

/* Sends the sections that are due, oldest first, each to an idle connection; called on
 * each turn of the loop. */
void dashboard_poll(struct app *app, long long now)
{
    long i;
    /* A support login may read none of it: wait for the role (3 s at most), then ask
     * nothing, rather than fill the server's log with permission denied. */
    if (app->support_only || (!app->role_known && now - app->started_ms < 3000))
        return;
    while ((i = pick_due(app, now)) >= 0) {
        struct dash_sec *sec = &app->dash.sec[i];
        struct dba *db = idle_connection(app);
        bool connecting = false;
        for (int k = 0; k < DASH_CONNECTIONS && !db; k++) {
            struct dba_info info;
            dba_info(app->dash.db[k], now, &info);
            connecting |= info.state != DBA_WAITING;
        }
        if (!db && connecting)
            return; /* all busy (or connecting): the next answer wakes the loop */
        /* Asked only now that it can be sent: fetch() may move a slower timer on. */
        unsigned parts = dash_sections[i]->fetch(app, now);
        if (!parts) {
            /* Nothing to ask this turn (it judges the others, or its timer is slower). */
            sec->rounds++;
            sec->due_ms = now + refresh_ms(app);
            count_rounds(app);
            app->dirty = true;
            continue;
        }
        struct dash_params p = { .silent_days = app->opts.silent_days, .max_loading = 50,
                                 .throughput_since = app->dash.rate.at };
        struct mo_err err;
        mo_err_clear(&err);
        if (!db) {
            struct dba_info info;
            dba_info(app->dash.db[0], now, &info);
            mo_err_set(&err, "connection", "not connected: %s", info.error[0] ? info.error : "waiting to reconnect");
            sec_failed_now(app, (size_t)i, &err, now);
            count_rounds(app);
            continue;
        }
        sec->inflight = true;
        sec->asked = true;
        app->dash.sent_ms = now;
        if (dashboard_fetch(db, &p, parts, sec_done, app, (uint64_t)i, &err) < 0) {
            sec->inflight = false;
            sec_failed_now(app, (size_t)i, &err, now);
            count_rounds(app);
        }
    }
}

/* The refresh timer or LISTEN: every section that is not backing off is due now. */
void dashboard_tick(struct app *app)
{
    long long now = dba_now_ms();
    app->dash.due_ms = 0;
    for (size_t i = 0; i < nsections(); i++)
        if (app->dash.sec[i].fails == 0 && app->dash.sec[i].due_ms > now)
            app->dash.sec[i].due_ms = now;
    dashboard_poll(app, now);
}

/* The earliest future time a section's timer runs out (0: none). A section already due
 * waits for a connection to become idle, which the loop hears on its socket. */
long long dashboard_due_ms(const struct app *app)
{
    long long due = 0, now = dba_now_ms();
    for (size_t i = 0; i < nsections(); i++) {
        const struct dash_sec *sec = &app->dash.sec[i];
        if (!sec->inflight && sec->due_ms > now && (due == 0 || sec->due_ms < due))
            due = sec->due_ms;
    }
    return due;
}

void dashboard_free_all(struct app *app)
{
    dash_rate_free(&app->dash.rate);
    for (size_t i = 0; i < DASH_MAX_SECTIONS; i++) {
        dashboard_free(app->dash.sec[i].d);
        app->dash.sec[i].d = NULL;
    }
}

int dash_state_note(const struct dash_frame *f, char *buf, size_t len)
{
    const struct dash_sec *sec = f->sec;
    buf[0] = '\0';
    if (!sec)
        return -1;
    long long now = dba_now_ms();
    char age[32] = "";
    if (sec->at > 0)
        fmt_ago(age, sizeof age, (now - sec->at_ms) / 1000);
    if (sec->fails > 0) {
        long long left = sec->due_ms - now;
        int in_s = left > 0 ? (int)((left + 999) / 1000) : 0;
        snprintf(buf, len, "%s, retrying in %ds%s%s", sec->timed_out ? "timed out" : "failed", in_s,
                 age[0] ? "; data " : "", age);
        return ROLE_WARN;
    }
    if (sec->inflight && sec->at > 0 && now - sec->at_ms > refresh_ms(f->app) + 1000) {
        snprintf(buf, len, "%s", age);
        return ROLE_DIM;
    }
    return -1;
}

static void dash_enter(struct app *app)
{
    (void)app;
}

static void dash_refresh(struct app *app)
{
    (void)app; /* the sections keep their own timers whatever the view */
}

/* What the sections that fetch nothing (Health) judge: every answer in hand. */
static void merged(const struct app *app, struct dashboard *m)
{
    memset(m, 0, sizeof *m);
    m->silent_days = app->opts.silent_days;
    m->files.oldest_queued_s = -1;
    m->health.cache_hit_pct = m->health.longest_xact_s = m->health.replica_lag_s = -1;
    for (size_t i = 0; i < nsections(); i++) {
        const struct dash_sec *sec = &app->dash.sec[i];
        if (sec->d)
            dashboard_merge(m, sec->d);
        if (sec->fails > 0 && !m->err.code[0])
            mo_err_set(&m->err, "section", "%s: %.400s", dash_sections[i]->name, sec->error);
    }
}

static void dash_draw(struct app *app, WINDOW *w, int top, int h, int width)
{
    const struct screen *s = &app->scr;
    struct dashboard all;
    merged(app, &all);
    struct dash_frame f = { .app = app, .w = w, .width = width, .end = top + h };
    int y = top;
    for (size_t i = 0; i < nsections(); i++) {
        const struct dash_sec *sec = &app->dash.sec[i];
        struct dashboard waiting;
        f.sec = sec;
        if (sec->d) {
            f.d = sec->d;
        } else if (!sec->asked && sec->rounds > 0) {
            f.d = &all; /* it judges the others' answers */
        } else {
            memset(&waiting, 0, sizeof waiting);
            waiting.parts_asked = ~0u;
            if (sec->error[0])
                mo_err_set(&waiting.err, "section", "%.400s", sec->error);
            else
                mo_err_set(&waiting.err, "waiting", "waiting for its first answer%s", s->g.ellipsis);
            f.d = &waiting;
        }
        f.below = 0;
        for (size_t k = i + 1; k < nsections(); k++)
            f.below += dash_sections[k]->min_height;
        y = dash_sections[i]->draw(&f, y);
    }
    while (y < f.end)
        draw_fill(w, y++, 0, width, s->attr[ROLE_NORMAL]);
}

/* The last answer of one section (NULL: none yet). */
static const struct dashboard *section_answer(const struct app *app, const struct dash_section *which)
{
    for (size_t i = 0; i < nsections(); i++)
        if (dash_sections[i] == which)
            return app->dash.sec[i].d;
    return NULL;
}

const struct dashboard *dash_loaders_answer(const struct app *app)
{
    return section_answer(app, &dash_loaders);
}

/* "Failed or rejected": the selected file stays selected when the list moves under it
 * (dash_problems.c calls this with each answer). */
void dash_problems_keep_selection(struct app *app, const struct dashboard *d)
{
    size_t n = d->nproblems;
    for (size_t i = 0; i < n; i++)
        if (d->problems[i].file_id == app->dash.problem_id) {
            app->dash.problem_sel = i;
            return;
        }
    if (app->dash.problem_sel >= n)
        app->dash.problem_sel = n ? n - 1 : 0;
    app->dash.problem_id = n ? d->problems[app->dash.problem_sel].file_id : 0;
}

/* j/k move in "Failed or rejected". */
static void dash_select(struct app *app, long delta)
{
    const struct dashboard *d = section_answer(app, &dash_problems);
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

int64_t dash_selected_problem(const struct app *app)
{
    const struct dashboard *d = section_answer(app, &dash_problems);
    if (!d || app->dash.problem_sel >= d->nproblems)
        return 0;
    return d->problems[app->dash.problem_sel].file_id;
}

/* Enter opens the selected failed or rejected file, as the Files view does. */
static void dash_activate(struct app *app)
{
    int64_t id = dash_selected_problem(app);
    if (id > 0)
        app_open_file(app, id);
}

const struct view_ops view_dashboard = {
    .name = "dashboard", .title = "Dashboard", .enter = dash_enter, .tick = dash_refresh, .draw = dash_draw,
    .select = dash_select, .activate = dash_activate,
};
