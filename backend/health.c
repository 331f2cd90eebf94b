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
    return c;
}

int health_evaluate(const struct dashboard *d, const struct health_thresholds *t,
                    struct health_check *out, enum health_level *overall)
{
    int n = 0;
    struct health_check *c;
    if (d->parts_ok & DASH_FILES) {
        const struct dash_files *f = &d->files;
        c = add(out, &n, "failed_files_24h", f->failed > 0 ? HEALTH_CRITICAL : HEALTH_OK, (double)f->failed);
        snprintf(c->message, sizeof c->message, "%lld file(s) failed in the last 24 h (critical above 0)",
                 (long long)f->failed);
        c = add(out, &n, "expired_leases", f->expired_leases > 0 ? HEALTH_CRITICAL : HEALTH_OK,
                (double)f->expired_leases);
        snprintf(c->message, sizeof c->message,
                 "%lld loading file(s) with an expired lease (critical above 0)", (long long)f->expired_leases);
        c = add(out, &n, "rejected_files_24h", f->rejected > 0 ? HEALTH_WARNING : HEALTH_OK, (double)f->rejected);
        snprintf(c->message, sizeof c->message, "%lld file(s) rejected in the last 24 h (warning above 0)",
                 (long long)f->rejected);
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
