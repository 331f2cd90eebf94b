/* fetch_nodes.h - the nodes of a Citus cluster (none on plain PostgreSQL) with their
 * health, shard placements, size and connections, and the newest shard rebalance's
 * progress, for the Nodes view (queries/console/nodes.sql over meterops.cluster_nodes). */
#ifndef MO_FETCH_NODES_H
#define MO_FETCH_NODES_H

#include <stddef.h>
#include <stdint.h>

#include "backend/err.h"
#include "backend/strpool.h"

struct dba;

struct node_row {
    const char *node, *role;
    int port;
    int active, reachable;
    int64_t shards, bytes, connections; /* bytes, connections: -1 unknown (a node down) */
};

struct node_list {
    struct node_row *rows;
    size_t n;
    /* the newest rebalance: job 0 when none ran */
    int64_t rebalance_job;
    const char *rebalance_state;
    int64_t tasks_done, tasks_total;
    struct strpool pool;
};

void node_list_free(struct node_list *l);

typedef void (*node_list_fn)(void *ctx, uint64_t tag, struct node_list *l, const struct mo_err *err);
int nodes_fetch(struct dba *db, node_list_fn done, void *ctx, uint64_t tag, struct mo_err *err);

#endif
