/* fetch_nodes.c - see fetch_nodes.h. */
#include "backend/fetch_nodes.h"

#include <libpq-fe.h>
#include <stdlib.h>

#include "backend/dbasync_query.h"
#include "backend/fetch.h"

void node_list_free(struct node_list *l)
{
    if (!l)
        return;
    free(l->rows);
    strpool_free(&l->pool);
    free(l);
}

static struct node_list *from_result(const PGresult *r)
{
    struct node_list *l = calloc(1, sizeof *l);
    int n;
    if (!l || (!(l->rows = res_calloc_rows(r, sizeof *l->rows, &n)) && n)) {
        free(l);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        struct node_row *d = &l->rows[i];
        d->node = strpool_dup(&l->pool, res_str(r, i, 0));
        d->port = (int)res_i64(r, i, 1, 0);
        d->role = strpool_dup(&l->pool, res_str(r, i, 2));
        d->active = res_bool(r, i, 3);
        d->reachable = res_bool(r, i, 4);
        d->shards = res_i64(r, i, 5, 0);
        d->bytes = res_i64(r, i, 6, -1);
        d->connections = res_i64(r, i, 7, -1);
        if (!d->node || !d->role) {
            node_list_free(l);
            return NULL;
        }
        l->n++;
    }
    l->rebalance_state = "";
    if (n > 0 && !PQgetisnull(r, 0, 8)) {
        l->rebalance_job = res_i64(r, 0, 8, 0);
        l->rebalance_state = strpool_dup(&l->pool, res_str(r, 0, 9));
        l->tasks_done = res_i64(r, 0, 10, 0);
        l->tasks_total = res_i64(r, 0, 11, 0);
        if (!l->rebalance_state) {
            node_list_free(l);
            return NULL;
        }
    }
    return l;
}

static void answer(const PGresult *res, const struct mo_err *err, dba_any_fn done,
                   void *ctx, uint64_t tag)
{
    node_list_fn fn = (node_list_fn)done;
    if (!res) {
        fn(ctx, tag, NULL, err);
        return;
    }
    struct node_list *l = from_result(res);
    if (!l) {
        struct mo_err e;
        mo_err_set(&e, "out_of_memory", "out of memory reading the nodes");
        fn(ctx, tag, NULL, &e);
        return;
    }
    fn(ctx, tag, l, NULL);
}

int nodes_fetch(struct dba *db, node_list_fn done, void *ctx, uint64_t tag, struct mo_err *err)
{
    return dba_submit(db, SQL_CONSOLE_NODES, 0, NULL, answer, (dba_any_fn)done, ctx, tag, err);
}
