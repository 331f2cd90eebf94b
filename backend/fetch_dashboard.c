/* fetch_dashboard.c - see fetch_dashboard.h. One table of parts; the synchronous and the
 * asynchronous paths run the same queries through the same parsers. */
#include "backend/fetch_dashboard.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/db.h"
#include "backend/dbasync_query.h"
#include "backend/fetch.h"

static int parse_files(const PGresult *r, struct dashboard *d)
{
    if (PQntuples(r) != 1)
        return -1;
    struct dash_files *f = &d->files;
    f->queued = res_i64(r, 0, 0, 0);
    f->loading = res_i64(r, 0, 1, 0);
    f->loaded = res_i64(r, 0, 2, 0);
    f->rejected = res_i64(r, 0, 3, 0);
    f->failed = res_i64(r, 0, 4, 0);
    f->oldest_queued_s = res_i64(r, 0, 5, -1);
    f->expired_leases = res_i64(r, 0, 6, 0);
    f->readings_24h = res_i64(r, 0, 7, 0);
    f->rows_rejected_24h = res_i64(r, 0, 8, 0);
    return 0;
}

static int parse_throughput(const PGresult *r, struct dashboard *d)
{
    if (PQntuples(r) != 1)
        return -1;
    d->readings_per_s = res_f64(r, 0, 0, 0);
    return 0;
}

static int parse_loading(const PGresult *r, struct dashboard *d)
{
    int n;
    free(d->loading);
    d->nloading = 0;
    if (!(d->loading = res_calloc_rows(r, sizeof *d->loading, &n)) && n)
        return -1;
    for (int i = 0; i < n; i++) {
        struct dash_loading *l = &d->loading[i];
        l->file_id = res_i64(r, i, 0, 0);
        l->job_id = res_i64(r, i, 1, 0);
        l->path = strpool_dup(&d->pool, res_str(r, i, 2));
        l->format = strpool_dup(&d->pool, res_str(r, i, 3));
        l->bytes = res_i64(r, i, 4, 0);
        l->progress_rows = res_i64(r, i, 5, 0);
        l->rows_estimate = res_i64(r, i, 6, -1);
        l->elapsed_s = res_i64(r, i, 7, 0);
        l->lease_expired = res_bool(r, i, 8);
        l->claimed_by = strpool_dup(&d->pool, res_str(r, i, 9));
        if (!l->path || !l->format || !l->claimed_by)
            return -1;
    }
    d->nloading = (size_t)n;
    return 0;
}

static int parse_copy(const PGresult *r, struct dashboard *d)
{
    int n;
    free(d->copies);
    d->ncopies = 0;
    if (!(d->copies = res_calloc_rows(r, sizeof *d->copies, &n)) && n)
        return -1;
    for (int i = 0; i < n; i++) {
        struct dash_copy *c = &d->copies[i];
        c->pid = (int)res_i64(r, i, 0, 0);
        c->relation = strpool_dup(&d->pool, res_str(r, i, 1));
        c->command = strpool_dup(&d->pool, res_str(r, i, 2));
        c->type = strpool_dup(&d->pool, res_str(r, i, 3));
        c->bytes_processed = res_i64(r, i, 4, 0);
        c->bytes_total = res_i64(r, i, 5, 0);
        c->tuples_processed = res_i64(r, i, 6, 0);
        c->tuples_excluded = res_i64(r, i, 7, 0);
        c->application = strpool_dup(&d->pool, res_str(r, i, 8));
        c->running_s = res_i64(r, i, 9, 0);
        c->file_id = res_i64(r, i, 10, 0);
        c->path = strpool_dup(&d->pool, res_str(r, i, 11));
        if (!c->relation || !c->command || !c->type || !c->application || !c->path)
            return -1;
    }
    d->ncopies = (size_t)n;
    return 0;
}

static int parse_meters(const PGresult *r, struct dashboard *d)
{
    if (PQntuples(r) != 1)
        return -1;
    struct dash_meters *m = &d->meters;
    m->total = res_i64(r, 0, 0, 0);
    m->elec = res_i64(r, 0, 1, 0);
    m->gas = res_i64(r, 0, 2, 0);
    m->reporting_today = res_i64(r, 0, 3, 0);
    m->silent = res_i64(r, 0, 4, 0);
    return 0;
}

static int parse_health(const PGresult *r, struct dashboard *d)
{
    if (PQntuples(r) != 1)
        return -1;
    struct dash_health *h = &d->health;
    h->connections = (int)res_i64(r, 0, 0, 0);
    h->max_connections = (int)res_i64(r, 0, 1, 0);
    h->waiting_on_locks = (int)res_i64(r, 0, 2, 0);
    h->cache_hit_pct = res_f64(r, 0, 3, -1);
    h->longest_xact_s = res_i64(r, 0, 4, -1);
    h->replicas = (int)res_i64(r, 0, 5, 0);
    h->replica_lag_s = res_f64(r, 0, 6, -1);
    h->db_bytes = res_i64(r, 0, 7, 0);
    h->server_version = strpool_dup(&d->pool, res_str(r, 0, 8));
    return h->server_version ? 0 : -1;
}

static int parse_loaders(const PGresult *r, struct dashboard *d)
{
    int n;
    free(d->loaders);
    d->nloaders = d->live_loaders = 0;
    if (!(d->loaders = res_calloc_rows(r, sizeof *d->loaders, &n)) && n)
        return -1;
    for (int i = 0; i < n; i++) {
        struct dash_loader *l = &d->loaders[i];
        l->loader_id = res_i64(r, i, 0, 0);
        l->host = strpool_dup(&d->pool, res_str(r, i, 1));
        l->pid = (int)res_i64(r, i, 2, 0);
        l->kind = strpool_dup(&d->pool, res_str(r, i, 3));
        l->job_id = res_i64(r, i, 4, 0);
        l->files_in_hand = (int)res_i64(r, i, 5, 0);
        l->heartbeat_age_s = res_f64(r, i, 6, 0);
        l->running_s = res_i64(r, i, 7, 0);
        l->live = res_bool(r, i, 8);
        if (!l->host || !l->kind)
            return -1;
        d->live_loaders += l->live;
    }
    d->nloaders = (size_t)n;
    return 0;
}

static int parse_waiting(const PGresult *r, struct dashboard *d)
{
    int n;
    free(d->waiting);
    d->nwaiting = 0;
    if (!(d->waiting = res_calloc_rows(r, sizeof *d->waiting, &n)) && n)
        return -1;
    for (int i = 0; i < n; i++) {
        d->waiting[i].file_id = res_i64(r, i, 0, 0);
        d->waiting[i].abandoned = res_bool(r, i, 1);
    }
    d->nwaiting = (size_t)n;
    return 0;
}

static int parse_problems(const PGresult *r, struct dashboard *d)
{
    int n;
    free(d->problems);
    d->nproblems = 0;
    d->unacked_failed = d->unacked_rejected = 0;
    if (!(d->problems = res_calloc_rows(r, sizeof *d->problems, &n)) && n)
        return -1;
    for (int i = 0; i < n; i++) {
        struct dash_problem *p = &d->problems[i];
        p->file_id = res_i64(r, i, 0, 0);
        p->status = strpool_dup(&d->pool, res_str(r, i, 1));
        p->path = strpool_dup(&d->pool, res_str(r, i, 2));
        p->age_s = res_i64(r, i, 3, 0);
        p->code = strpool_dup(&d->pool, res_str(r, i, 4));
        p->message = strpool_dup(&d->pool, res_str(r, i, 5));
        p->acked = res_bool(r, i, 6);
        p->acked_by = strpool_dup(&d->pool, res_str(r, i, 7));
        p->ack_reason = strpool_dup(&d->pool, res_str(r, i, 8));
        if (!p->status || !p->path || !p->code || !p->message || !p->acked_by || !p->ack_reason)
            return -1;
        d->unacked_failed = res_i64(r, i, 9, 0);
        d->unacked_rejected = res_i64(r, i, 10, 0);
    }
    d->nproblems = (size_t)n;
    return 0;
}

struct part {
    unsigned bit;
    enum sql_query query;
    int (*parse)(const PGresult *r, struct dashboard *d);
};

static const struct part parts_table[] = {
    { DASH_FILES, SQL_CONSOLE_DASH_FILES, parse_files },
    { DASH_THROUGHPUT, SQL_CONSOLE_DASH_THROUGHPUT, parse_throughput },
    { DASH_LOADING, SQL_CONSOLE_DASH_LOADING, parse_loading },
    { DASH_COPY, SQL_CONSOLE_DASH_COPY, parse_copy },
    { DASH_METERS, SQL_CONSOLE_DASH_METERS, parse_meters },
    { DASH_HEALTH, SQL_CONSOLE_DASH_HEALTH, parse_health },
    { DASH_LOADERS, SQL_CONSOLE_DASH_LOADERS, parse_loaders },
    { DASH_WAITING, SQL_CONSOLE_DASH_WAITING, parse_waiting },
    { DASH_PROBLEMS, SQL_CONSOLE_DASH_PROBLEMS, parse_problems },
};
#define NPARTS (sizeof parts_table / sizeof parts_table[0])

/* The parameters each part's query takes (its $1), as text. */
static int part_params(const struct part *pt, const struct dash_params *p, char buf[24],
                       const char *params[1])
{
    if (pt->bit == DASH_LOADING) {
        snprintf(buf, 24, "%d", p->max_loading > 0 ? p->max_loading : 50);
        params[0] = buf;
        return 1;
    }
    if (pt->bit == DASH_LOADERS || pt->bit == DASH_WAITING) {
        snprintf(buf, 24, "%d", 20);
        params[0] = buf;
        return 1;
    }
    if (pt->bit == DASH_PROBLEMS) {
        snprintf(buf, 24, "%d", p->max_problems > 0 ? p->max_problems : 50);
        params[0] = buf;
        return 1;
    }
    if (pt->bit == DASH_METERS) {
        snprintf(buf, 24, "%d", p->silent_days);
        params[0] = buf;
        return 1;
    }
    return 0;
}

static void part_failed(struct dashboard *d, const struct part *pt, const struct mo_err *err)
{
    if (d->err.code[0])
        return;
    if (err)
        d->err = *err;
    else
        mo_err_set(&d->err, "dashboard", "unexpected answer to %s", sql_name(pt->query));
}

static struct dashboard *dashboard_new(const struct dash_params *p, unsigned parts)
{
    struct dashboard *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->parts_asked = parts;
    d->silent_days = p->silent_days;
    d->health.cache_hit_pct = -1;
    d->health.longest_xact_s = -1;
    d->health.replica_lag_s = -1;
    d->files.oldest_queued_s = -1;
    return d;
}

void dashboard_free(struct dashboard *d)
{
    if (!d)
        return;
    free(d->loading);
    free(d->copies);
    free(d->loaders);
    free(d->waiting);
    free(d->problems);
    strpool_free(&d->pool);
    free(d);
}

static struct dashboard *fetch_on(PGconn *conn, const struct dash_params *p, unsigned parts)
{
    struct dashboard *d = dashboard_new(p, parts);
    if (!d)
        return NULL;
    for (size_t i = 0; i < NPARTS; i++) {
        const struct part *pt = &parts_table[i];
        if (!(parts & pt->bit))
            continue;
        char buf[24];
        const char *params[1];
        int n = part_params(pt, p, buf, params);
        struct mo_err err;
        mo_err_clear(&err);
        PGresult *r = db_query(conn, pt->query, n, params, &err);
        if (r && pt->parse(r, d) == 0)
            d->parts_ok |= pt->bit;
        else
            part_failed(d, pt, r ? NULL : &err);
        PQclear(r);
    }
    return d;
}

struct dashboard *dashboard_fetch_once(const char *conninfo, const struct db_limits *limits,
                                      const struct dash_params *p, unsigned parts,
                                      struct mo_err *err)
{
    const struct db_session s = { .kind = DB_STATUS, .app_name = "meterops status", .limits = *limits };
    PGconn *conn = db_connect(conninfo, &s, err);
    if (!conn)
        return NULL;
    struct dashboard *d = fetch_on(conn, p, parts);
    db_close(conn);
    if (!d)
        mo_err_set(err, "out_of_memory", "out of memory");
    return d;
}

/* One asynchronous refresh: the parts answer one by one into d. */
struct gather {
    struct dashboard *d;
    int pending;
    dashboard_done_fn done;
    void *ctx;
    uint64_t tag;
};

static void part_answer(const PGresult *res, const struct mo_err *err, dba_any_fn done,
                        void *ctx, uint64_t part)
{
    (void)done;
    struct gather *g = ctx;
    const struct part *pt = &parts_table[part];
    if (res && pt->parse(res, g->d) == 0)
        g->d->parts_ok |= pt->bit;
    else
        part_failed(g->d, pt, res ? NULL : err);
    if (--g->pending == 0) {
        g->done(g->ctx, g->tag, g->d);
        free(g);
    }
}

int dashboard_fetch(struct dba *db, const struct dash_params *p, unsigned parts,
                    dashboard_done_fn done, void *ctx, uint64_t tag, struct mo_err *err)
{
    struct gather *g = calloc(1, sizeof *g);
    if (!g || !(g->d = dashboard_new(p, parts))) {
        free(g);
        return mo_err_set(err, "out_of_memory", "out of memory");
    }
    g->done = done;
    g->ctx = ctx;
    g->tag = tag;
    /* Count every part first, so an answer cannot complete the gather early. */
    g->pending = 1;
    for (size_t i = 0; i < NPARTS; i++) {
        const struct part *pt = &parts_table[i];
        if (!(parts & pt->bit))
            continue;
        char buf[24];
        const char *params[1];
        int n = part_params(pt, p, buf, params);
        g->pending++;
        if (dba_submit(db, pt->query, n, params, part_answer, NULL, g, i, err) < 0) {
            g->pending--;
            if (g->pending == 1) { /* nothing went out: report synchronously */
                dashboard_free(g->d);
                free(g);
                return -1;
            }
            part_failed(g->d, pt, err);
        }
    }
    if (--g->pending == 0) {
        g->done(g->ctx, g->tag, g->d);
        free(g);
    }
    return 0;
}

double dash_loading_fraction(const struct dash_loading *l)
{
    if (l->rows_estimate <= 0)
        return -1;
    double f = (double)l->progress_rows / (double)l->rows_estimate;
    return f < 0 ? 0 : f > 1 ? 1 : f;
}

double dash_loading_rate(const struct dash_loading *l)
{
    return l->elapsed_s > 0 ? (double)l->progress_rows / (double)l->elapsed_s : 0;
}

int64_t dash_loading_eta_s(const struct dash_loading *l)
{
    double rate = dash_loading_rate(l);
    if (l->rows_estimate <= 0 || rate <= 0)
        return -1;
    double left = (double)(l->rows_estimate - l->progress_rows);
    return left <= 0 ? 0 : (int64_t)(left / rate + 0.5);
}
