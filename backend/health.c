/* health.c - see health.h. */
#include "backend/health.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define GIB (1024.0 * 1024 * 1024)
#define MIB (1024.0 * 1024)

const struct health_def health_defs[HC_COUNT] = {
    [HC_QUEUE_AGE] = { "queue_age_minutes", HU_MINUTES, DASH_FILES, 30, 120,
                       "the oldest queued file's wait" },
    [HC_CONNECTIONS] = { "connections_pct", HU_PERCENT, DASH_HEALTH, 75, 90,
                         "client connections, % of max_connections" },
    [HC_XACT] = { "longest_transaction_s", HU_SECONDS, DASH_HEALTH, 3600, HEALTH_OFF,
                  "the longest open transaction" },
    [HC_IDLE_XACT] = { "idle_in_transaction_s", HU_SECONDS, DASH_ACTIVITY, 300, 3600,
                       "the longest session idle in a transaction" },
    [HC_BLOCKED] = { "blocked_sessions", HU_COUNT, DASH_ACTIVITY, 5, 20,
                     "sessions waiting on a lock" },
    [HC_LOCK_WAIT] = { "lock_wait_s", HU_SECONDS, DASH_ACTIVITY, 60, 300,
                       "the longest wait on a lock" },
    [HC_XID] = { "xid_wraparound_pct", HU_PERCENT, DASH_XID, 50, 75,
                 "the oldest datfrozenxid's age, % of 2^31" },
    [HC_REPL_LAG_S] = { "replication_lag_s", HU_SECONDS, DASH_REPLICATION, 60, 300,
                        "a standby's replay lag in time" },
    [HC_REPL_LAG_BYTES] = { "replication_lag_bytes", HU_BYTES, DASH_REPLICATION, 256 * MIB, GIB,
                            "a standby's replay lag in WAL bytes" },
    [HC_SLOT_RETAINED] = { "slot_retained_bytes", HU_BYTES, DASH_SLOTS, 4 * GIB, 16 * GIB,
                           "the WAL a replication slot keeps" },
    [HC_SLOTS_INACTIVE] = { "inactive_slots", HU_COUNT, DASH_SLOTS, 0, HEALTH_OFF,
                            "replication slots nobody streams from" },
    [HC_ARCHIVE_FAILING] = { "archive_failing_s", HU_SECONDS, DASH_SERVER, 0, 3600,
                             "how long WAL archiving has been failing" },
    [HC_ARCHIVE_READY] = { "archive_ready_files", HU_COUNT, DASH_SERVER, 16, 128,
                           "WAL segments waiting to be archived" },
    [HC_NODES_DOWN] = { "unreachable_nodes", HU_COUNT, DASH_NODES, HEALTH_OFF, 0,
                        "Citus nodes the coordinator cannot connect to" },
    [HC_CHECKPOINTS_REQ] = { "checkpoints_req_per_hour", HU_PER_HOUR, DASH_SERVER, 12, 60,
                             "requested (not timed) checkpoints an hour" },
};

void health_defaults(struct health_thresholds *t)
{
    for (int i = 0; i < HC_COUNT; i++) {
        t->warning[i] = health_defs[i].warning;
        t->critical[i] = health_defs[i].critical;
    }
}

const char *health_level_name(enum health_level l)
{
    return l == HEALTH_CRITICAL ? "critical" : l == HEALTH_WARNING ? "warning" : "ok";
}

const char *health_unit_name(enum health_unit u)
{
    static const char *const names[] = { "", "s", "min", "bytes", "%", "/h" };
    return names[u];
}

void health_threshold_text(char *buf, size_t len, double v, enum health_unit u)
{
    static const char *const sizes[] = { "B", "kB", "MB", "GB", "TB" };
    int k = 0;
    if (v == HEALTH_OFF) {
        snprintf(buf, len, "off");
        return;
    }
    while (u == HU_BYTES && k < 4 && v >= 1024 && v / 1024 == (double)(long long)(v / 1024))
        v /= 1024, k++;
    snprintf(buf, len, "%.15g%s", v, u == HU_BYTES ? sizes[k] : health_unit_name(u));
}

static struct health_check *add(struct health_check *out, int *n, const char *name,
                                enum health_level level, double value)
{
    struct health_check *c = &out[(*n)++];
    c->name = name;
    c->subject = NULL;
    c->level = level;
    c->value = value;
    c->id = -1;
    c->part = 0;
    c->message[0] = '\0';
    c->nfile_ids = 0;
    return c;
}

/* A thresholded check: its level from t, and the thresholds at the end of its message. */
static struct health_check *judge(struct health_check *out, int *n, const struct health_thresholds *t,
                                  enum health_id id, double value, const char *subject)
{
    double w = t->warning[id], k = t->critical[id];
    enum health_level level = k != HEALTH_OFF && value > k   ? HEALTH_CRITICAL
                              : w != HEALTH_OFF && value > w ? HEALTH_WARNING
                                                             : HEALTH_OK;
    struct health_check *c = add(out, n, health_defs[id].name, level, value);
    c->subject = subject;
    c->id = (int)id;
    c->part = health_defs[id].part;
    return c;
}

/* Appends " (warning above W, critical above C)" in the check's unit, leaving out a
 * threshold that is off. */
static void limits_text(struct health_check *c, const struct health_thresholds *t)
{
    size_t len = strlen(c->message);
    enum health_unit u = health_defs[c->id].unit;
    char w[32], k[32];
    health_threshold_text(w, sizeof w, t->warning[c->id], u);
    health_threshold_text(k, sizeof k, t->critical[c->id], u);
    if (len + 70 >= sizeof c->message)
        return;
    if (t->warning[c->id] == HEALTH_OFF && t->critical[c->id] == HEALTH_OFF)
        snprintf(c->message + len, sizeof c->message - len, " (no thresholds)");
    else if (t->critical[c->id] == HEALTH_OFF)
        snprintf(c->message + len, sizeof c->message - len, " (warning above %s)", w);
    else if (t->warning[c->id] == HEALTH_OFF)
        snprintf(c->message + len, sizeof c->message - len, " (critical above %s)", k);
    else
        snprintf(c->message + len, sizeof c->message - len, " (warning above %s, critical above %s)", w, k);
}

static void add_id(struct health_check *c, int64_t id)
{
    if (c->nfile_ids < HEALTH_MAX_IDS)
        c->file_ids[c->nfile_ids++] = id;
}

/* The unacknowledged files of the problems list with this status. */
static void problem_ids(struct health_check *c, const struct dashboard *d, const char *status)
{
    for (size_t i = 0; i < d->nproblems; i++)
        if (!d->problems[i].acked && strcmp(d->problems[i].status, status) == 0)
            add_id(c, d->problems[i].file_id);
}

/* Files waiting for a loader (queued, or abandoned when abandoned is set). */
static void waiting_ids(struct health_check *c, const struct dashboard *d, int abandoned_only)
{
    for (size_t i = 0; i < d->nwaiting; i++)
        if (!abandoned_only || d->waiting[i].abandoned)
            add_id(c, d->waiting[i].file_id);
}

/* The checks of the server parts (fetch_checks.h), after the load's. */
static int judge_server(const struct dashboard *d, const struct health_thresholds *t,
                        struct health_check *out, int n)
{
    struct health_check *c;
    if (d->parts_ok & DASH_ACTIVITY) {
        const struct dash_activity *a = &d->activity;
        c = judge(out, &n, t, HC_IDLE_XACT, a->idle_xact_s < 0 ? 0 : a->idle_xact_s, NULL);
        if (a->idle_xact_s < 0)
            snprintf(c->message, sizeof c->message, "no session idle in a transaction");
        else
            snprintf(c->message, sizeof c->message, "pid %d idle in a transaction for %.0f s",
                     a->idle_xact_pid, a->idle_xact_s);
        limits_text(c, t);
        c = judge(out, &n, t, HC_BLOCKED, (double)a->blocked, NULL);
        snprintf(c->message, sizeof c->message, "%lld session(s) waiting on a lock", (long long)a->blocked);
        limits_text(c, t);
        c = judge(out, &n, t, HC_LOCK_WAIT, a->longest_wait_s < 0 ? 0 : a->longest_wait_s, NULL);
        if (a->longest_wait_s < 0)
            snprintf(c->message, sizeof c->message, "no lock wait");
        else
            snprintf(c->message, sizeof c->message, "pid %d waits on a lock for %.0f s", a->longest_wait_pid,
                     a->longest_wait_s);
        limits_text(c, t);
    }
    if (d->parts_ok & DASH_XID) {
        const struct dash_xid *x = &d->xid;
        double pct = 100.0 * (double)x->age / 2147483648.0;
        c = judge(out, &n, t, HC_XID, pct, NULL);
        snprintf(c->message, sizeof c->message,
                 "database %.40s: transaction ID age %lld, %.3g%% of wraparound, %.0f%% of "
                 "autovacuum_freeze_max_age", x->datname ? x->datname : "", (long long)x->age, pct,
                 x->freeze_max_age > 0 ? 100.0 * (double)x->age / (double)x->freeze_max_age : 0);
        limits_text(c, t);
    }
    if (d->parts_ok & DASH_REPLICATION) {
        for (size_t i = 0; i < d->nstandbys; i++) {
            const struct dash_standby *s = &d->standbys[i];
            c = judge(out, &n, t, HC_REPL_LAG_S, s->lag_s, s->name);
            snprintf(c->message, sizeof c->message, "standby %.60s (%s, %s) replays %.1f s behind", s->name,
                     s->state, s->sync_state, s->lag_s);
            limits_text(c, t);
            c = judge(out, &n, t, HC_REPL_LAG_BYTES, s->lag_bytes < 0 ? 0 : s->lag_bytes, s->name);
            if (s->lag_bytes < 0)
                snprintf(c->message, sizeof c->message, "standby %.60s has replayed nothing yet", s->name);
            else
                snprintf(c->message, sizeof c->message, "standby %.60s replays %.0f bytes behind", s->name,
                         s->lag_bytes);
            limits_text(c, t);
        }
    }
    if (d->parts_ok & DASH_SLOTS) {
        for (size_t i = 0; i < d->nslots; i++) {
            const struct dash_slot *s = &d->slots[i];
            c = judge(out, &n, t, HC_SLOT_RETAINED, s->retained_bytes < 0 ? 0 : s->retained_bytes, s->name);
            snprintf(c->message, sizeof c->message, "%s slot %.60s (%s%s%s) retains %.0f bytes of WAL", s->type,
                     s->name, s->active ? "active" : "inactive", s->wal_status[0] ? ", " : "", s->wal_status,
                     s->retained_bytes < 0 ? 0 : s->retained_bytes);
            limits_text(c, t);
        }
        c = judge(out, &n, t, HC_SLOTS_INACTIVE, (double)d->slots_inactive, NULL);
        int len = snprintf(c->message, sizeof c->message, "%lld of %lld replication slot(s) inactive",
                           (long long)d->slots_inactive, (long long)d->slots_total);
        for (size_t i = 0, k = 0; i < d->nslots && len > 0 && (size_t)len < sizeof c->message - 60; i++)
            if (!d->slots[i].active)
                len += snprintf(c->message + len, sizeof c->message - (size_t)len, "%s%.40s", k++ ? ", " : ": ",
                                d->slots[i].name);
        limits_text(c, t);
    }
    if (d->parts_ok & DASH_SERVER) {
        const struct dash_server *s = &d->server;
        if (s->archiving) {
            c = judge(out, &n, t, HC_ARCHIVE_FAILING, s->failing_s, NULL);
            if (s->failing_s > 0)
                snprintf(c->message, sizeof c->message, "archiving fails for %.0f s (last %.30s; %lld failures)",
                         s->failing_s, s->last_failed_wal, (long long)s->failed_count);
            else
                snprintf(c->message, sizeof c->message, "archiving works (%lld failures since reset)",
                         (long long)s->failed_count);
            limits_text(c, t);
            c = judge(out, &n, t, HC_ARCHIVE_READY, (double)s->ready, NULL);
            snprintf(c->message, sizeof c->message, "%lld WAL segment(s) waiting to be archived",
                     (long long)s->ready);
            limits_text(c, t);
        }
        /* A rate over less than an hour of statistics is not judged: one CHECKPOINT, base
         * backup or DROP DATABASE would make it look like a storm. */
        bool judged = s->stats_hours >= 1;
        double rate = judged ? (double)s->checkpoints_req / s->stats_hours : 0;
        c = judge(out, &n, t, HC_CHECKPOINTS_REQ, rate, NULL);
        if (judged)
            snprintf(c->message, sizeof c->message, "%.1f requested checkpoints an hour (%lld requested, %lld timed in %.0f h)",
                     rate, (long long)s->checkpoints_req, (long long)s->checkpoints_timed, s->stats_hours);
        else
            snprintf(c->message, sizeof c->message,
                     "not judged: statistics cover %.0f min, less than an hour (%lld requested, %lld timed)",
                     s->stats_hours * 60, (long long)s->checkpoints_req, (long long)s->checkpoints_timed);
        limits_text(c, t);
    }
    /* Only on a Citus coordinator: plain PostgreSQL has no nodes to judge. */
    if ((d->parts_ok & DASH_NODES) && d->nnodes > 0) {
        c = judge(out, &n, t, HC_NODES_DOWN, (double)d->nodes_down, NULL);
        int len = snprintf(c->message, sizeof c->message, "%lld of %zu Citus node(s) unreachable",
                           (long long)d->nodes_down, d->nnodes);
        for (size_t i = 0, k = 0; i < d->nnodes && len > 0 && (size_t)len < sizeof c->message - 80; i++)
            if (!d->nodes[i].reachable)
                len += snprintf(c->message + len, sizeof c->message - (size_t)len, "%s%.60s:%d",
                                k++ ? ", " : ": ", d->nodes[i].name, d->nodes[i].port);
        limits_text(c, t);
    }
    return n;
}

int health_evaluate(const struct dashboard *d, const struct health_thresholds *t,
                    struct health_check *out, enum health_level *overall)
{
    int n = 0;
    struct health_check *c;
    if (d->parts_ok & DASH_FILES) {
        const struct dash_files *f = &d->files;
        /* Acknowledged files (ack_file) still count in value but no longer raise the
         * level, when the problems part could be read. */
        int acks = (d->parts_ok & DASH_PROBLEMS) != 0;
        int64_t failed = acks ? d->unacked_failed : f->failed;
        int64_t rejected = acks ? d->unacked_rejected : f->rejected;
        c = add(out, &n, "failed_files_24h", failed > 0 ? HEALTH_CRITICAL : HEALTH_OK, (double)f->failed);
        snprintf(c->message, sizeof c->message,
                 "%lld file(s) failed in the last 24 h, %lld not acknowledged (critical above 0)",
                 (long long)f->failed, (long long)failed);
        problem_ids(c, d, "failed");
        c = add(out, &n, "expired_leases", f->expired_leases > 0 ? HEALTH_CRITICAL : HEALTH_OK,
                (double)f->expired_leases);
        snprintf(c->message, sizeof c->message,
                 "%lld loading file(s) with an expired lease (critical above 0)", (long long)f->expired_leases);
        waiting_ids(c, d, 1);
        c = add(out, &n, "rejected_files_24h", rejected > 0 ? HEALTH_WARNING : HEALTH_OK, (double)f->rejected);
        snprintf(c->message, sizeof c->message,
                 "%lld file(s) rejected in the last 24 h, %lld not acknowledged (warning above 0)",
                 (long long)f->rejected, (long long)rejected);
        problem_ids(c, d, "rejected");
        if (d->parts_ok & DASH_LOADERS) {
            int64_t waiting = f->queued + f->expired_leases;
            c = add(out, &n, "queued_without_loader",
                    waiting > 0 && d->live_loaders == 0 ? HEALTH_CRITICAL : HEALTH_OK, (double)waiting);
            if (d->live_loaders == 0)
                snprintf(c->message, sizeof c->message,
                         "%lld file(s) queued or abandoned and no live loader to take them "
                         "(critical above 0)", (long long)waiting);
            else
                snprintf(c->message, sizeof c->message, "%lld file(s) waiting, %zu live loader(s)",
                         (long long)waiting, d->live_loaders);
            if (d->live_loaders == 0)
                waiting_ids(c, d, 0);
        }
        double age_min = f->oldest_queued_s < 0 ? 0 : (double)f->oldest_queued_s / 60.0;
        c = judge(out, &n, t, HC_QUEUE_AGE, age_min, NULL);
        if (f->oldest_queued_s < 0)
            snprintf(c->message, sizeof c->message, "nothing queued");
        else
            snprintf(c->message, sizeof c->message, "oldest queued file waits %.0f min", age_min);
        limits_text(c, t);
    }
    if (d->parts_ok & DASH_HEALTH) {
        const struct dash_health *h = &d->health;
        double pct = h->max_connections > 0 ? 100.0 * h->connections / h->max_connections : 0;
        c = judge(out, &n, t, HC_CONNECTIONS, pct, NULL);
        snprintf(c->message, sizeof c->message, "%d of %d connections in use, %.0f%%", h->connections,
                 h->max_connections, pct);
        limits_text(c, t);
        /* The standbys one by one when the replication part was read (status), else the
         * largest lag of the one-line summary (the console's dashboard). */
        bool each = (d->parts_ok & DASH_REPLICATION) && d->nstandbys > 0;
        if (h->replicas > 0 && !each) {
            double lag = h->replica_lag_s < 0 ? 0 : h->replica_lag_s;
            c = judge(out, &n, t, HC_REPL_LAG_S, lag, NULL);
            snprintf(c->message, sizeof c->message, "replica replay lag %.0f s", lag);
            limits_text(c, t);
        }
        double xact = h->longest_xact_s < 0 ? 0 : (double)h->longest_xact_s;
        c = judge(out, &n, t, HC_XACT, xact, NULL);
        snprintf(c->message, sizeof c->message, "longest open transaction %.0f s", xact);
        limits_text(c, t);
    }
    n = judge_server(d, t, out, n);
    unsigned missing = d->parts_asked & ~d->parts_ok;
    if (missing) {
        c = add(out, &n, "unreadable", HEALTH_WARNING, 0);
        snprintf(c->message, sizeof c->message, "could not read everything: %.170s", d->err.message);
    }
    enum health_level worst = HEALTH_OK;
    for (int i = 0; i < n; i++)
        if (out[i].level > worst)
            worst = out[i].level;
    *overall = worst;
    return n;
}
