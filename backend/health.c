/* health.c - see health.h. */
#include "backend/health.h"

#include <stdio.h>
#include <string.h>

void health_defaults(struct health_thresholds *t)
{
    t->queue_warn_min = 30;
    t->queue_crit_min = 120;
    t->conn_warn_pct = 75;
    t->conn_crit_pct = 90;
    t->lag_warn_s = 60;
    t->lag_crit_s = 300;
    t->xact_warn_s = 3600;
}

const char *health_level_name(enum health_level l)
{
    return l == HEALTH_CRITICAL ? "critical" : l == HEALTH_WARNING ? "warning" : "ok";
}

static struct health_check *add(struct health_check *out, int *n, const char *name,
                                enum health_level level, double value)
{
    struct health_check *c = &out[(*n)++];
    c->name = name;
    c->level = level;
    c->value = value;
    c->message[0] = '\0';
    c->nfile_ids = 0;
    return c;
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
        c = add(out, &n, "queue_age_minutes",
                age_min > t->queue_crit_min ? HEALTH_CRITICAL : age_min > t->queue_warn_min ? HEALTH_WARNING : HEALTH_OK,
                age_min);
        if (f->oldest_queued_s < 0)
            snprintf(c->message, sizeof c->message, "nothing queued");
        else
            snprintf(c->message, sizeof c->message,
                     "oldest queued file waits %.0f min (warning above %d, critical above %d)", age_min,
                     t->queue_warn_min, t->queue_crit_min);
    }
    if (d->parts_ok & DASH_HEALTH) {
        const struct dash_health *h = &d->health;
        double pct = h->max_connections > 0 ? 100.0 * h->connections / h->max_connections : 0;
        c = add(out, &n, "connections_pct",
                pct > t->conn_crit_pct ? HEALTH_CRITICAL : pct > t->conn_warn_pct ? HEALTH_WARNING : HEALTH_OK, pct);
        snprintf(c->message, sizeof c->message,
                 "%d of %d connections in use, %.0f%% (warning above %d%%, critical above %d%%)",
                 h->connections, h->max_connections, pct, t->conn_warn_pct, t->conn_crit_pct);
        if (h->replicas > 0) {
            double lag = h->replica_lag_s < 0 ? 0 : h->replica_lag_s;
            c = add(out, &n, "replication_lag_s",
                    lag > t->lag_crit_s ? HEALTH_CRITICAL : lag > t->lag_warn_s ? HEALTH_WARNING : HEALTH_OK, lag);
            snprintf(c->message, sizeof c->message,
                     "replica replay lag %.0f s (warning above %d, critical above %d)", lag, t->lag_warn_s,
                     t->lag_crit_s);
        }
        double xact = h->longest_xact_s < 0 ? 0 : (double)h->longest_xact_s;
        c = add(out, &n, "longest_transaction_s", xact > t->xact_warn_s ? HEALTH_WARNING : HEALTH_OK, xact);
        snprintf(c->message, sizeof c->message, "longest open transaction %.0f s (warning above %d)", xact,
                 t->xact_warn_s);
    }
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
