/* shardwriter.h - a file's meter-days written straight into the shards of reading_day on
 * the Citus workers that hold them, all-or-nothing with the file's transaction on the
 * coordinator (doc/loader.md, "Straight to the workers").
 *
 * Each worker gets a connection and a transaction of its own for the file. Day rows are
 * routed by the hash of meter_id (shardmap.h) into one binary COPY buffer per shard; a
 * full batch is handed to one sender thread per worker, which COPYs each of its shards'
 * buffers into that shard while the file's thread fills the other batch, so the workers
 * take their parts at once and the coordinator carries none of the rows.
 *
 * Commit: at the file's COMMIT on the coordinator each worker that got rows PREPAREs its
 * transaction (gid meterops_<file_id>_<attempt>_<node>) and the gids are recorded in
 * meterops.load_prepared inside the coordinator's transaction; that COMMIT is the
 * decision. Then COMMIT PREPARED on each worker and the records are dropped. A prepared
 * transaction left behind (a loader or worker that died between the two) is settled by
 * shardwriter_open of any later direct load: committed when its gid is recorded, rolled
 * back when its attempt is over without a record (meterops.load_prepared_decide).
 *
 * A meter-day already stored (a worker's unique violation), or one the file writes twice,
 * is not for this path: the error's code is "citus_merge", the caller rolls the attempt
 * back and loads the file again through the coordinator, whose correction path merges.
 * A worker lost midway fails the attempt with an 08 code (the connection class): the
 * caller reads the file again; the next open waits up to 30 s for the worker. */
#ifndef MO_SHARDWRITER_H
#define MO_SHARDWRITER_H

#include <libpq-fe.h>
#include <pthread.h>
#include <stdint.h>

#include "backend/copy.h"
#include "backend/err.h"
#include "backend/shardmap.h"

struct shard_node;

struct shardwriter {
    PGconn *coord;
    int64_t file_id;
    int attempt;
    int nshards, nnodes;
    struct shard_range *ranges;
    char (*names)[192];         /* each shard's quoted name */
    struct shard_node *nodes;
    struct copybuf *bufs[2];    /* one buffer per shard, two batches */
    size_t bytes[2];
    int fill;                   /* the batch being filled */
    size_t limit, limit_max;    /* a batch is handed over at limit bytes; limit doubles
                                 * up to limit_max (the first days reach the workers soon) */
    int active;                 /* the workers' transactions hold this attempt's rows */
    int commit_sent;            /* the coordinator's COMMIT went out: prepared parts are
                                 * the record's to decide, never rolled back here */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int busy;                   /* node threads still sending a batch (guarded by mu) */
    int quit;
    int64_t days, settled;      /* days routed; prepared transactions settled at open */
};

/* Reads the shard map from the coordinator, connects to every worker (waiting up to 30 s
 * for one that is starting), settles prepared transactions left behind, and opens a
 * transaction on each. 1: ready; 0: reading_day is not hash-distributed (nothing to do;
 * sw holds nothing); -1 with err. first, most: bytes of the first batch (0: 4 MB) and of
 * the largest (0: 16 MB), as the coordinator's writer (daywriter.h). */
int shardwriter_open(struct shardwriter *sw, PGconn *coord, int64_t file_id, int attempt,
                     size_t first, size_t most, struct mo_err *err);
/* In the coordinator's transaction, before the first day: locks the shards against moves
 * (a rebalance) until the file commits, and reads the map again under the lock (a shard
 * moved since open goes to its new worker). -1 with code citus_shards when the shards
 * themselves changed (the attempt is tried again). */
int shardwriter_lock(struct shardwriter *sw, struct mo_err *err);
/* One meter-day, routed to its shard. */
int shardwriter_day(struct shardwriter *sw, int64_t meter_id, int64_t day, int nslots,
                    const int32_t *wh, const uint64_t set[2], const uint64_t est[2],
                    struct mo_err *err);
/* Every routed day sent and through. */
int shardwriter_flush(struct shardwriter *sw, struct mo_err *err);
/* In the coordinator's open transaction, last before its COMMIT: flush, PREPARE on each
 * worker that got rows, record the gids. Call shardwriter_committing just before COMMIT. */
int shardwriter_prepare(struct shardwriter *sw, struct mo_err *err);
void shardwriter_committing(struct shardwriter *sw);
/* After the coordinator committed: COMMIT PREPARED everywhere (retrying a worker that is
 * restarting, up to 30 s), records dropped. What could not be finished is left for the
 * next open to settle; returns how many parts that is (notice-worthy). */
int shardwriter_finish(struct shardwriter *sw, struct mo_err *err);
/* The attempt's rows are abandoned: the workers roll back (a part prepared before the
 * coordinator's COMMIT went out is rolled back too; after it, it is left to the record). */
void shardwriter_rollback(struct shardwriter *sw);
void shardwriter_close(struct shardwriter *sw);

#endif
