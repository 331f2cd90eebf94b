/* meterops status [--db C] [--json] ...: the dashboard's facts for scripts and monitoring,
 * judged by backend/health.c. Exit 0 healthy, 1 warning, 2 critical (or could not run). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/fetch_dashboard.h"
#include "backend/health.h"
#include "backend/jsonw.h"
#include "backend/textfmt.h"
#include "cli/cmd.h"

enum {
    O_DB, O_JSON, O_SILENT_DAYS, O_QUEUE_WARN, O_QUEUE_CRIT, O_CONN_WARN, O_CONN_CRIT, O_LAG_WARN,
    O_LAG_CRIT, O_XACT_WARN, O_STATEMENT_TIMEOUT, O_BUDGET, O_END
};

#define MANY 1000000000
static const struct cli_opt status_opts[] = {
    [O_DB] = { "db", 'd', CLI_STRING, "CONNINFO", "connection (keyword string or URI); else PG* variables" },
    [O_JSON] = { "json", 'j', CLI_FLAG, NULL, "one JSON object instead of text" },
    [O_SILENT_DAYS] = { "silent-days", 0, CLI_INT, "N",
                        "a meter is silent after N days without a reading (default 3,\n"
                        "at most 31: the counts read one summary per day)", 1, MAX_SILENT_DAYS },
    [O_QUEUE_WARN] = { "queue-warn", 0, CLI_INT, "MIN",
                       "oldest queued file older than MIN minutes: warning (default %d)", 1, MANY },
    [O_QUEUE_CRIT] = { "queue-crit", 0, CLI_INT, "MIN", "... critical (default %d)", 1, MANY },
    [O_CONN_WARN] = { "conn-warn", 0, CLI_INT, "PCT",
                      "connections in use above PCT%% of max_connections: warning (default %d)", 1, MANY },
    [O_CONN_CRIT] = { "conn-crit", 0, CLI_INT, "PCT", "... critical (default %d)", 1, MANY },
    [O_LAG_WARN] = { "lag-warn", 0, CLI_INT, "S", "replica replay lag above S seconds: warning (default %d)",
                     1, MANY },
    [O_LAG_CRIT] = { "lag-crit", 0, CLI_INT, "S", "... critical (default %d)", 1, MANY },
    [O_XACT_WARN] = { "xact-warn", 0, CLI_INT, "S",
                      "a transaction open longer than S seconds: warning (default %d)", 1, MANY },
    [O_STATEMENT_TIMEOUT] = { "statement-timeout", 0, CLI_INT, "MS",
                              "cancel a query running longer (default 10000)", 0, MANY },
    [O_BUDGET] = { "budget", 0, CLI_INT, "MS",
                   "end the whole run, connecting included, within MS (default 1000; 0 none)", 0, MANY },
    [O_END] = { 0 },
};

static const struct cli_spec status_spec = {
    "status",
    "Usage: meterops status [--db CONNINFO] [--json] [OPTIONS]\n"
    "The console dashboard's facts for scripts and monitoring: files queued, loading,\n"
    "loaded, rejected and failed (last 24 h), throughput, loading files with progress and\n"
    "ETA, COPYs in flight, meter counts and database health.\n\n",
    status_opts,
    "Exit status (the worst check decides):\n"
    "  0  healthy\n"
    "  1  warning: a file rejected in the last 24 h, the queue older than --queue-warn,\n"
    "     connections above --conn-warn, replica lag above --lag-warn, a transaction\n"
    "     open longer than --xact-warn, or part of the facts could not be read or did\n"
    "     not answer within --budget (named as unknown)\n"
    "  2  critical: a file failed in the last 24 h, a loading file whose lease expired\n"
    "     (its loader stopped), the queue older than --queue-crit, connections above\n"
    "     --conn-crit, replica lag above --lag-crit; or no connection to the database\n",
};

/* The defaults in --help are health.c's own. */
static void status_usage(FILE *out)
{
    struct health_thresholds t;
    health_defaults(&t);
    cli_usage(out, &status_spec, t.queue_warn_min, t.queue_crit_min, t.conn_warn_pct, t.conn_crit_pct,
              t.lag_warn_s, t.lag_crit_s, t.xact_warn_s);
}

static void print_text(const struct dashboard *d, const struct health_check *checks, int nchecks,
                       enum health_level overall)
{
    char a[32], b[32], c[32], e[32];
    static const char *const upper[] = { "OK", "WARNING", "CRITICAL" };
    printf("meterops status: %s\n", upper[overall]);
    if (d->parts_ok & DASH_FILES) {
        const struct dash_files *f = &d->files;
        printf("files       queued %lld, loading %lld", (long long)f->queued, (long long)f->loading);
        if (f->oldest_queued_s >= 0)
            printf(" (oldest queued %s ago)", fmt_duration(a, sizeof a, f->oldest_queued_s));
        printf("; last 24 h: loaded %lld, rejected %lld, failed %lld\n", (long long)f->loaded,
               (long long)f->rejected, (long long)f->failed);
    }
    if (d->parts_ok & DASH_THROUGHPUT) {
        /* One sample: the loading files' rates since each started (none loading: 0). */
        printf("throughput  %s readings/s (the loading files, since each started)",
               fmt_count(a, sizeof a, (int64_t)(d->readings_per_s + 0.5)));
        if (d->bytes_total > 0) {
            double left = d->bytes_total - d->bytes_done;
            printf("; %.0f%% of %s queued and loading", 100 * d->bytes_done / d->bytes_total,
                   fmt_bytes(b, sizeof b, (int64_t)d->bytes_total));
            printf(", ETA %s", fmt_eta(c, sizeof c, d->bytes_per_s > 0 ? (int64_t)(left / d->bytes_per_s + 0.5) : -1));
        }
        printf("; %s readings loaded in the last 24 h\n", fmt_count(b, sizeof b, d->files.readings_24h));
    }
    if (d->parts_ok & DASH_LOADING) {
        if (d->nloading == 0)
            printf("loading     none\n");
        for (size_t i = 0; i < d->nloading; i++) {
            const struct dash_loading *l = &d->loading[i];
            double frac = dash_loading_fraction(l);
            char shown[4 * 4096 + 1];
            printf("loading     #%lld %s ", (long long)l->file_id, fmt_visible(shown, sizeof shown, l->path));
            if (frac >= 0)
                printf("%.0f%% (%s of ~%s rows)", frac * 100, fmt_count(a, sizeof a, l->progress_rows),
                       fmt_count(b, sizeof b, l->rows_estimate));
            else
                printf("%s rows", fmt_count(a, sizeof a, l->progress_rows));
            printf(", %s rows/s, ETA %s%s\n", fmt_count(c, sizeof c, (int64_t)(dash_loading_rate(l) + 0.5)),
                   fmt_eta(e, sizeof e, dash_loading_eta_s(l)), l->lease_expired ? ", ABANDONED (lease expired: back in the queue)" : "");
        }
    }
    if (d->parts_ok & DASH_COPY) {
        if (d->ncopies == 0)
            printf("copy        none in flight\n");
        for (size_t i = 0; i < d->ncopies; i++) {
            const struct dash_copy *cp = &d->copies[i];
            printf("copy        pid %d %s %s: %s tuples, %s", cp->pid, cp->command, cp->relation,
                   fmt_count(a, sizeof a, cp->tuples_processed), fmt_bytes(b, sizeof b, cp->bytes_processed));
            char shown[4 * 4096 + 1];
            if (cp->file_id > 0)
                printf(" (file %lld: %s)", (long long)cp->file_id, fmt_visible(shown, sizeof shown, cp->path));
            printf("\n");
        }
    }
    if (d->parts_ok & DASH_METERS) {
        const struct dash_meters *m = &d->meters;
        printf("meters      %lld (elec %lld, gas %lld); reporting today %lld; silent for more than %d days %lld\n",
               (long long)m->total, (long long)m->elec, (long long)m->gas, (long long)m->reporting_today,
               d->silent_days, (long long)m->silent);
    }
    if (d->parts_ok & DASH_HEALTH) {
        const struct dash_health *h = &d->health;
        printf("database    connections %d/%d", h->connections, h->max_connections);
        if (h->cache_hit_pct >= 0)
            printf(", cache hit %.1f%%", h->cache_hit_pct);
        printf(", longest transaction %s", h->longest_xact_s < 0 ? "none" : fmt_duration(a, sizeof a, h->longest_xact_s));
        printf(", waiting on locks %d", h->waiting_on_locks);
        if (h->replicas > 0)
            printf(", replicas %d (lag %.0f s)", h->replicas, h->replica_lag_s < 0 ? 0 : h->replica_lag_s);
        else
            printf(", replicas none");
        printf(", size %s, PostgreSQL %s\n", fmt_bytes(b, sizeof b, h->db_bytes), h->server_version);
    }
    unsigned unknown = d->parts_asked & ~d->parts_ok;
    if (unknown) {
        printf("unknown    ");
        for (unsigned bit = 1; bit & DASH_ALL; bit <<= 1)
            if (unknown & bit)
                printf(" %s", dash_part_name(bit));
        printf(" (%s)\n", d->err.message);
    }
    if (d->parts_ok & DASH_LOADERS) {
        if (d->live_loaders == 0)
            printf("loaders     none live\n");
        for (size_t i = 0; i < d->nloaders; i++) {
            const struct dash_loader *l = &d->loaders[i];
            printf("loader      %s:%d %s, %d file(s) in hand, heartbeat %.0f s ago%s\n", l->host, l->pid,
                   l->kind, l->files_in_hand, l->heartbeat_age_s, l->live ? "" : ", GONE");
        }
    }
    if (d->parts_ok & DASH_PROBLEMS) {
        for (size_t i = 0; i < d->nproblems && i < 10; i++) {
            const struct dash_problem *p = &d->problems[i];
            char shown[4 * 4096 + 1], msg[4 * 1024 + 1];
            printf("%-11s #%lld %s %s ago: %s%s%s%s\n", p->status, (long long)p->file_id,
                   fmt_visible(shown, sizeof shown, p->path), fmt_duration(a, sizeof a, p->age_s),
                   p->code, p->code[0] ? " " : "", fmt_visible(msg, sizeof msg, p->message),
                   p->acked ? " (acked)" : "");
        }
    }
    printf("checks\n");
    for (int i = 0; i < nchecks; i++) {
        printf("  %-8s %-22s %s", upper[checks[i].level], checks[i].name, checks[i].message);
        for (int k = 0; k < checks[i].nfile_ids; k++)
            printf("%s%lld", k ? "," : "; files ", (long long)checks[i].file_ids[k]);
        printf("\n");
    }
}

static void json_files(struct jsonw *w, const struct dash_files *f)
{
    jsonw_key(w, "files");
    jsonw_object_begin(w);
    jsonw_member_int(w, "queued", f->queued);
    jsonw_member_int(w, "loading", f->loading);
    jsonw_member_int(w, "loaded_24h", f->loaded);
    jsonw_member_int(w, "rejected_24h", f->rejected);
    jsonw_member_int(w, "failed_24h", f->failed);
    jsonw_key(w, "oldest_queued_s");
    if (f->oldest_queued_s < 0) jsonw_null(w); else jsonw_int(w, f->oldest_queued_s);
    jsonw_member_int(w, "expired_leases", f->expired_leases);
    jsonw_member_int(w, "readings_24h", f->readings_24h);
    jsonw_member_int(w, "rows_rejected_24h", f->rows_rejected_24h);
    jsonw_object_end(w);
}

/* The files being loaded, with progress and ETA; null where not known yet. */
static void json_loading(struct jsonw *w, const struct dashboard *d)
{
    jsonw_key(w, "loading");
    jsonw_array_begin(w);
    for (size_t i = 0; i < d->nloading; i++) {
        const struct dash_loading *l = &d->loading[i];
        double frac = dash_loading_fraction(l);
        int64_t eta = dash_loading_eta_s(l);
        jsonw_object_begin(w);
        jsonw_member_int(w, "file_id", l->file_id);
        jsonw_member_int(w, "job_id", l->job_id);
        jsonw_member_string(w, "path", l->path);
        jsonw_member_string(w, "format", l->format);
        jsonw_member_int(w, "bytes", l->bytes);
        jsonw_member_int(w, "progress_rows", l->progress_rows);
        jsonw_key(w, "rows_estimate");
        if (l->rows_estimate < 0) jsonw_null(w); else jsonw_int(w, l->rows_estimate);
        jsonw_key(w, "percent");
        if (frac < 0) jsonw_null(w); else jsonw_double(w, frac * 100, 1);
        jsonw_key(w, "rows_per_s"); jsonw_double(w, dash_loading_rate(l), 1);
        jsonw_key(w, "eta_s");
        if (eta < 0) jsonw_null(w); else jsonw_int(w, eta);
        jsonw_key(w, "lease_expired"); jsonw_bool(w, l->lease_expired);
        jsonw_member_string(w, "claimed_by", l->claimed_by);
        jsonw_object_end(w);
    }
    jsonw_array_end(w);
}

/* COPYs in flight; file_id and path are null for a COPY matched to no loading file. */
static void json_copies(struct jsonw *w, const struct dashboard *d)
{
    jsonw_key(w, "copy");
    jsonw_array_begin(w);
    for (size_t i = 0; i < d->ncopies; i++) {
        const struct dash_copy *c = &d->copies[i];
        jsonw_object_begin(w);
        jsonw_member_int(w, "pid", c->pid);
        jsonw_member_string(w, "relation", c->relation);
        jsonw_member_string(w, "command", c->command);
        jsonw_member_string(w, "type", c->type);
        jsonw_member_string(w, "application_name", c->application);
        jsonw_member_int(w, "bytes_processed", c->bytes_processed);
        jsonw_member_int(w, "bytes_total", c->bytes_total);
        jsonw_member_int(w, "tuples_processed", c->tuples_processed);
        jsonw_member_int(w, "running_s", c->running_s);
        jsonw_key(w, "file_id");
        if (c->file_id > 0)
            jsonw_int(w, c->file_id);
        else
            jsonw_null(w);
        jsonw_member_string(w, "path", c->file_id > 0 ? c->path : NULL);
        jsonw_object_end(w);
    }
    jsonw_array_end(w);
}

static void json_meters(struct jsonw *w, const struct dashboard *d)
{
    const struct dash_meters *m = &d->meters;
    jsonw_key(w, "meters");
    jsonw_object_begin(w);
    jsonw_member_int(w, "total", m->total);
    jsonw_member_int(w, "elec", m->elec);
    jsonw_member_int(w, "gas", m->gas);
    jsonw_member_int(w, "reporting_today", m->reporting_today);
    jsonw_member_int(w, "silent", m->silent);
    jsonw_member_int(w, "silent_days", d->silent_days);
    jsonw_object_end(w);
}

static void json_database(struct jsonw *w, const struct dash_health *h)
{
    jsonw_key(w, "database");
    jsonw_object_begin(w);
    jsonw_member_int(w, "connections", h->connections);
    jsonw_member_int(w, "max_connections", h->max_connections);
    jsonw_member_int(w, "waiting_on_locks", h->waiting_on_locks);
    jsonw_key(w, "cache_hit_pct");
    if (h->cache_hit_pct < 0) jsonw_null(w); else jsonw_double(w, h->cache_hit_pct, 2);
    jsonw_key(w, "longest_transaction_s");
    if (h->longest_xact_s < 0) jsonw_null(w); else jsonw_int(w, h->longest_xact_s);
    jsonw_member_int(w, "replicas", h->replicas);
    jsonw_key(w, "replica_lag_s");
    if (h->replica_lag_s < 0) jsonw_null(w); else jsonw_double(w, h->replica_lag_s, 1);
    jsonw_member_int(w, "size_bytes", h->db_bytes);
    jsonw_member_string(w, "server_version", h->server_version);
    jsonw_object_end(w);
}

static void json_loaders(struct jsonw *w, const struct dashboard *d)
{
    jsonw_key(w, "loaders");
    jsonw_array_begin(w);
    for (size_t i = 0; i < d->nloaders; i++) {
        const struct dash_loader *l = &d->loaders[i];
        jsonw_object_begin(w);
        jsonw_member_int(w, "loader_id", l->loader_id);
        jsonw_member_string(w, "host", l->host);
        jsonw_member_int(w, "pid", l->pid);
        jsonw_member_string(w, "kind", l->kind);
        jsonw_member_int(w, "files_in_hand", l->files_in_hand);
        jsonw_key(w, "heartbeat_age_s"); jsonw_double(w, l->heartbeat_age_s, 1);
        jsonw_key(w, "live"); jsonw_bool(w, l->live);
        jsonw_object_end(w);
    }
    jsonw_array_end(w);
}

static void json_problems(struct jsonw *w, const struct dashboard *d)
{
    jsonw_key(w, "problems");
    jsonw_array_begin(w);
    for (size_t i = 0; i < d->nproblems; i++) {
        const struct dash_problem *p = &d->problems[i];
        jsonw_object_begin(w);
        jsonw_member_int(w, "file_id", p->file_id);
        jsonw_member_string(w, "status", p->status);
        jsonw_member_string(w, "path", p->path);
        jsonw_member_int(w, "age_s", p->age_s);
        jsonw_member_string(w, "code", p->code);
        jsonw_member_string(w, "message", p->message);
        jsonw_key(w, "acked"); jsonw_bool(w, p->acked);
        jsonw_object_end(w);
    }
    jsonw_array_end(w);
}

static void json_checks(struct jsonw *w, const struct health_check *checks, int nchecks)
{
    jsonw_key(w, "checks");
    jsonw_array_begin(w);
    for (int i = 0; i < nchecks; i++) {
        jsonw_object_begin(w);
        jsonw_member_string(w, "name", checks[i].name);
        jsonw_member_string(w, "level", health_level_name(checks[i].level));
        jsonw_key(w, "value"); jsonw_double(w, checks[i].value, 1);
        jsonw_member_string(w, "message", checks[i].message);
        jsonw_key(w, "file_ids");
        jsonw_array_begin(w);
        for (int k = 0; k < checks[i].nfile_ids; k++)
            jsonw_int(w, checks[i].file_ids[k]);
        jsonw_array_end(w);
        jsonw_object_end(w);
    }
    jsonw_array_end(w);
}

/* One JSON object; a section is present only when its part of the dashboard was read. */
static void print_json(const struct dashboard *d, const struct health_check *checks, int nchecks,
                       enum health_level overall)
{
    struct jsonw w;
    jsonw_init(&w, stdout, 2);
    jsonw_object_begin(&w);
    jsonw_key(&w, "status");
    jsonw_string(&w, health_level_name(overall));
    jsonw_key(&w, "exit_code");
    jsonw_int(&w, overall);
    if (d->parts_ok & DASH_FILES)
        json_files(&w, &d->files);
    if (d->parts_ok & DASH_THROUGHPUT) {
        jsonw_key(&w, "throughput_readings_per_s");
        jsonw_double(&w, d->readings_per_s, 1);
        jsonw_key(&w, "bytes_done");
        jsonw_double(&w, d->bytes_done, 0);
        jsonw_key(&w, "bytes_total");
        jsonw_double(&w, d->bytes_total, 0);
        jsonw_key(&w, "eta_s");
        if (d->bytes_per_s > 0 && d->bytes_total > 0)
            jsonw_int(&w, (int64_t)((d->bytes_total - d->bytes_done) / d->bytes_per_s + 0.5));
        else
            jsonw_null(&w);
    }
    if (d->parts_ok & DASH_LOADING)
        json_loading(&w, d);
    if (d->parts_ok & DASH_COPY)
        json_copies(&w, d);
    if (d->parts_ok & DASH_METERS)
        json_meters(&w, d);
    if (d->parts_ok & DASH_HEALTH)
        json_database(&w, &d->health);
    if (d->parts_ok & DASH_LOADERS)
        json_loaders(&w, d);
    if (d->parts_ok & DASH_PROBLEMS)
        json_problems(&w, d);
    if (d->err.code[0]) {
        jsonw_key(&w, "error");
        jsonw_string(&w, d->err.message);
    }
    /* The parts that failed or did not answer within the budget. */
    jsonw_key(&w, "unknown");
    jsonw_array_begin(&w);
    for (unsigned bit = 1; bit & DASH_ALL; bit <<= 1)
        if (d->parts_asked & ~d->parts_ok & bit)
            jsonw_string(&w, dash_part_name(bit));
    jsonw_array_end(&w);
    json_checks(&w, checks, nchecks);
    jsonw_object_end(&w);
}

struct status_args {
    const char *conninfo;
    bool json;
    struct health_thresholds t;
    struct dash_params p;
    struct db_limits limits;
};

static void take_option(struct status_args *a, int k, const struct cli_parser *p)
{
    switch (k) {
    case O_DB: a->conninfo = p->arg; break;
    case O_JSON: a->json = true; break;
    case O_SILENT_DAYS: a->p.silent_days = p->ival; break;
    case O_QUEUE_WARN: a->t.queue_warn_min = p->ival; break;
    case O_QUEUE_CRIT: a->t.queue_crit_min = p->ival; break;
    case O_CONN_WARN: a->t.conn_warn_pct = p->ival; break;
    case O_CONN_CRIT: a->t.conn_crit_pct = p->ival; break;
    case O_LAG_WARN: a->t.lag_warn_s = p->ival; break;
    case O_LAG_CRIT: a->t.lag_crit_s = p->ival; break;
    case O_XACT_WARN: a->t.xact_warn_s = p->ival; break;
    case O_STATEMENT_TIMEOUT: a->limits.statement_timeout_ms = p->ival; break;
    case O_BUDGET: a->p.budget_ms = p->ival; break;
    }
}

static int status_run(int argc, char **argv)
{
    struct status_args a = {
        .p = { .silent_days = 3, .max_loading = 50, .budget_ms = 1000 },
        .limits = { .statement_timeout_ms = 10000, .lock_timeout_ms = 5000 },
    };
    health_defaults(&a.t);
    struct cli_parser cp;
    int k;
    cli_parser_init(&cp, &status_spec, argc, argv);
    while ((k = cli_next(&cp)) >= 0)
        take_option(&a, k, &cp);
    if (k == CLI_BAD)
        return EXIT_FAIL;
    if (k != CLI_DONE) {
        status_usage(k == CLI_HELP ? stdout : stderr);
        return k == CLI_HELP ? EXIT_OK : EXIT_FAIL;
    }
    if (optind != argc) {
        cli_error("status", "unexpected argument '%s'", argv[optind]);
        status_usage(stderr);
        return EXIT_FAIL;
    }
    struct mo_err err;
    mo_err_clear(&err);
    struct dashboard *d = dashboard_fetch_once(a.conninfo, &a.limits, &a.p, DASH_ALL, &err);
    if (!d && strcmp(err.code, "out_of_memory") == 0) {
        cli_error("status", "out of memory");
        return EXIT_FAIL;
    }
    if (!d) {
        cli_error("status", "%s", err.message);
        if (a.json) {
            struct jsonw w;
            jsonw_init(&w, stdout, 2);
            jsonw_object_begin(&w);
            jsonw_member_string(&w, "status", "critical");
            jsonw_member_int(&w, "exit_code", EXIT_FAIL);
            jsonw_member_string(&w, "error", err.message);
            jsonw_key(&w, "checks"); jsonw_array_begin(&w); jsonw_array_end(&w);
            jsonw_object_end(&w);
        }
        return EXIT_FAIL;
    }
    struct health_check checks[HEALTH_MAX_CHECKS];
    enum health_level overall;
    int n = health_evaluate(d, &a.t, checks, &overall);
    if (a.json)
        print_json(d, checks, n, overall);
    else
        print_text(d, checks, n, overall);
    dashboard_free(d);
    return (int)overall;
}

const struct mo_cmd cmd_status_entry = {
    "status", "the dashboard's facts for scripts; exit 0 healthy, 1 warning, 2 critical", status_run,
    &status_spec,
};
