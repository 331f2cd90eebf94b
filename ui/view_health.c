/* view_health.c - the Health view, what pg_activity and pgcenter show an on-call engineer:
 * panes of Sessions, the blocking tree (Locks), Replication, Vacuum, Sizes and Server.
 *
 * Each pane is a few parts, each part one query (backend/fetch_health.h) on its own timer:
 * activity every refresh, catalog ages every 30 s, sizes every minute, and only the parts
 * of the pane on screen. They run on the view's own connection (opened when the view is
 * first shown, named "meterops console health" so the Sessions pane leaves it out), so a
 * slow part never holds the views' connection, where cancel and terminate run. A part
 * that fails keeps its last answer and says why, retrying later each time.
 * Sessions and Locks are lists: select a session, C cancels its query, K ends it, after a
 * prompt that names the pid, user and query and asks for a reason (the audited functions
 * of action_signal.h decide who may). */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/action_signal.h"
#include "backend/textfmt.h"
#include "ui/app.h"
#include "ui/dash_section.h"
#include "ui/draw.h"
#include "ui/views.h"
#include "ui/widget_table.h"

enum { SLOW_MS = 30000, SIZES_MS = 60000, BACKOFF_CAP_MS = 30000, TOP_N = 15 };

static const char *const pane_names[PANE_COUNT] = {
    "sessions", "locks", "replication", "vacuum", "sizes", "server",
};
static const char *const pane_titles[PANE_COUNT] = {
    "Sessions", "Locks", "Replication", "Vacuum", "Sizes", "Server",
};
/* The parts of each pane, drawn in this order; -1 ends. */
static const int pane_parts[PANE_COUNT][5] = {
    [PANE_SESSIONS] = { HP_SESSIONS, -1 },
    [PANE_LOCKS] = { HP_LOCKS, -1 },
    [PANE_REPLICATION] = { HP_WAL, HP_STANDBYS, HP_SLOTS, -1 },
    [PANE_VACUUM] = { HP_VACUUM, HP_XID_DB, HP_XID_TABLES, HP_DEAD, -1 },
    [PANE_SIZES] = { HP_SIZES, -1 },
    [PANE_SERVER] = { HP_SERVER, HP_WAL, HP_COPY, -1 },
};
static const char *const part_titles[HP_COUNT] = {
    [HP_SESSIONS] = "Sessions", [HP_LOCKS] = "Blocking tree", [HP_STANDBYS] = "Standbys",
    [HP_SLOTS] = "Replication slots", [HP_WAL] = "WAL", [HP_VACUUM] = "Vacuum in progress",
    [HP_XID_DB] = "Transaction ID age per database (against autovacuum_freeze_max_age)",
    [HP_XID_TABLES] = "Oldest tables (age of relfrozenxid)",
    [HP_DEAD] = "Largest tables: dead tuples and last vacuum", [HP_SERVER] = "Server",
    [HP_COPY] = "COPY in progress", [HP_SIZES] = "Largest tables and indexes, reading_day partitions",
};

/* How a column is written. */
enum fmt { F_TEXT, F_INT, F_NUM, F_SECS, F_BYTES, F_MS, F_PCT, F_BOOL, F_QUERY, F_STATE, F_TREE, F_MODE, F_GROWTH };

struct hcol {
    const char *name;           /* the query's column */
    const char *title;
    int width;                  /* 0: takes what is left */
    int align;
    enum fmt fmt;
    int min_cols;               /* shown only on terminals at least this wide */
};

static const struct hcol sessions_cols[] = {
    { "pid", "PID", 7, 1, F_INT, 0 }, { "usr", "User", 10, 0, F_TEXT, 0 },
    { "app", "Application", 16, 0, F_TEXT, 120 }, { "client", "Client", 15, 0, F_TEXT, 140 },
    { "db", "Database", 10, 0, F_TEXT, 160 }, { "state", "State", 11, 0, F_STATE, 0 },
    { "wait", "Wait", 16, 0, F_TEXT, 100 }, { "xact_s", "Xact", 6, 1, F_SECS, 0 },
    { "query_s", "Query", 6, 1, F_SECS, 0 }, { "query", "Query text", 0, 0, F_QUERY, 0 }, { 0 },
};
static const struct hcol locks_cols[] = {
    { "pid", "PID", 11, 0, F_TREE, 0 }, { "usr", "User", 9, 0, F_TEXT, 0 },
    { "app", "Application", 14, 0, F_TEXT, 130 }, { "state", "State", 11, 0, F_STATE, 110 },
    { "mode", "Mode", 15, 0, F_MODE, 0 }, { "relation", "Relation", 14, 0, F_TEXT, 0 },
    { "wait_s", "Waits", 6, 1, F_SECS, 0 }, { "xact_s", "Xact", 6, 1, F_SECS, 0 },
    { "query", "Query text", 0, 0, F_QUERY, 0 }, { 0 },
};
static const struct hcol standbys_cols[] = {
    { "name", "Standby", 17, 0, F_TEXT, 0 }, { "client", "Client", 15, 0, F_TEXT, 140 },
    { "state", "State", 9, 0, F_TEXT, 0 }, { "sync", "Sync", 6, 0, F_TEXT, 0 },
    { "sent_bytes", "Sent", 9, 1, F_BYTES, 0 }, { "write_bytes", "Write", 9, 1, F_BYTES, 100 },
    { "flush_bytes", "Flush", 9, 1, F_BYTES, 0 }, { "replay_bytes", "Replay", 9, 1, F_BYTES, 0 },
    { "write_ms", "Write lag", 9, 1, F_MS, 120 }, { "flush_ms", "Flush lag", 9, 1, F_MS, 120 },
    { "replay_ms", "Replay lag", 10, 1, F_MS, 0 }, { 0 },
};
static const struct hcol slots_cols[] = {
    { "slot_name", "Slot", 0, 0, F_TEXT, 0 }, { "slot_type", "Type", 8, 0, F_TEXT, 0 },
    { "db", "Database", 10, 0, F_TEXT, 100 }, { "active", "Active", 6, 0, F_BOOL, 0 },
    { "active_pid", "PID", 7, 1, F_INT, 100 }, { "retained_bytes", "Retains", 10, 1, F_BYTES, 0 },
    { "wal_status", "WAL status", 10, 0, F_TEXT, 0 }, { 0 },
};
static const struct hcol vacuum_cols[] = {
    { "pid", "PID", 7, 1, F_INT, 0 }, { "relation", "Relation", 0, 0, F_TEXT, 0 },
    { "phase", "Phase", 20, 0, F_TEXT, 0 }, { "heap_blks_scanned", "Scanned", 9, 1, F_NUM, 0 },
    { "heap_blks_total", "Of", 9, 1, F_NUM, 100 }, { "index_vacuum_count", "Idx", 4, 1, F_NUM, 100 },
    { "running_s", "For", 6, 1, F_SECS, 0 }, { "auto", "Auto", 4, 0, F_BOOL, 0 }, { 0 },
};
static const struct hcol xid_db_cols[] = {
    { "db", "Database", 0, 0, F_TEXT, 0 }, { "xid_age", "XID age", 13, 1, F_NUM, 0 },
    { "pct", "% of max", 8, 1, F_PCT, 0 }, { "freeze_max", "Freeze max", 13, 1, F_NUM, 100 },
    { "mxid_age", "MXID age", 13, 1, F_NUM, 0 }, { 0 },
};
static const struct hcol xid_tables_cols[] = {
    { "relation", "Table", 0, 0, F_TEXT, 0 }, { "xid_age", "XID age", 13, 1, F_NUM, 0 },
    { "pct", "% of max", 8, 1, F_PCT, 0 }, { "bytes", "Size", 10, 1, F_BYTES, 0 }, { 0 },
};
static const struct hcol dead_cols[] = {
    { "relation", "Table", 0, 0, F_TEXT, 0 }, { "live", "Live", 11, 1, F_NUM, 0 },
    { "dead", "Dead", 11, 1, F_NUM, 0 }, { "dead_pct", "Dead%", 6, 1, F_PCT, 0 },
    { "autovacuum_s", "Autovac", 8, 1, F_SECS, 0 }, { "vacuum_s", "Vacuum", 8, 1, F_SECS, 100 },
    { "autovacuum_count", "Count", 6, 1, F_NUM, 100 }, { 0 },
};
static const struct hcol sizes_cols[] = {
    { "kind", "Kind", 9, 0, F_TEXT, 0 }, { "relname", "Relation", 0, 0, F_TEXT, 0 },
    { "bytes", "Size", 10, 1, F_BYTES, 0 }, { "per_day", "Growth/day", 11, 1, F_GROWTH, 0 },
    { "note", "", 7, 0, F_TEXT, 0 }, { 0 },
};
static const struct hcol copy_cols[] = {
    { "pid", "PID", 7, 1, F_INT, 0 }, { "relation", "Relation", 0, 0, F_TEXT, 0 },
    { "command", "Command", 9, 0, F_TEXT, 0 }, { "type", "Type", 6, 0, F_TEXT, 100 },
    { "bytes_processed", "Bytes", 10, 1, F_BYTES, 0 }, { "tuples_processed", "Tuples", 11, 1, F_NUM, 0 },
    { 0 },
};
static const struct hcol *const part_cols[HP_COUNT] = {
    [HP_SESSIONS] = sessions_cols, [HP_LOCKS] = locks_cols, [HP_STANDBYS] = standbys_cols,
    [HP_SLOTS] = slots_cols, [HP_VACUUM] = vacuum_cols, [HP_XID_DB] = xid_db_cols,
    [HP_XID_TABLES] = xid_tables_cols, [HP_DEAD] = dead_cols, [HP_SIZES] = sizes_cols,
    [HP_COPY] = copy_cols,
};

static bool is_list_pane(enum health_pane p) { return p == PANE_SESSIONS || p == PANE_LOCKS; }
static enum health_part list_part(const struct app *app)
{
    return app->health.pane == PANE_LOCKS ? HP_LOCKS : HP_SESSIONS;
}
static const struct health_table *list_table(const struct app *app)
{
    return app->health.part[list_part(app)].t;
}

/* --- the list of Sessions or Locks ------------------------------------------------------ */

static size_t hl_count(const void *ctx)
{
    return ((const struct app *)ctx)->health.norder;
}

static int64_t hl_id(const void *ctx, size_t i)
{
    const struct app *app = ctx;
    const struct health_table *t = list_table(app);
    size_t r = app->health.order[i];
    /* The tree may show a pid twice (blocked by two): depth keeps the two apart. */
    return health_i64(t, r, health_col(t, "pid")) * 64 + health_i64(t, r, health_col(t, "depth"));
}

static const struct list_ops health_list_ops = { .count = hl_count, .id = hl_id };

/* "12" vs "9" as numbers, else as text. */
static int cell_cmp(const char *a, const char *b)
{
    char *ea, *eb;
    double x = strtod(a, &ea), y = strtod(b, &eb);
    if (*a && *b && !*ea && !*eb)
        return x < y ? -1 : x > y;
    return strcmp(a, b);
}

static const struct health_table *sort_table;
static int sort_colno, sort_desc;
static int order_cmp(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    int c = cell_cmp(health_cell(sort_table, a, sort_colno), health_cell(sort_table, b, sort_colno));
    if (c == 0)
        c = a < b ? -1 : a > b;
    else if (sort_desc)
        c = -c;
    return c;
}

static bool row_matches(const struct health_table *t, size_t r, const char *needle)
{
    if (!needle[0])
        return true;
    for (int c = 0; c < t->ncols; c++)
        if (strcasestr(health_cell(t, r, c), needle))
            return true;
    return false;
}

/* Rebuilds the rows shown from the last answer, the filter and the sort. */
static void rebuild(struct app *app)
{
    struct health_state *h = &app->health;
    int64_t keep = list_selected_id(&h->list);
    const struct health_table *t = list_table(app);
    h->norder = 0;
    if (t) {
        size_t *o = realloc(h->order, (t->nrows + 1) * sizeof *o);
        if (!o)
            return;
        h->order = o;
        for (size_t r = 0; r < t->nrows; r++)
            if (row_matches(t, r, h->filter))
                h->order[h->norder++] = r;
        const struct hcol *cols = part_cols[list_part(app)];
        if (h->pane == PANE_SESSIONS && h->sort_col >= 0 && cols[h->sort_col].name) {
            sort_table = t;
            sort_colno = health_col(t, cols[h->sort_col].name);
            sort_desc = h->list.desc;
            if (sort_colno >= 0)
                qsort(h->order, h->norder, sizeof *h->order, order_cmp);
        }
    }
    list_rows_changed(&h->list, keep);
}

/* --- fetching ------------------------------------------------------------------------------ */

static long long refresh_ms(const struct app *app)
{
    return (long long)(app->opts.refresh_s > 0 ? app->opts.refresh_s : 2) * 1000;
}

static long long part_period(const struct app *app, enum health_part p)
{
    if (p == HP_SIZES)
        return SIZES_MS;
    if (p == HP_XID_DB || p == HP_XID_TABLES || p == HP_DEAD)
        return SLOW_MS;
    return refresh_ms(app);
}

static void rates_update(struct health_rates *r, int64_t xact, int64_t hit, int64_t read, int64_t wal,
                         long long now)
{
    double dt = (double)(now - r->at_ms) / 1000.0;
    if (r->at_ms && dt > 0.2) {
        r->tps = xact >= r->xact ? (double)(xact - r->xact) / dt : -1;
        int64_t dh = hit - r->hit, dr = read - r->read;
        r->hit_pct = dh + dr > 0 && dh >= 0 && dr >= 0 ? 100.0 * (double)dh / (double)(dh + dr) : -1;
        r->wal_bps = wal >= r->wal ? (double)(wal - r->wal) / dt : -1;
    } else if (!r->at_ms) {
        r->tps = r->hit_pct = r->wal_bps = -1;
    }
    r->xact = xact, r->hit = hit, r->read = read, r->wal = wal, r->at_ms = now;
}

static int64_t kv(const struct health_table *t, const char *grp, const char *name)
{
    for (size_t r = 0; t && r < t->nrows; r++)
        if (strcmp(health_cell(t, r, 0), grp) == 0 && strcmp(health_cell(t, r, 1), name) == 0)
            return health_i64(t, r, 2);
    return 0;
}

static void part_done(void *ctx, uint64_t tag, struct health_table *t, const struct mo_err *err)
{
    struct app *app = ctx;
    struct health_part_state *p = &app->health.part[tag];
    long long now = dba_now_ms();
    p->inflight = false;
    app->dirty = true;
    if (!t) {
        p->fails++;
        long long delay = 2000LL << (p->fails < 4 ? p->fails : 4);
        p->due_ms = now + (delay > BACKOFF_CAP_MS ? BACKOFF_CAP_MS : delay);
        snprintf(p->err, sizeof p->err, "%.250s", err->message);
        return;
    }
    health_table_free(p->t);
    p->t = t;
    p->at_ms = now;
    p->fails = 0;
    p->err[0] = '\0';
    p->due_ms = now + part_period(app, (enum health_part)tag);
    if (tag == HP_SERVER)
        rates_update(&app->health.rates, kv(t, "db", "xact"), kv(t, "db", "blks_hit"), kv(t, "db", "blks_read"), 0, now);
    if (tag == HP_WAL)
        rates_update(&app->health.wal_rates, 0, 0, 0, kv(t, "wal", "WAL written"), now);
    if (tag == HP_SESSIONS || tag == HP_LOCKS)
        rebuild(app);
}

static void open_db(struct app *app)
{
    if (app->health.db)
        return;
    struct dba_options o = {
        .conninfo = app->opts.conninfo,
        .app_name = "meterops console health",
        .limits = { app->opts.statement_timeout_ms, app->opts.lock_timeout_ms },
        .connect_timeout_s = 10,
        .max_backoff_s = app->opts.retry_max_s,
    };
    app->health.db = dba_open(&o);
}

void health_poll(struct app *app, long long now)
{
    struct health_state *h = &app->health;
    if (app->view != VIEW_HEALTH || !h->db)
        return;
    struct dba_info info;
    dba_info(h->db, now, &info);
    if (info.state != DBA_READY)
        return;
    for (int i = 0; pane_parts[h->pane][i] >= 0; i++) {
        enum health_part part = (enum health_part)pane_parts[h->pane][i];
        struct health_part_state *p = &h->part[part];
        if (p->inflight || now < p->due_ms)
            continue;
        struct mo_err err;
        if (health_fetch(h->db, part, TOP_N, part_done, app, (uint64_t)part, &err) == 0) {
            p->inflight = true;
        } else {
            snprintf(p->err, sizeof p->err, "%.250s", err.message);
            p->due_ms = now + 2000;
        }
    }
}

long long health_due_ms(const struct app *app)
{
    const struct health_state *h = &app->health;
    long long due = 0;
    if (app->view != VIEW_HEALTH || !h->db)
        return 0;
    for (int i = 0; pane_parts[h->pane][i] >= 0; i++) {
        const struct health_part_state *p = &h->part[pane_parts[h->pane][i]];
        if (!p->inflight && (due == 0 || p->due_ms < due))
            due = p->due_ms > 0 ? p->due_ms : 1;
    }
    return due;
}

struct dba *health_db(const struct app *app) { return app->health.db; }

void health_free_all(struct app *app)
{
    struct health_state *h = &app->health;
    for (int i = 0; i < HP_COUNT; i++)
        health_table_free(h->part[i].t);
    free(h->order);
    dba_close(h->db);
    memset(h, 0, sizeof *h);
}

/* Every part of the pane is due now (entering, R). */
static void due_now(struct app *app)
{
    struct health_state *h = &app->health;
    for (int i = 0; pane_parts[h->pane][i] >= 0; i++)
        h->part[pane_parts[h->pane][i]].due_ms = 0;
    app->dirty = true;
}

static void health_init(struct app *app)
{
    list_init(&app->health.list, &health_list_ops, app);
    app->health.sort_col = -1;
    app->health.rates.tps = app->health.rates.hit_pct = app->health.rates.wal_bps = -1;
    app->health.wal_rates = app->health.rates;
}

static void health_enter(struct app *app)
{
    open_db(app);
    due_now(app);
}

static void health_tick(struct app *app)
{
    /* Only what is older than its period: R must not re-measure the sizes every time. */
    struct health_state *h = &app->health;
    long long now = dba_now_ms();
    for (int i = 0; pane_parts[h->pane][i] >= 0; i++) {
        struct health_part_state *p = &h->part[pane_parts[h->pane][i]];
        if (p->at_ms + part_period(app, (enum health_part)pane_parts[h->pane][i]) / 2 <= now && !p->fails)
            p->due_ms = 0;
    }
}

/* --- panes, sort, filter --------------------------------------------------------------- */

static void set_pane(struct app *app, enum health_pane p)
{
    struct health_state *h = &app->health;
    h->pane = p;
    h->show_query = false;
    h->list.sel = h->list.top = 0;
    rebuild(app);
    due_now(app);
}

int health_show_pane(struct app *app, const char *name)
{
    for (int p = 0; p < PANE_COUNT; p++) {
        if (strncmp(pane_names[p], name, strlen(name)) == 0 && name[0]) {
            if (app->view != VIEW_HEALTH)
                app_switch(app, VIEW_HEALTH);
            set_pane(app, (enum health_pane)p);
            return 0;
        }
    }
    return -1;
}

void health_pane_step(struct app *app, int delta)
{
    set_pane(app, (enum health_pane)((app->health.pane + PANE_COUNT + delta) % PANE_COUNT));
}

static int ncols_of(const struct hcol *c)
{
    int n = 0;
    while (c[n].name)
        n++;
    return n;
}

void health_sort_next(struct app *app)
{
    struct health_state *h = &app->health;
    if (h->pane != PANE_SESSIONS) {
        app_message(app, MSG_INFO, "the %s pane keeps its own order", pane_titles[h->pane]);
        return;
    }
    int n = ncols_of(sessions_cols);
    h->sort_col = h->sort_col + 1 >= n ? -1 : h->sort_col + 1;
    h->list.desc = h->sort_col >= 0 && (sessions_cols[h->sort_col].fmt == F_SECS);
    rebuild(app);
    app_message(app, MSG_INFO, "sorted by %s", h->sort_col < 0 ? "transaction start (oldest first)"
                                                               : sessions_cols[h->sort_col].title);
}

void health_sort_reverse(struct app *app)
{
    struct health_state *h = &app->health;
    if (h->pane != PANE_SESSIONS || h->sort_col < 0)
        return;
    h->list.desc = !h->list.desc;
    rebuild(app);
}

void health_set_filter(struct app *app, const char *text)
{
    struct health_state *h = &app->health;
    snprintf(h->filter, sizeof h->filter, "%s", text);
    rebuild(app);
    app->dirty = true;
}

/* --- cancel and terminate ---------------------------------------------------------------- */

/* s on one line: runs of white space (newlines in a query) as one space. */
static const char *one_line(char *buf, size_t len, const char *s)
{
    size_t o = 0;
    bool space = false;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    for (; *s && o + 1 < len; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            space = true;
            continue;
        }
        if (space && o + 2 < len)
            buf[o++] = ' ';
        space = false;
        buf[o++] = *s;
    }
    buf[o] = '\0';
    return buf;
}

static size_t selected_row(const struct app *app)
{
    size_t i = list_selected(&app->health.list);
    return i == (size_t)-1 ? (size_t)-1 : app->health.order[i];
}

void health_signal_ask(struct app *app, bool terminate)
{
    struct health_state *h = &app->health;
    const struct health_table *t = list_table(app);
    size_t r = is_list_pane(h->pane) ? selected_row(app) : (size_t)-1;
    if (!t || r == (size_t)-1) {
        app_message(app, MSG_ERROR, "select a session in Sessions or Locks first");
        return;
    }
    h->sig_pid = (int)health_i64(t, r, health_col(t, "pid"));
    h->sig_terminate = terminate;
    char q[200], v[200], prompt[400];
    one_line(q, sizeof q, health_cell(t, r, health_col(t, "query")));
    /* All of it within 80 columns: readline scrolls a longer prompt out of sight. */
    if (strlen(q) > 30)
        snprintf(q + 27, sizeof q - 27, "...");
    snprintf(prompt, sizeof prompt, "%s pid %d (%.12s: %s)? reason: ",
             terminate ? "terminate" : "cancel", h->sig_pid,
             health_cell(t, r, health_col(t, "usr")), fmt_visible(v, sizeof v, q));
    app_prompt(app, PROMPT_SIGNAL, prompt);
}

static void signalled(void *ctx, uint64_t tag, const struct mo_err *err)
{
    struct app *app = ctx;
    bool term = app->health.sig_terminate;
    if (err)
        app_message(app, MSG_ERROR, "%s of pid %d refused: %s", term ? "terminate" : "cancel", (int)tag,
                    err->message);
    else
        app_message(app, MSG_OK, "pid %d: %s (written to audit_log)", (int)tag,
                    term ? "terminated" : "query cancelled");
    due_now(app);
}

void health_signal_reason(struct app *app, const char *reason)
{
    while (isspace((unsigned char)*reason))
        reason++;
    const char *what = app->health.sig_terminate ? "terminate" : "cancel";
    if (!*reason) {
        app_message(app, MSG_WARN, "%s cancelled: a reason is required", what);
        return;
    }
    struct mo_err err;
    if (signal_run(app->db, app->health.sig_terminate ? SIGNAL_TERMINATE : SIGNAL_CANCEL, app->health.sig_pid,
                   reason, signalled, app, &err) < 0)
        app_message(app, MSG_ERROR, "%s: %s", what, err.message);
    else
        app_message(app, MSG_INFO, "%s pid %d...", what, app->health.sig_pid);
}

/* --- drawing ----------------------------------------------------------------------------- */

struct cellctx {
    struct app *app;
    const struct health_table *t;
    const struct hcol *cols;
    const int *colno;           /* the shown columns: index into cols */
    const size_t *order;        /* NULL: rows in order */
};

static void fmt_cell(const struct cellctx *c, size_t row, int k, char *buf, size_t len, int *role)
{
    const struct hcol *hc = &c->cols[c->colno[k]];
    int col = health_col(c->t, hc->name);
    const char *v = health_cell(c->t, row, col);
    int64_t n = strtoll(v, NULL, 10);
    char tmp[512];
    switch (hc->fmt) {
    case F_TEXT: snprintf(buf, len, "%s", fmt_visible(tmp, sizeof tmp, v)); break;
    case F_INT: snprintf(buf, len, "%lld", (long long)n); break;
    case F_NUM: fmt_count(buf, len, n); break;
    case F_SECS: if (n < 0) snprintf(buf, len, "-"); else fmt_duration(buf, len, n); break;
    case F_BYTES: if (n < 0) snprintf(buf, len, "-"); else fmt_bytes(buf, len, n); break;
    case F_MS:
        if (n < 0) snprintf(buf, len, "-");
        else if (n < 10000) snprintf(buf, len, "%.1fs", (double)n / 1000.0);
        else fmt_duration(buf, len, n / 1000);
        break;
    case F_PCT:
        snprintf(buf, len, "%s%%", v);
        if (strtod(v, NULL) >= 50) *role = strtod(v, NULL) >= 90 ? ROLE_ERROR : ROLE_WARN;
        break;
    case F_BOOL: snprintf(buf, len, "%s", v[0] == 't' ? "yes" : "no"); break;
    case F_QUERY: {
        char one[512];
        snprintf(buf, len, "%s", fmt_visible(tmp, sizeof tmp, one_line(one, sizeof one, v)));
        break;
    }
    case F_STATE:
        if (strncmp(v, "idle in transaction", 19) == 0) {
            snprintf(buf, len, "%s", strstr(v, "aborted") ? "idle-in-tx!" : "idle-in-tx");
            *role = ROLE_WARN;
        } else {
            snprintf(buf, len, "%s", v);
            if (strcmp(v, "active") == 0) *role = ROLE_OK;
        }
        break;
    case F_TREE: {
        int depth = (int)health_i64(c->t, row, health_col(c->t, "depth"));
        int o = 0;
        for (int d = 1; d < depth && o < 8; d++)
            o += snprintf(buf + o, len - (size_t)o, "  ");
        snprintf(buf + o, len - (size_t)o, "%s%s", depth ? c->app->scr.g.utf8 ? "\xe2\x94\x94 " : "`-" : "", v);
        *role = depth ? ROLE_WARN : ROLE_ERROR;
        break;
    }
    case F_MODE: {
        size_t l = strlen(v);
        snprintf(buf, len, "%.*s", (int)(l > 4 && strcmp(v + l - 4, "Lock") == 0 ? l - 4 : l), v);
        break;
    }
    case F_GROWTH:
        if (health_cell(c->t, row, health_col(c->t, "has_growth"))[0] != 't')
            snprintf(buf, len, "-");
        else {
            fmt_bytes(tmp, sizeof tmp, n < 0 ? -n : n);
            snprintf(buf, len, "%s%s", n < 0 ? "-" : "+", tmp);
        }
        break;
    }
    if (hc->fmt == F_TEXT && strcmp(v, "locked") == 0)
        *role = ROLE_WARN;
    if (hc->fmt == F_TEXT && strncmp(v, "Lock:", 5) == 0)
        *role = ROLE_ERROR;
}

static void table_cell(void *ctx, size_t r, int col, int width, char *buf, size_t len, int *role)
{
    (void)width;
    const struct cellctx *c = ctx;
    fmt_cell(c, c->order ? c->order[r] : r, col, buf, len, role);
}

/* The columns that fit `width`, as table_cols; returns how many. */
static int shown_cols(const struct hcol *cols, int width, struct table_col *tc, int *colno)
{
    int n = 0;
    for (int i = 0; cols[i].name && n < 16; i++) {
        if (cols[i].min_cols > width)
            continue;
        tc[n] = (struct table_col){ cols[i].title, cols[i].width, cols[i].align };
        colno[n++] = i;
    }
    return n;
}

/* A part's title line: "Standbys 2" and its state (an error, how old its answer is). */
static void part_title(struct app *app, WINDOW *w, int y, int width, enum health_part part, const char *extra)
{
    const struct health_part_state *p = &app->health.part[part];
    struct dash_line l = { w, y, 0, width, &app->scr, y + 1 };
    dash_seg(&l, ROLE_TITLE, " %s", part_titles[part]);
    if (p->t && part != HP_SERVER && part != HP_WAL)
        dash_seg(&l, ROLE_DIM, "  %zu", p->t->nrows);
    if (extra && extra[0])
        dash_seg(&l, ROLE_DIM, "  %s", extra);
    if (p->err[0])
        dash_seg(&l, ROLE_ERROR, "  %s%s", p->t ? "stale: " : "", p->err);
    else if (!p->t)
        dash_seg(&l, ROLE_DIM, "  loading%s", app->scr.g.ellipsis);
    dash_line_end(&l);
}

/* A part that is not a list: its title, heading and the first rows that fit in h lines. */
static int draw_static(struct app *app, WINDOW *w, int y, int h, int width, enum health_part part)
{
    const struct health_table *t = app->health.part[part].t;
    part_title(app, w, y, width, part, NULL);
    if (h < 2 || !t)
        return 1;
    struct table_col tc[16];
    int colno[16];
    int n = shown_cols(part_cols[part], width, tc, colno);
    struct cellctx c = { app, t, part_cols[part], colno, NULL };
    size_t nrows = t->nrows;
    int rows = h - 2 < (int)nrows ? h - 2 : (int)nrows;
    const struct screen *s = &app->scr;
    /* The heading (line -1) and the rows, none selected: not a list. */
    int cw[16], fixed = 0, flex = -1, x = 1;
    for (int k = 0; k < n; k++) {
        cw[k] = tc[k].width;
        fixed += tc[k].width + (k ? 1 : 0);
        if (!tc[k].width)
            flex = k;
    }
    if (flex >= 0)
        cw[flex] = width - 1 - fixed > 4 ? width - 1 - fixed : 4;
    for (int line = -1; line < rows; line++) {
        int yy = y + 2 + line;
        attr_t base = s->attr[line < 0 ? ROLE_TITLE : ROLE_NORMAL];
        draw_fill(w, yy, 0, 1, base);
        x = 1;
        for (int k = 0; k < n && x < width; k++) {
            char buf[512] = "";
            int role = line < 0 ? ROLE_TITLE : ROLE_NORMAL;
            int room = cw[k] < width - x ? cw[k] : width - x;
            if (line < 0)
                snprintf(buf, sizeof buf, "%s", tc[k].title);
            else
                fmt_cell(&c, (size_t)line, k, buf, sizeof buf, &role);
            attr_t a = line < 0 ? base : s->attr[role];
            if (tc[k].align)
                draw_text_right(w, yy, x, room, a, buf);
            else {
                int m = draw_text(w, yy, x, room, a, buf, s->g.ellipsis);
                draw_fill(w, yy, x + m, room - m, a);
            }
            x += room;
            if (x < width && k < n - 1)
                draw_fill(w, yy, x++, 1, base);
        }
        draw_fill(w, yy, x, width - x, base);
    }
    if (rows < (int)nrows && rows >= 0 && h - 2 - rows > 0) {
        struct dash_line m = { w, y + 2 + rows, 0, width, s, 0 };
        dash_seg(&m, ROLE_DIM, "  %zu more", nrows - (size_t)rows);
        dash_line_end(&m);
        rows++;
    }
    return 2 + rows;
}

static void rate_text(char *buf, size_t len, double v, const char *unit)
{
    if (v < 0)
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.1f%s", v, unit);
}

static int draw_server(struct app *app, WINDOW *w, int y, int h, int width)
{
    const struct health_table *t = app->health.part[HP_SERVER].t;
    const struct screen *s = &app->scr;
    part_title(app, w, y, width, HP_SERVER, NULL);
    if (!t || h < 2)
        return 1;
    int used = 1;
    int64_t max = kv(t, "connections", "max_connections"), total = 0;
    struct dash_line l = { w, y + used, 0, width, s, y + h };
    dash_seg(&l, ROLE_DIM, "  Connections ");
    for (size_t r = 0; r < t->nrows; r++) {
        if (strcmp(health_cell(t, r, 0), "connections") != 0 || strcmp(health_cell(t, r, 1), "max_connections") == 0)
            continue;
        int64_t n = health_i64(t, r, 2);
        total += n;
        const char *st = health_cell(t, r, 1);
        dash_pair(&l, st, strncmp(st, "idle in transaction", 19) == 0 && n ? ROLE_WARN : ROLE_NORMAL, "%lld",
                  (long long)n);
    }
    int pct = max > 0 ? (int)(100 * total / max) : 0;
    dash_pair(&l, "total", pct >= 90 ? ROLE_ERROR : pct >= 75 ? ROLE_WARN : ROLE_OK, "%lld of %lld (%d%%)",
              (long long)total, (long long)max, pct);
    dash_line_end(&l);
    used = l.y - y + 1;
    if (used < h) {
        struct dash_line c = { w, y + used, 0, width, s, y + h };
        int64_t timed = kv(t, "checkpoints", "timed"), req = kv(t, "checkpoints", "requested");
        int rp = timed + req > 0 ? (int)(100 * req / (timed + req)) : 0;
        dash_seg(&c, ROLE_DIM, "  Checkpoints ");
        dash_pair(&c, "timed", ROLE_NORMAL, "%lld", (long long)timed);
        dash_pair(&c, "requested", rp > 20 ? ROLE_WARN : ROLE_NORMAL, "%lld (%d%%)", (long long)req, rp);
        char since[32];
        fmt_duration(since, sizeof since, kv(t, "checkpoints", "since stats reset"));
        dash_pair(&c, "in", ROLE_DIM, "%s", since);
        dash_line_end(&c);
        used = c.y - y + 1;
    }
    if (used < h) {
        const struct health_rates *r = &app->health.rates;
        struct dash_line a = { w, y + used, 0, width, s, y + h };
        char tps[32], hit[32];
        rate_text(tps, sizeof tps, r->tps, "");
        rate_text(hit, sizeof hit, r->hit_pct, "%");
        dash_seg(&a, ROLE_DIM, "  Activity    ");
        dash_pair(&a, "TPS", ROLE_NORMAL, "%s", tps);
        dash_pair(&a, "cache hit", r->hit_pct >= 0 && r->hit_pct < 90 ? ROLE_WARN : ROLE_NORMAL, "%s", hit);
        dash_pair(&a, "deadlocks", ROLE_NORMAL, "%lld", (long long)kv(t, "db", "deadlocks"));
        dash_line_end(&a);
        used = a.y - y + 1;
    }
    return used;
}

static int draw_wal(struct app *app, WINDOW *w, int y, int h, int width)
{
    const struct health_table *t = app->health.part[HP_WAL].t;
    const struct screen *s = &app->scr;
    part_title(app, w, y, width, HP_WAL, NULL);
    if (!t || h < 2)
        return 1;
    struct dash_line l = { w, y + 1, 0, width, s, y + h };
    char rate[32], b[32];
    double bps = app->health.wal_rates.wal_bps;
    if (bps < 0)
        snprintf(rate, sizeof rate, "-");
    else
        snprintf(rate, sizeof rate, "%s/s", fmt_bytes(b, sizeof b, (int64_t)bps));
    dash_seg(&l, ROLE_DIM, "  ");
    dash_pair(&l, "WAL", ROLE_NORMAL, "%s", rate);
    for (size_t r = 0; r < t->nrows; r++) {
        if (strcmp(health_cell(t, r, 0), "archiver") != 0)
            continue;
        const char *name = health_cell(t, r, 1), *kind = health_cell(t, r, 3);
        int64_t v = health_i64(t, r, 2);
        if (kind[0] == 't')
            dash_seg(&l, ROLE_NORMAL, "%s  ", name);
        else if (kind[0] == 's' && v >= 0) {
            char ago[32];
            dash_pair(&l, name, strncmp(name, "last failure", 12) == 0 && v < 3600 ? ROLE_ERROR : ROLE_NORMAL,
                      "%s", fmt_ago(ago, sizeof ago, v));
        } else if (kind[0] == 'n')
            dash_pair(&l, name, strcmp(name, "failed") == 0 && v ? ROLE_ERROR : ROLE_NORMAL, "%lld", (long long)v);
    }
    dash_line_end(&l);
    return l.y - y + 1;
}

/* The selected session's whole query, wrapped, under the list. */
static void draw_query(struct app *app, WINDOW *w, int y, int h, int width)
{
    const struct health_table *t = list_table(app);
    size_t r = selected_row(app);
    const struct screen *s = &app->scr;
    char q[4096], v[8192];
    const char *text = "";
    if (t && r != (size_t)-1)
        text = fmt_visible(v, sizeof v, one_line(q, sizeof q, health_cell(t, r, health_col(t, "query"))));
    struct dash_line l = { w, y, 0, width, s, 0 };
    dash_seg(&l, ROLE_TITLE, " Query of pid %lld", t && r != (size_t)-1 ? (long long)health_i64(t, r, health_col(t, "pid")) : 0LL);
    dash_seg(&l, ROLE_DIM, "  (Enter hides)");
    dash_line_end(&l);
    size_t off = 0, n = strlen(text);
    int room = width - 2;
    for (int i = 1; i < h; i++) {
        char line[1024];
        size_t take = 0;
        /* as many bytes as fit `room` columns (ASCII-exact; wide text is cut by draw_text) */
        while (off + take < n && (int)take < room && take < sizeof line - 1)
            take++;
        memcpy(line, text + off, take);
        line[take] = '\0';
        off += take;
        draw_fill(w, y + i, 0, 2, s->attr[ROLE_NORMAL]);
        int x = 2 + draw_text(w, y + i, 2, room, s->attr[ROLE_NORMAL], line, NULL);
        draw_fill(w, y + i, x, width - x, s->attr[ROLE_NORMAL]);
    }
}

static void draw_tabs(struct app *app, WINDOW *w, int y, int width)
{
    const struct screen *s = &app->scr;
    int x = draw_text(w, y, 0, width, s->attr[ROLE_NORMAL], " ", NULL);
    for (int p = 0; p < PANE_COUNT && x < width; p++) {
        char t[48];
        const struct health_table *tb = app->health.part[p == PANE_LOCKS ? HP_LOCKS : HP_SESSIONS].t;
        if (p == PANE_SESSIONS && tb)
            snprintf(t, sizeof t, " %s %zu ", pane_titles[p], tb->nrows);
        else if (p == PANE_LOCKS && tb)
            snprintf(t, sizeof t, " %s %zu ", pane_titles[p], tb->nrows);
        else
            snprintf(t, sizeof t, " %s ", pane_titles[p]);
        int role = p == (int)app->health.pane ? ROLE_TAB_ACTIVE : ROLE_TAB;
        if (p == PANE_LOCKS && tb && tb->nrows && p != (int)app->health.pane)
            role = ROLE_WARN;
        x += draw_text(w, y, x, width - x, s->attr[role], t, NULL);
    }
    if (app->health.filter[0] && x < width - 4) {
        char f[160];
        snprintf(f, sizeof f, "  filter \"%s\"", app->health.filter);
        x += draw_text(w, y, x, width - x, s->attr[ROLE_MATCH], f, s->g.ellipsis);
    }
    draw_fill(w, y, x, width - x, s->attr[ROLE_NORMAL]);
}

static void draw_list_pane(struct app *app, WINDOW *w, int top, int h, int width)
{
    struct health_state *hs = &app->health;
    enum health_part part = list_part(app);
    const struct health_table *t = hs->part[part].t;
    char extra[64] = "";
    if (hs->filter[0] && t)
        snprintf(extra, sizeof extra, "(%zu shown)", hs->norder);
    if (part == HP_LOCKS && t && !t->nrows)
        snprintf(extra, sizeof extra, "no session waits for a lock");
    part_title(app, w, top, width, part, extra);
    int qh = hs->show_query ? (h - 1) / 3 + 1 : 0;
    int lh = h - 1 - qh;
    struct table_col tc[16];
    int colno[16];
    int n = shown_cols(part_cols[part], width, tc, colno);
    struct cellctx c = { app, t, part_cols[part], colno, hs->order };
    int sort = -1;
    for (int k = 0; k < n; k++)
        if (part == HP_SESSIONS && colno[k] == hs->sort_col)
            sort = k;
    if (t)
        table_draw(app, w, top + 1, lh, width, tc, n, &hs->list, table_cell, &c, sort);
    else
        for (int i = 1; i <= lh; i++)
            draw_fill(w, top + i, 0, width, app->scr.attr[ROLE_NORMAL]);
    if (qh)
        draw_query(app, w, top + 1 + lh, qh, width);
}

static void health_draw(struct app *app, WINDOW *w, int top, int h, int width)
{
    struct health_state *hs = &app->health;
    draw_tabs(app, w, top, width);
    top++, h--;
    if (is_list_pane(hs->pane)) {
        draw_list_pane(app, w, top, h, width);
        return;
    }
    const int *parts = pane_parts[hs->pane];
    int nparts = 0;
    while (parts[nparts] >= 0)
        nparts++;
    /* Lines for each part: what it needs (title, heading, rows) within a fair share, and
     * what the small ones leave to the large ones, in order. */
    int need[5], room[5], left = h - (nparts - 1);
    for (int i = 0; i < nparts; i++) {
        const struct health_table *t = hs->part[parts[i]].t;
        need[i] = parts[i] == HP_SERVER ? 4 : parts[i] == HP_WAL ? 3 : 2 + (t ? (int)t->nrows : 0);
        room[i] = 0;
    }
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < nparts; i++) {
            int fair = left / (nparts - i > 0 ? nparts - i : 1);
            int give = need[i] - room[i] < (pass ? left : fair) ? need[i] - room[i] : (pass ? left : fair);
            if (give > 0)
                room[i] += give, left -= give;
        }
    }
    int y = top, end = top + h;
    for (int i = 0; i < nparts && y < end; i++) {
        if (room[i] < 1)
            room[i] = 1;
        if (room[i] > end - y)
            room[i] = end - y;
        enum health_part p = (enum health_part)parts[i];
        int used = p == HP_SERVER ? draw_server(app, w, y, room[i], width)
                   : p == HP_WAL  ? draw_wal(app, w, y, room[i], width)
                                  : draw_static(app, w, y, room[i], width, p);
        y += used;
        if (y < end && i < nparts - 1)
            draw_fill(w, y++, 0, width, app->scr.attr[ROLE_NORMAL]);
    }
    for (; y < end; y++)
        draw_fill(w, y, 0, width, app->scr.attr[ROLE_NORMAL]);
}

static void health_select(struct app *app, long delta)
{
    if (is_list_pane(app->health.pane))
        list_move(&app->health.list, delta);
}

static void health_activate(struct app *app)
{
    if (!is_list_pane(app->health.pane))
        return;
    app->health.show_query = !app->health.show_query;
}

static void health_click(struct app *app, int row)
{
    if (is_list_pane(app->health.pane))
        table_click(&app->health.list, 2, row);
}

const struct view_ops view_health = {
    .name = "health", .title = "Health", .enter = health_enter, .tick = health_tick, .draw = health_draw,
    .select = health_select, .activate = health_activate, .click = health_click, .init = health_init,
};
