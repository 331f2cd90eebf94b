/* action_rebalance.h - starting a shard rebalance from the console (the Nodes view's r):
 * the statement `meterops db rebalance` runs, meterops.cluster_rebalance_start(reason), a
 * SECURITY DEFINER function only the operator role may EXECUTE, which writes audit_log.
 * The support role is refused by PostgreSQL; plain PostgreSQL by the function itself. */
#ifndef MO_ACTION_REBALANCE_H
#define MO_ACTION_REBALANCE_H

#include <stdint.h>

#include "backend/err.h"

struct dba;

/* job: the rebalance's Citus job id, 0 when no shard needed to move; err NULL when the
 * function ran. */
typedef void (*rebalance_started_fn)(void *ctx, int64_t job, const struct mo_err *err);

int rebalance_run(struct dba *db, const char *reason, rebalance_started_fn done, void *ctx,
                  struct mo_err *err);

#endif
