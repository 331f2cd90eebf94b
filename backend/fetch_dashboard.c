/* fetch_dashboard.c - see fetch_dashboard.h. One table of parts; the synchronous and the
 * asynchronous paths run the same queries through the same parsers. */
#include "backend/fetch_dashboard.h"

#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/db.h"
#include "backend/dbasync_query.h"
#include "backend/fetch.h"
#include "backend/fetch_checks_parse.h"

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
    int n;
    free(d->sample);
    d->nsample = 0;
    d->readings_per_s = d->bytes_done = d->bytes_total = d->bytes_per_s = 0;
    if (!(d->sample = res_calloc_rows(r, sizeof *d->sample, &n)) && n)
        return -1;
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        const char *kind = res_str(r, i, 0);
        if (kind[0] == 't') {
            d->sample_at = res_f64(r, i, 2, 0);
            continue;
        }
        if (kind[0] == 'q') {
            d->bytes_total += (double)res_i64(r, i, 4, 0);
            continue;
        }
        struct dash_sample_item *it = &d->sample[k++];
        it->kind = kind[0];
        it->id = res_i64(r, i, 1, 0);
        it->readings = res_f64(r, i, 2, 0);
        it->bytes_done = res_f64(r, i, 3, 0);
        it->bytes = res_i64(r, i, 4, 0);
        it->elapsed_s = res_f64(r, i, 5, 0);
        if (it->kind == 'l') {
            d->bytes_done += it->bytes_done;
            d->bytes_total += (double)it->bytes;
            if (it->elapsed_s >= 1) {
                d->readings_per_s += it->readings / it->elapsed_s;
                d->bytes_per_s += it->bytes_done / it->elapsed_s;
            }
        }
    }
    d->nsample = k;
    return d->sample_at > 0 ? 0 : -1;
}

static const struct dash_sample_item *sample_find(const struct dash_sample_item *a, size_t n, char kind,
                                                  int64_t id)
{
    bool file = kind != 'c';
    for (size_t i = 0; i < n; i++)
        if (a[i].id == id && (a[i].kind != 'c') == file)
            return &a[i];
    return NULL;
}

int dash_rate_update(struct dash_rate *r, const struct dashboard *d)
{
    double dt = d->sample_at - r->at;
    r->bytes_done = d->bytes_done;
    r->bytes_total = d->bytes_total;
    r->fraction = d->bytes_total > 0 ? d->bytes_done / d->bytes_total : -1;
    if (r->at > 0 && dt >= 0.5) {
        double readings = 0, bytes = 0, tuples = 0;
        for (size_t i = 0; i < d->nsample; i++) {
            const struct dash_sample_item *c = &d->sample[i];
            const struct dash_sample_item *p = sample_find(r->prev, r->nprev, c->kind, c->id);
            if (c->kind == 'c') {
                /* A COPY whose count went down is a new COPY of the same session. */
                tuples += p && c->readings >= p->readings ? c->readings - p->readings : c->readings;
                continue;
            }
            double dr = c->readings - (p ? p->readings : 0), db = c->bytes_done - (p ? p->bytes_done : 0);
            readings += dr > 0 ? dr : 0;
            bytes += db > 0 ? db : 0;
        }
        r->readings_per_s = readings / dt;
        r->bytes_per_s = bytes / dt;
        r->copy_tuples_per_s = tuples / dt;
        r->known = true;
    }
    double left = d->bytes_total - d->bytes_done;
    r->eta_s = left <= 0 ? (d->bytes_total > 0 ? 0 : -1)
             : r->known && r->bytes_per_s > 0 ? (int64_t)(left / r->bytes_per_s + 0.5) : -1;
    if (r->at > 0 && dt < 0.5)
        return 0; /* too close to the previous one: keep that as the base */
    struct dash_sample_item *copy = NULL;
    if (d->nsample && !(copy = malloc(d->nsample * sizeof *copy)))
        return -1;
    if (d->nsample)
        memcpy(copy, d->sample, d->nsample * sizeof *copy);
    free(r->prev);
    r->prev = copy;
    r->nprev = d->nsample;
    r->at = d->sample_at;
    return 0;
}

void dash_rate_free(struct dash_rate *r)
{
    free(r->prev);
    memset(r, 0, sizeof *r);
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
    const char *reads;                  /* the tables it reads, comma-separated (status
                                         * skips it while one is locked: fetch_budget) */
};

static const struct part parts_table[] = {
    { DASH_FILES, SQL_CONSOLE_DASH_FILES, parse_files, "meterops.load_file" },
    { DASH_THROUGHPUT, SQL_CONSOLE_DASH_THROUGHPUT, parse_throughput, "meterops.load_file" },
    { DASH_LOADING, SQL_CONSOLE_DASH_LOADING, parse_loading, "meterops.load_file" },
    { DASH_COPY, SQL_CONSOLE_DASH_COPY, parse_copy, "meterops.load_file" },
    { DASH_METERS, SQL_CONSOLE_DASH_METERS, parse_meters,
      "meterops.meter,meterops.meter_active,meterops.meter_seen,meterops.meter_tally" },
    { DASH_HEALTH, SQL_CONSOLE_DASH_HEALTH, parse_health, NULL },
    { DASH_LOADERS, SQL_CONSOLE_DASH_LOADERS, parse_loaders, "meterops.loader" },
    { DASH_WAITING, SQL_CONSOLE_DASH_WAITING, parse_waiting, "meterops.load_file" },
    { DASH_PROBLEMS, SQL_CONSOLE_DASH_PROBLEMS, parse_problems, "meterops.load_file,meterops.load_error" },
    { DASH_ACTIVITY, SQL_CHECKS_ACTIVITY, parse_check_activity, NULL },
    { DASH_XID, SQL_CHECKS_XID, parse_check_xid, NULL },
    { DASH_REPLICATION, SQL_CHECKS_REPLICATION, parse_check_replication, NULL },
    { DASH_SLOTS, SQL_CHECKS_SLOTS, parse_check_slots, NULL },
    { DASH_SERVER, SQL_CHECKS_SERVER, parse_check_server, NULL },
    { DASH_NODES, SQL_CHECKS_NODES, parse_check_nodes, NULL },
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
    if (pt->bit == DASH_REPLICATION || pt->bit == DASH_SLOTS) {
        snprintf(buf, 24, "%d", pt->bit == DASH_SLOTS ? DASH_MAX_SLOTS : DASH_MAX_STANDBYS);
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
    if (pt->bit == DASH_THROUGHPUT) {
        snprintf(buf, 24, "%.3f", p->throughput_since);
        params[0] = p->throughput_since > 0 ? buf : NULL;
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
    d->activity.idle_xact_s = d->activity.longest_wait_s = -1;
    return d;
}

void dashboard_free(struct dashboard *d)
{
    if (!d)
        return;
    free(d->loading);
    free(d->copies);
    free(d->sample);
    free(d->loaders);
    free(d->waiting);
    free(d->problems);
    strpool_free(&d->pool);
    free(d);
}

void dashboard_merge(struct dashboard *into, const struct dashboard *from)
{
    unsigned ok = from->parts_ok;
    if (ok & DASH_FILES)
        into->files = from->files;
    if (ok & DASH_THROUGHPUT) {
        into->readings_per_s = from->readings_per_s;
        into->sample_at = from->sample_at;
        into->sample = from->sample;
        into->nsample = from->nsample;
        into->bytes_done = from->bytes_done;
        into->bytes_total = from->bytes_total;
        into->bytes_per_s = from->bytes_per_s;
    }
    if (ok & DASH_LOADING) {
        into->loading = from->loading;
        into->nloading = from->nloading;
    }
    if (ok & DASH_COPY) {
        into->copies = from->copies;
        into->ncopies = from->ncopies;
    }
    if (ok & DASH_METERS) {
        into->meters = from->meters;
        into->silent_days = from->silent_days;
    }
    if (ok & DASH_HEALTH)
        into->health = from->health;
    if (ok & DASH_LOADERS) {
        into->loaders = from->loaders;
        into->nloaders = from->nloaders;
        into->live_loaders = from->live_loaders;
    }
    if (ok & DASH_WAITING) {
        into->waiting = from->waiting;
        into->nwaiting = from->nwaiting;
    }
    if (ok & DASH_PROBLEMS) {
        into->problems = from->problems;
        into->nproblems = from->nproblems;
        into->unacked_failed = from->unacked_failed;
        into->unacked_rejected = from->unacked_rejected;
    }
    if (ok & DASH_ACTIVITY)
        into->activity = from->activity;
    if (ok & DASH_XID)
        into->xid = from->xid;
    if (ok & DASH_REPLICATION) {
        memcpy(into->standbys, from->standbys, sizeof into->standbys);
        into->nstandbys = from->nstandbys;
    }
    if (ok & DASH_SLOTS) {
        memcpy(into->slots, from->slots, sizeof into->slots);
        into->nslots = from->nslots;
        into->slots_total = from->slots_total;
        into->slots_inactive = from->slots_inactive;
    }
    if (ok & DASH_SERVER)
        into->server = from->server;
    if (ok & DASH_NODES) {
        memcpy(into->nodes, from->nodes, sizeof into->nodes);
        into->nnodes = from->nnodes;
        into->nodes_down = from->nodes_down;
        into->rebalance = from->rebalance;
    }
    into->parts_ok |= ok;
    into->parts_asked |= from->parts_asked;
    if (!into->err.code[0] && from->err.code[0])
        into->err = from->err;
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

const char *dash_part_name(unsigned bit)
{
    switch (bit) {
    case DASH_FILES: return "files";
    case DASH_THROUGHPUT: return "throughput";
    case DASH_LOADING: return "loading";
    case DASH_COPY: return "copy";
    case DASH_METERS: return "meters";
    case DASH_HEALTH: return "database";
    case DASH_LOADERS: return "loaders";
    case DASH_WAITING: return "waiting";
    case DASH_PROBLEMS: return "problems";
    case DASH_ACTIVITY: return "activity";
    case DASH_XID: return "xid";
    case DASH_REPLICATION: return "replication";
    case DASH_SLOTS: return "slots";
    case DASH_SERVER: return "server";
    case DASH_NODES: return "nodes";
    }
    return "?";
}

/* --- one time budget for `status` ------------------------------------------------------ */

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until the socket is ready for `events` or the deadline passes: 0 ready, -1 late. */
static int wait_socket(PGconn *conn, short events, long long deadline)
{
    for (;;) {
        long long left = deadline - mono_ms();
        if (left <= 0)
            return -1;
        struct pollfd pfd = { PQsocket(conn), events, 0 };
        int r = poll(&pfd, 1, (int)left);
        if (r > 0)
            return 0;
        /* r == 0: the deadline; r < 0: EINTR, loop and look at the clock */
    }
}

static PGconn *connect_by(const char *conninfo, long long deadline, struct mo_err *err)
{
    const struct db_session s = { .kind = DB_PLAIN, .app_name = "meterops status" };
    PGconn *conn = db_connect_start(conninfo, &s, err);
    if (!conn)
        return NULL;
    PostgresPollingStatusType st = PGRES_POLLING_WRITING;
    while (st != PGRES_POLLING_OK) {
        if (st == PGRES_POLLING_FAILED) {
            mo_err_set(err, "db_connect", "cannot connect to PostgreSQL: %s", PQerrorMessage(conn));
            PQfinish(conn);
            return NULL;
        }
        if (wait_socket(conn, st == PGRES_POLLING_READING ? POLLIN : POLLOUT, deadline) < 0) {
            mo_err_set(err, "db_connect", "cannot connect to PostgreSQL: no answer within the time budget");
            PQfinish(conn);
            return NULL;
        }
        st = PQconnectPoll(conn);
    }
    PQsetnonblocking(conn, 1);
    return conn;
}

/* One statement by the deadline: its last result, or NULL with err (the server's error, or
 * code "budget" when the deadline came first: the connection is then of no further use). */
static PGresult *query_by(PGconn *conn, enum sql_query q, int n, const char *const *params,
                          long long deadline, struct mo_err *err)
{
    if (!PQsendQueryParams(conn, sql_text(q), n, NULL, params, NULL, NULL, 0)) {
        db_err_from_result(NULL, conn, err);
        return NULL;
    }
    int f;
    while ((f = PQflush(conn)) == 1)
        if (wait_socket(conn, POLLOUT, deadline) < 0)
            goto late;
    if (f < 0) {
        db_err_from_result(NULL, conn, err);
        return NULL;
    }
    PGresult *last = NULL;
    for (;;) {
        while (PQisBusy(conn)) {
            if (wait_socket(conn, POLLIN, deadline) < 0) {
                PQclear(last);
                goto late;
            }
            if (!PQconsumeInput(conn)) {
                PQclear(last);
                db_err_from_result(NULL, conn, err);
                return NULL;
            }
        }
        PGresult *r = PQgetResult(conn);
        if (!r)
            break;
        PQclear(last);
        last = r;
    }
    ExecStatusType st = last ? PQresultStatus(last) : PGRES_FATAL_ERROR;
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        db_err_from_result(last, conn, err);
        PQclear(last);
        return NULL;
    }
    return last;
late:
    mo_err_set(err, "budget", "no answer within the time budget");
    return NULL;
}

/* Sets the limits of the next statement: statement_timeout the time left (less a margin
 * for its answer to travel), lock_timeout its share; each within the caller's own cap. */
static int limit_next(PGconn *conn, const struct db_limits *cap, long long deadline, int parts_left,
                      struct mo_err *err)
{
    long long left = deadline - mono_ms() - 20;
    if (left < 1)
        return mo_err_set(err, "budget", "no time left in the budget");
    long long stmt = left, lock = left / (parts_left > 0 ? parts_left : 1);
    if (cap->statement_timeout_ms > 0 && stmt > cap->statement_timeout_ms)
        stmt = cap->statement_timeout_ms;
    if (cap->lock_timeout_ms > 0 && lock > cap->lock_timeout_ms)
        lock = cap->lock_timeout_ms;
    char a[24], b[24];
    snprintf(a, sizeof a, "%lld", stmt);
    snprintf(b, sizeof b, "%lld", lock < 1 ? 1 : lock);
    const char *params[3] = { a, b, NULL };
    PGresult *r = query_by(conn, SQL_SESSION_SETUP, 3, params, deadline, err);
    PQclear(r);
    return r ? 0 : -1;
}

/* Which of the tables the asked parts read are locked ACCESS EXCLUSIVE (held or asked
 * for): their names into locked, comma-separated. 0, or -1 when the connection is of
 * no further use (the budget ran out). */
static int locked_tables(PGconn *conn, const struct db_limits *limits, long long deadline, unsigned parts,
                         int parts_left, char *locked, size_t len)
{
    char reads[1024] = "";
    size_t n = 0;
    for (size_t i = 0; i < NPARTS; i++)
        if ((parts & parts_table[i].bit) && parts_table[i].reads && n < sizeof reads)
            n += (size_t)snprintf(reads + n, sizeof reads - n, "%s%s", n ? "," : "", parts_table[i].reads);
    if (!n)
        return 0;
    struct mo_err err;
    mo_err_clear(&err);
    PGresult *r = NULL;
    const char *params[1] = { reads };
    if (limit_next(conn, limits, deadline, parts_left, &err) == 0)
        r = query_by(conn, SQL_CHECKS_LOCKED, 1, params, deadline, &err);
    size_t m = 0;
    for (int i = 0; r && i < PQntuples(r) && m < len; i++)
        m += (size_t)snprintf(locked + m, len - m, "%s%s", m ? "," : "", PQgetvalue(r, i, 0));
    PQclear(r);
    /* A failure of its own is not the parts' business: they run and time out as before. */
    return strcmp(err.code, "budget") == 0 ? -1 : 0;
}

/* The first table part pt reads that is in locked (comma-separated): its name in
 * pt->reads and its length in *len; else NULL. */
static const char *part_locked(const struct part *pt, const char *locked, int *len)
{
    if (!pt->reads || !*locked)
        return NULL;
    for (const char *p = pt->reads; *p;) {
        size_t k = strcspn(p, ",");
        for (const char *q = locked; *q;) {
            size_t j = strcspn(q, ",");
            if (j == k && strncmp(p, q, k) == 0) {
                *len = (int)k;
                return p;
            }
            q += j + (q[j] == ',');
        }
        p += k + (p[k] == ',');
    }
    return NULL;
}

static struct dashboard *fetch_budget(const char *conninfo, const struct db_limits *limits,
                                      const struct dash_params *p, unsigned parts, struct mo_err *err)
{
    /* A tenth of the budget (at most 100 ms) is kept for what comes after the answers:
     * giving up on a busy connection, closing, printing, the process's own exit. */
    long long reserve = p->budget_ms / 10 < 100 ? p->budget_ms / 10 : 100;
    long long deadline = mono_ms() + p->budget_ms - reserve;
    PGconn *conn = connect_by(conninfo, deadline, err);
    if (!conn)
        return NULL;
    struct dashboard *d = dashboard_new(p, parts);
    if (!d) {
        PQfinish(conn);
        mo_err_set(err, "out_of_memory", "out of memory");
        return NULL;
    }
    int left = 0;
    for (size_t i = 0; i < NPARTS; i++)
        left += (parts & parts_table[i].bit) != 0;
    char locked[512] = "";
    bool usable = locked_tables(conn, limits, deadline, parts, left + 1, locked, sizeof locked) == 0;
    if (!usable)
        mo_err_set(&d->err, "budget", "no answer within the time budget");
    for (size_t i = 0; i < NPARTS && usable; i++) {
        const struct part *pt = &parts_table[i];
        if (!(parts & pt->bit))
            continue;
        struct mo_err qerr;
        mo_err_clear(&qerr);
        PGresult *r = NULL;
        int hlen = 0;
        const char *held = part_locked(pt, locked, &hlen);
        if (held) {
            left--;
            mo_err_set(&qerr, "locked", "skipped: %.*s is locked (ACCESS EXCLUSIVE held or requested)", hlen,
                       held);
        } else if (limit_next(conn, limits, deadline, left--, &qerr) == 0) {
            char buf[24];
            const char *params[1];
            int n = part_params(pt, p, buf, params);
            r = query_by(conn, pt->query, n, params, deadline, &qerr);
        }
        if (r && pt->parse(r, d) == 0)
            d->parts_ok |= pt->bit;
        else
            part_failed(d, pt, r ? NULL : &qerr);
        PQclear(r);
        /* Late: the statement may still run; nothing more can be asked on this connection. */
        usable = strcmp(qerr.code, "budget") != 0;
    }
    PQfinish(conn);
    return d;
}

struct dashboard *dashboard_fetch_once(const char *conninfo, const struct db_limits *limits,
                                      const struct dash_params *p, unsigned parts,
                                      struct mo_err *err)
{
    if (p->budget_ms > 0)
        return fetch_budget(conninfo, limits, p, parts, err);
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
