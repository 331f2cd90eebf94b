/* meterops status [--db C] [--json | --nagios | --prometheus] ...: the dashboard's facts
 * and the server's checks for scripts and monitoring, judged by backend/health.c against
 * thresholds from status.conf (backend/health_conf.h) and the command line. Exit 0
 * healthy, 1 warning, 2 critical (or could not run); --nagios also 3 unknown. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/fetch_dashboard.h"
#include "backend/health.h"
#include "backend/health_conf.h"
#include "backend/jsonw.h"
#include "backend/textfmt.h"
#include "cli/cmd.h"
#include "cli/status_monitor.h"

enum {
    O_DB, O_JSON, O_SILENT_DAYS, O_QUEUE_WARN, O_QUEUE_CRIT, O_CONN_WARN, O_CONN_CRIT, O_LAG_WARN,
    O_LAG_CRIT, O_XACT_WARN, O_STATEMENT_TIMEOUT, O_BUDGET, O_CONFIG, O_NAGIOS, O_PROMETHEUS, O_END
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
    [O_CONFIG] = { "config", 0, CLI_STRING, "FILE",
                   "thresholds from FILE (default $XDG_CONFIG_HOME/meterops/status.conf,\n"
                   "else /etc/meterops/status.conf, when it exists); options win" },
    [O_NAGIOS] = { "nagios", 0, CLI_FLAG, NULL,
                   "one Nagios plugin status line with performance data; exit 0 OK,\n"
                   "1 WARNING, 2 CRITICAL, 3 UNKNOWN" },
    [O_PROMETHEUS] = { "prometheus", 0, CLI_FLAG, NULL,
                       "the Prometheus text format (node_exporter's textfile collector);\n"
                       "exit 0 once written" },
    [O_END] = { 0 },
};

static const struct cli_spec status_spec = {
    "status",
    "Usage: meterops status [--db CONNINFO] [--json | --nagios | --prometheus] [OPTIONS]\n"
    "The console dashboard's facts for scripts and monitoring: files queued, loading,\n"
    "loaded, rejected and failed (last 24 h), throughput, loading files with progress and\n"
    "ETA, COPYs in flight, meter counts and database health; and the server's checks\n"
    "(sessions, wraparound, standbys, slots, archiver, checkpoints), each with a warning\n"
    "and a critical threshold (status.conf: CHECK.warning = VALUE, see meterops(1)).\n\n",
    status_opts,
    "Checks with thresholds (warning, critical; a value above one raises the level):\n"
    "%s\n"
    "Exit status (the worst check decides):\n"
    "  0  healthy\n"
    "  1  warning: a file rejected in the last 24 h, a check above its warning\n"
    "     threshold, or part of the facts could not be read or did not answer within\n"
    "     --budget (named as unknown)\n"
    "  2  critical: a file failed in the last 24 h, a loading file whose lease expired\n"
    "     (its loader stopped), files queued and no live loader, a check above its\n"
    "     critical threshold; no connection to the database; bad usage or status.conf\n"
    "  3  --nagios only: UNKNOWN (part of the facts unknown, bad usage or status.conf)\n",
};

/* The defaults in --help are health.c's own. */
static void status_usage(FILE *out)
{
    char list[HC_COUNT * 120] = "";
    size_t len = 0;
    for (int i = 0; i < HC_COUNT && len < sizeof list; i++) {
        char w[32], c[32];
        health_threshold_text(w, sizeof w, health_defs[i].warning, health_defs[i].unit);
        health_threshold_text(c, sizeof c, health_defs[i].critical, health_defs[i].unit);
        len += (size_t)snprintf(list + len, sizeof list - len, "  %-25s %s, %s: %s\n", health_defs[i].name, w, c,
                                health_defs[i].what);
    }
    cli_usage(out, &status_spec, (int)health_defs[HC_QUEUE_AGE].warning, (int)health_defs[HC_QUEUE_AGE].critical,
              (int)health_defs[HC_CONNECTIONS].warning, (int)health_defs[HC_CONNECTIONS].critical,
              (int)health_defs[HC_REPL_LAG_S].warning, (int)health_defs[HC_REPL_LAG_S].critical,
              (int)health_defs[HC_XACT].warning, list);
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
    for (size_t i = 0; (d->parts_ok & DASH_REPLICATION) && i < d->nstandbys; i++) {
        const struct dash_standby *s = &d->standbys[i];
        printf("standby     %s %s (%s), replay lag %s", s->name, s->state, s->sync_state,
               s->lag_bytes < 0 ? "unknown" : fmt_bytes(a, sizeof a, (int64_t)s->lag_bytes));
        printf(", %.1f s\n", s->lag_s);
    }
    for (size_t i = 0; (d->parts_ok & DASH_SLOTS) && i < d->nslots; i++) {
        const struct dash_slot *s = &d->slots[i];
        printf("slot        %s %s, %s, retains %s of WAL\n", s->name, s->type, s->active ? "active" : "INACTIVE",
               fmt_bytes(a, sizeof a, s->retained_bytes < 0 ? 0 : (int64_t)s->retained_bytes));
    }
    for (size_t i = 0; (d->parts_ok & DASH_NODES) && i < d->nnodes; i++) {
        const struct dash_node *o = &d->nodes[i];
        printf("node        %s:%d %s%s%s, %lld shard(s)", o->name, o->port, o->role, o->active ? "" : " (inactive)",
               o->reachable ? "" : ", UNREACHABLE", (long long)o->shards);
        if (o->shard_bytes >= 0)
            printf(", %s", fmt_bytes(a, sizeof a, o->shard_bytes));
        if (o->connections >= 0)
            printf(", %lld connection(s)", (long long)o->connections);
        printf("\n");
    }
    if ((d->parts_ok & DASH_NODES) && d->rebalance.state[0])
        printf("rebalance   %s, %d of %d move(s) done\n", d->rebalance.state, d->rebalance.moves_done,
               d->rebalance.moves_total);
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
        char msg[4 * sizeof checks[i].message + 1]; /* a database's name may hold anything */
        printf("  %-8s %-24s %s", upper[checks[i].level], checks[i].name,
               fmt_visible(msg, sizeof msg, checks[i].message));
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

static void json_threshold(struct jsonw *w, const char *key, const struct health_check *c, const double *v)
{
    jsonw_key(w, key);
    if (c->id < 0 || v[c->id] == HEALTH_OFF)
        jsonw_null(w);
    else
        jsonw_double(w, v[c->id], 3);
}

/* The standbys and slots the checks judged. */
static void json_replication(struct jsonw *w, const struct dashboard *d)
{
    if (d->parts_ok & DASH_REPLICATION) {
        jsonw_key(w, "standbys");
        jsonw_array_begin(w);
        for (size_t i = 0; i < d->nstandbys; i++) {
            const struct dash_standby *s = &d->standbys[i];
            jsonw_object_begin(w);
            jsonw_member_string(w, "name", s->name);
            jsonw_member_string(w, "state", s->state);
            jsonw_member_string(w, "sync_state", s->sync_state);
            jsonw_key(w, "lag_bytes");
            if (s->lag_bytes < 0) jsonw_null(w); else jsonw_double(w, s->lag_bytes, 0);
            jsonw_key(w, "lag_s"); jsonw_double(w, s->lag_s, 3);
            jsonw_object_end(w);
        }
        jsonw_array_end(w);
    }
    if (d->parts_ok & DASH_SLOTS) {
        jsonw_key(w, "slots");
        jsonw_array_begin(w);
        for (size_t i = 0; i < d->nslots; i++) {
            const struct dash_slot *s = &d->slots[i];
            jsonw_object_begin(w);
            jsonw_member_string(w, "name", s->name);
            jsonw_member_string(w, "type", s->type);
            jsonw_key(w, "active"); jsonw_bool(w, s->active);
            jsonw_member_string(w, "wal_status", s->wal_status);
            jsonw_key(w, "retained_bytes");
            if (s->retained_bytes < 0) jsonw_null(w); else jsonw_double(w, s->retained_bytes, 0);
            jsonw_object_end(w);
        }
        jsonw_array_end(w);
    }
    if (d->parts_ok & DASH_NODES) {
        jsonw_key(w, "nodes");
        jsonw_array_begin(w);
        for (size_t i = 0; i < d->nnodes; i++) {
            const struct dash_node *o = &d->nodes[i];
            jsonw_object_begin(w);
            jsonw_member_string(w, "name", o->name);
            jsonw_key(w, "port"); jsonw_double(w, o->port, 0);
            jsonw_member_string(w, "role", o->role);
            jsonw_key(w, "active"); jsonw_bool(w, o->active);
            jsonw_key(w, "reachable"); jsonw_bool(w, o->reachable);
            jsonw_key(w, "shards"); jsonw_double(w, (double)o->shards, 0);
            jsonw_key(w, "shard_bytes");
            if (o->shard_bytes < 0) jsonw_null(w); else jsonw_double(w, (double)o->shard_bytes, 0);
            jsonw_key(w, "connections");
            if (o->connections < 0) jsonw_null(w); else jsonw_double(w, (double)o->connections, 0);
            jsonw_object_end(w);
        }
        jsonw_array_end(w);
        jsonw_key(w, "rebalance");
        if (!d->rebalance.state[0]) {
            jsonw_null(w);
        } else {
            jsonw_object_begin(w);
            jsonw_member_string(w, "state", d->rebalance.state);
            jsonw_key(w, "moves_done"); jsonw_double(w, d->rebalance.moves_done, 0);
            jsonw_key(w, "moves_total"); jsonw_double(w, d->rebalance.moves_total, 0);
            jsonw_object_end(w);
        }
    }
}

static void json_checks(struct jsonw *w, const struct health_check *checks, int nchecks,
                        const struct health_thresholds *t)
{
    jsonw_key(w, "checks");
    jsonw_array_begin(w);
    for (int i = 0; i < nchecks; i++) {
        jsonw_object_begin(w);
        jsonw_member_string(w, "name", checks[i].name);
        jsonw_member_string(w, "subject", checks[i].subject);
        jsonw_member_string(w, "level", health_level_name(checks[i].level));
        jsonw_key(w, "value"); jsonw_double(w, checks[i].value, 3);
        jsonw_member_string(w, "unit", checks[i].id >= 0 ? health_unit_name(health_defs[checks[i].id].unit) : "");
        json_threshold(w, "warning", &checks[i], t->warning);
        json_threshold(w, "critical", &checks[i], t->critical);
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
                       const struct health_thresholds *t, enum health_level overall)
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
    json_replication(&w, d);
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
    json_checks(&w, checks, nchecks, t);
    jsonw_object_end(&w);
}

enum status_mode { MODE_TEXT, MODE_JSON, MODE_NAGIOS, MODE_PROMETHEUS };

struct status_args {
    const char *conninfo, *config;
    enum status_mode mode;
    int modes;                          /* how many of --json, --nagios, --prometheus */
    /* The thresholds the options set, laid over status.conf's. */
    struct health_thresholds over;
    unsigned char over_warning[HC_COUNT], over_critical[HC_COUNT];
    struct dash_params p;
    struct db_limits limits;
};

static void set_over(struct status_args *a, enum health_id id, bool warning, int v)
{
    (warning ? a->over.warning : a->over.critical)[id] = v;
    (warning ? a->over_warning : a->over_critical)[id] = 1;
}

static void take_option(struct status_args *a, int k, const struct cli_parser *p)
{
    switch (k) {
    case O_DB: a->conninfo = p->arg; break;
    case O_JSON: a->mode = MODE_JSON; a->modes++; break;
    case O_NAGIOS: a->mode = MODE_NAGIOS; a->modes++; break;
    case O_PROMETHEUS: a->mode = MODE_PROMETHEUS; a->modes++; break;
    case O_CONFIG: a->config = p->arg; break;
    case O_SILENT_DAYS: a->p.silent_days = p->ival; break;
    case O_QUEUE_WARN: set_over(a, HC_QUEUE_AGE, true, p->ival); break;
    case O_QUEUE_CRIT: set_over(a, HC_QUEUE_AGE, false, p->ival); break;
    case O_CONN_WARN: set_over(a, HC_CONNECTIONS, true, p->ival); break;
    case O_CONN_CRIT: set_over(a, HC_CONNECTIONS, false, p->ival); break;
    case O_LAG_WARN: set_over(a, HC_REPL_LAG_S, true, p->ival); break;
    case O_LAG_CRIT: set_over(a, HC_REPL_LAG_S, false, p->ival); break;
    case O_XACT_WARN: set_over(a, HC_XACT, true, p->ival); break;
    case O_STATEMENT_TIMEOUT: a->limits.statement_timeout_ms = p->ival; break;
    case O_BUDGET: a->p.budget_ms = p->ival; break;
    }
}

/* A run that cannot start: exit 2, or for --nagios an UNKNOWN line and 3. */
static int cannot_start(bool nagios, const char *why)
{
    return nagios ? nagios_unknown(stdout, why) : EXIT_FAIL;
}

/* Defaults, then status.conf, then the options. 0, or -1 having said why. */
static int thresholds(const struct status_args *a, struct health_thresholds *t, char *why, size_t len)
{
    health_defaults(t);
    char buf[4096];
    const char *path = a->config ? a->config : health_conf_default(buf, sizeof buf);
    struct mo_err err;
    mo_err_clear(&err);
    if (path && health_conf_load(path, t, &err) < 0) {
        cli_error("status", "%s", err.message);
        snprintf(why, len, "%s", err.message);
        return -1;
    }
    for (int i = 0; i < HC_COUNT; i++) {
        if (a->over_warning[i])
            t->warning[i] = a->over.warning[i];
        if (a->over_critical[i])
            t->critical[i] = a->over.critical[i];
    }
    return 0;
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* No dashboard at all: say so in the mode's own way. */
static int no_dashboard(const struct status_args *a, const struct mo_err *err, double started)
{
    cli_error("status", "%s", err->message);
    if (a->mode == MODE_NAGIOS)
        return nagios_print(stdout, NULL, NULL, 0, NULL, err->message);
    if (a->mode == MODE_PROMETHEUS) {
        prometheus_print(stdout, NULL, NULL, 0, NULL, HEALTH_CRITICAL, mono_s() - started);
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
    }
    if (a->mode == MODE_JSON) {
        struct jsonw w;
        jsonw_init(&w, stdout, 2);
        jsonw_object_begin(&w);
        jsonw_member_string(&w, "status", "critical");
        jsonw_member_int(&w, "exit_code", EXIT_FAIL);
        jsonw_member_string(&w, "error", err->message);
        jsonw_key(&w, "checks"); jsonw_array_begin(&w); jsonw_array_end(&w);
        jsonw_object_end(&w);
    }
    return EXIT_FAIL;
}

static int status_run(int argc, char **argv)
{
    double started = mono_s();
    struct status_args a = {
        .p = { .silent_days = 3, .max_loading = 50, .budget_ms = 1000 },
        .limits = { .statement_timeout_ms = 10000, .lock_timeout_ms = 5000 },
    };
    /* Known before parsing, so that a usage error is UNKNOWN (3) for a Nagios plugin. */
    bool nagios = false;
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        nagios |= strcmp(argv[i], "--nagios") == 0;
    struct cli_parser cp;
    int k;
    cli_parser_init(&cp, &status_spec, argc, argv);
    while ((k = cli_next(&cp)) >= 0)
        take_option(&a, k, &cp);
    if (k == CLI_BAD)
        return cannot_start(nagios, "bad usage (see meterops status --help)");
    if (k != CLI_DONE) {
        status_usage(k == CLI_HELP ? stdout : stderr);
        return k == CLI_HELP ? EXIT_OK : cannot_start(nagios, "bad usage (see meterops status --help)");
    }
    if (optind != argc) {
        cli_error("status", "unexpected argument '%s'", argv[optind]);
        status_usage(stderr);
        return cannot_start(nagios, "bad usage (see meterops status --help)");
    }
    if (a.modes > 1) {
        cli_error("status", "--json, --nagios and --prometheus: one at most");
        return cannot_start(nagios, "--json, --nagios and --prometheus: one at most");
    }
    struct health_thresholds t;
    char why[600];
    if (thresholds(&a, &t, why, sizeof why) < 0)
        return cannot_start(nagios, why);
    struct mo_err err;
    mo_err_clear(&err);
    struct dashboard *d = dashboard_fetch_once(a.conninfo, &a.limits, &a.p, DASH_ALL, &err);
    if (!d && strcmp(err.code, "out_of_memory") == 0) {
        cli_error("status", "out of memory");
        return cannot_start(nagios, "out of memory");
    }
    if (!d)
        return no_dashboard(&a, &err, started);
    struct health_check checks[HEALTH_MAX_CHECKS];
    enum health_level overall;
    int n = health_evaluate(d, &t, checks, &overall);
    int rc = (int)overall;
    switch (a.mode) {
    case MODE_JSON: print_json(d, checks, n, &t, overall); break;
    case MODE_TEXT: print_text(d, checks, n, overall); break;
    case MODE_NAGIOS: rc = nagios_print(stdout, d, checks, n, &t, NULL); break;
    case MODE_PROMETHEUS:
        prometheus_print(stdout, d, checks, n, &t, overall, mono_s() - started);
        rc = EXIT_OK;
        break;
    }
    dashboard_free(d);
    if (fflush(stdout) != 0)
        return a.mode == MODE_NAGIOS ? NAGIOS_UNKNOWN : EXIT_FAIL;
    return rc;
}

const struct mo_cmd cmd_status_entry = {
    "status", "the dashboard's facts for scripts; exit 0 healthy, 1 warning, 2 critical", status_run,
    &status_spec,
};
