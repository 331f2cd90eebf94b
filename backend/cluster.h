/* cluster.h - `meterops db rebalance`: moves shards of a Citus cluster onto the nodes that
 * hold fewer (after citus_add_node), through meterops.cluster_rebalance_start(), which the
 * operator role may call and which writes audit_log (queries/functions/cluster.sql). The
 * console and `meterops status` show its progress (checks/nodes.sql). */
#ifndef MO_CLUSTER_H
#define MO_CLUSTER_H

#include <stdio.h>

#include "backend/err.h"

/* Starts a rebalance with the reason and writes what happened on out ("rebalance job N
 * started", or that nothing needs to move). With wait, writes its progress once a second
 * until it ends. Returns 0 (started, or finished when waiting; nothing to move), 1 the
 * rebalance failed or was cancelled, -1 could not run (err). */
int cluster_rebalance(const char *conninfo, const char *reason, int wait_end, FILE *out,
                      struct mo_err *err);

#endif
