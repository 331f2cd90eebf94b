/* fetch_checks.c - the parsers of the check parts (fetch_checks.h), one per
 * queries/checks/NAME.sql, in its column order. */
#include "backend/fetch_checks_parse.h"

#include "backend/fetch.h"
#include "backend/fetch_dashboard.h"

int parse_check_activity(const PGresult *r, struct dashboard *d)
{
    if (PQntuples(r) != 1)
        return -1;
    struct dash_activity *a = &d->activity;
    a->idle_xact_s = res_f64(r, 0, 0, -1);
    a->idle_xact_pid = (int)res_i64(r, 0, 1, 0);
    a->blocked = res_i64(r, 0, 2, 0);
    a->longest_wait_s = res_f64(r, 0, 3, -1);
    a->longest_wait_pid = (int)res_i64(r, 0, 4, 0);
    return 0;
}

int parse_check_xid(const PGresult *r, struct dashboard *d)
{
    if (PQntuples(r) != 1)
        return -1;
    d->xid.datname = strpool_dup(&d->pool, res_str(r, 0, 0));
    d->xid.age = res_i64(r, 0, 1, 0);
    d->xid.freeze_max_age = res_i64(r, 0, 2, 0);
    return d->xid.datname ? 0 : -1;
}

int parse_check_replication(const PGresult *r, struct dashboard *d)
{
    int n = PQntuples(r);
    d->nstandbys = 0;
    for (int i = 0; i < n && i < DASH_MAX_STANDBYS; i++) {
        struct dash_standby *s = &d->standbys[i];
        s->name = strpool_dup(&d->pool, res_str(r, i, 0));
        s->state = strpool_dup(&d->pool, res_str(r, i, 1));
        s->sync_state = strpool_dup(&d->pool, res_str(r, i, 2));
        s->lag_bytes = res_f64(r, i, 3, -1);
        s->lag_s = res_f64(r, i, 4, 0);
        if (!s->name || !s->state || !s->sync_state)
            return -1;
        d->nstandbys++;
    }
    return 0;
}

int parse_check_slots(const PGresult *r, struct dashboard *d)
{
    int n = PQntuples(r);
    d->nslots = 0;
    d->slots_total = n > 0 ? res_i64(r, 0, 5, 0) : 0;
    d->slots_inactive = n > 0 ? res_i64(r, 0, 6, 0) : 0;
    for (int i = 0; i < n && i < DASH_MAX_SLOTS; i++) {
        struct dash_slot *s = &d->slots[i];
        s->name = strpool_dup(&d->pool, res_str(r, i, 0));
        s->type = strpool_dup(&d->pool, res_str(r, i, 1));
        s->active = res_bool(r, i, 2);
        s->wal_status = strpool_dup(&d->pool, res_str(r, i, 3));
        s->retained_bytes = res_f64(r, i, 4, -1);
        if (!s->name || !s->type || !s->wal_status)
            return -1;
        d->nslots++;
    }
    return 0;
}

int parse_check_nodes(const PGresult *r, struct dashboard *d)
{
    int n = PQntuples(r);
    d->nnodes = 0;
    d->nodes_down = 0;
    d->rebalance = (struct dash_rebalance){ "", 0, 0 };
    for (int i = 0; i < n; i++) {
        if (!res_bool(r, i, 4))
            d->nodes_down++;
        if (i >= DASH_MAX_NODES)
            continue;
        struct dash_node *o = &d->nodes[i];
        o->name = strpool_dup(&d->pool, res_str(r, i, 0));
        o->port = (int)res_i64(r, i, 1, 0);
        o->role = strpool_dup(&d->pool, res_str(r, i, 2));
        o->active = res_bool(r, i, 3);
        o->reachable = res_bool(r, i, 4);
        o->shards = res_i64(r, i, 5, 0);
        o->shard_bytes = res_i64(r, i, 6, -1);
        o->connections = res_i64(r, i, 7, -1);
        if (!o->name || !o->role)
            return -1;
        d->nnodes++;
    }
    if (n > 0) {
        d->rebalance.state = strpool_dup(&d->pool, res_str(r, 0, 8));
        d->rebalance.moves_done = (int)res_i64(r, 0, 9, 0);
        d->rebalance.moves_total = (int)res_i64(r, 0, 10, 0);
        if (!d->rebalance.state)
            return -1;
    }
    return 0;
}

int parse_check_server(const PGresult *r, struct dashboard *d)
{
    if (PQntuples(r) != 1)
        return -1;
    struct dash_server *s = &d->server;
    s->archiving = res_bool(r, 0, 0);
    s->ready = res_i64(r, 0, 1, 0);
    s->failed_count = res_i64(r, 0, 2, 0);
    s->failing_s = res_f64(r, 0, 3, 0);
    s->last_failed_wal = strpool_dup(&d->pool, res_str(r, 0, 4));
    s->checkpoints_timed = res_i64(r, 0, 5, 0);
    s->checkpoints_req = res_i64(r, 0, 6, 0);
    s->stats_hours = res_f64(r, 0, 7, 0);
    return s->last_failed_wal ? 0 : -1;
}
