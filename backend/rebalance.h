/* rebalance.h - `meterops db rebalance`: Citus's background shard rebalance
 * (citus_rebalance_start), followed to its end with its progress. Loads go on meanwhile:
 * a direct load holds its shards' metadata locks, so a move waits for the file that
 * writes into its shard (doc/loader.md, "Straight to the workers"). */
#ifndef MO_REBALANCE_H
#define MO_REBALANCE_H

#include <stdint.h>

#include "backend/err.h"

struct rebalance_state {
    int64_t job_id;             /* 0: no move was needed */
    char state[32];             /* scheduled, running, finished, failed, cancelled, ... */
    int64_t done, total;        /* moves */
};

typedef void (*rebalance_progress_fn)(void *ctx, const struct rebalance_state *st);

/* Starts a rebalance and polls it every second until it ends, calling progress at each
 * change. mode: "auto" or "block_writes". 0 finished (or nothing to move), 1 it ended
 * failed or cancelled, -1 could not run (err). */
int rebalance_run(const char *conninfo, const char *mode, rebalance_progress_fn progress,
                  void *ctx, struct mo_err *err);

#endif
