/* daywriter.h - writes a file's meter-days into reading_day on the file's connection, inside
 * the file's transaction.
 *
 * Direct path: day rows stream with binary COPY straight into reading_day while the file
 * is still being read, one COPY per batch, each batch under a savepoint. A batch that
 * meets a meter-day already stored (unique violation) is rolled back to its savepoint and
 * sent again through the correction path: COPY into a session staging table, then one
 * INSERT ... ON CONFLICT DO UPDATE that merges interval by interval (merge_wh /
 * merge_flags) and sets file_id to this file. Batch bytes are kept until the batch is
 * through, for that resend; batches grow from 4 MB to 32 MB, so a file of any size uses
 * a few dozen savepoints at most. A file of corrections would fail every direct attempt,
 * so after a failure the next batches go straight to the correction path (1, then 2, 4,
 * ... up to 64 of them before the direct path is tried again).
 *
 * A sender thread owns the direct path on the connection: it opens each batch's savepoint
 * and COPY, streams the batch while the file's thread is still encoding it, ends the COPY
 * and releases the savepoint. There are two batch buffers: while the sender ends one
 * batch (the server finishing its share of it), the file's thread fills the other, so
 * neither the parsing nor the server waits at a batch boundary. A batch that met stored
 * days is rolled back to its savepoint by the sender and handed back; the file's thread
 * sends it through the correction path while the sender waits. Each buffer is sized for
 * its whole batch when the batch starts, so bytes handed to the sender never move.
 *
 * Partitions: before a day of a month without a partition is written, the current batch
 * ends and the partition is made in a short transaction of its own on another
 * connection (ensure callback); attaching a partition does not wait for loads in
 * progress, this one included. */
#ifndef MO_DAYWRITER_H
#define MO_DAYWRITER_H

#include <libpq-fe.h>
#include <pthread.h>
#include <stdint.h>

#include "backend/copy.h"
#include "backend/err.h"
#include "backend/shardwriter.h"

/* One direct batch, a complete binary COPY stream once sealed. */
struct batch {
    struct copybuf buf;
    size_t avail;               /* bytes handed to the sender (guarded by mu) */
    int state;                  /* B_FREE, B_FILLING, B_SEALED, B_FAILED (guarded by mu) */
};

struct writer {
    PGconn *conn;
    struct shardwriter *sw;     /* not NULL: the day rows go straight to the Citus workers
                                 * (shardwriter.h); a day to merge is then citus_merge */
    int64_t file_id;
    struct batch b[2];          /* one filled by the file's thread while the other is sent */
    int fill;                   /* the batch the file's thread fills */
    struct copybuf merge;
    int stage_checked;          /* this file's transaction has the staging table */
    /* the sender thread; guarded by mu */
    pthread_t sender;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int sender_up, quit, abort;
    int busy;                   /* the sender is using the connection */
    int send;                   /* the batch it sends */
    size_t sent;                /* bytes of it sent */
    int copy_open;              /* its COPY is in progress */
    int failed;                 /* it stopped: its batch met stored days (B_FAILED), or an
                                 * error in send_err; the file's thread takes over */
    struct mo_err send_err;
    size_t limit, limit_max;
    /* months (year * 12 + month - 1) that have a partition */
    int32_t *months;
    size_t nmonths, capmonths;
    int64_t known_lo, known_hi; /* days [lo, hi) of the last month found */
    int (*ensure)(void *ctx, int64_t day, struct mo_err *err);
    void *ensure_ctx;
    /* after a batch met stored days, the next batches skip the doomed direct attempt:
     * merge_left of them, doubling (up to 64) each time a direct attempt fails again */
    int merge_left, merge_run;
    /* what happened */
    int64_t days_direct, days_merged, batches, corrections;
};

/* Starts the sender thread; -1 (err set) when it cannot. */
int writer_init(struct writer *w, PGconn *conn, int64_t file_id, struct mo_err *err);
void writer_free(struct writer *w);
/* The first batch's size in bytes (0: 4 MB; tests make it small to put batch ends
 * everywhere). Call before the first day. */
void writer_set_first_batch(struct writer *w, size_t bytes);
/* The largest batch (0: 16 MB): the loader's memory share of a file with many jobs. Call
 * after writer_set_first_batch. */
void writer_set_batch_max(struct writer *w, size_t bytes);
/* Reads which months have partitions (outside any transaction is fine). */
int writer_load_partitions(struct writer *w, struct mo_err *err);
/* One meter-day. merge: it is known to exist already (a second piece of a day this file
 * wrote before), so it goes straight to the correction path. */
int writer_day(struct writer *w, int64_t meter_id, int64_t day, int nslots, const int32_t *wh,
               const uint64_t set[2], const uint64_t est[2], int merge, struct mo_err *err);
/* Ends the open batches (call before any other statement on the connection). */
int writer_flush(struct writer *w, struct mo_err *err);
/* Forgets unsent data and state (the transaction is being rolled back). */
void writer_reset(struct writer *w);
/* Like writer_reset, for a load given up midway: a COPY in progress is ended (failed)
 * first, so the connection can roll back and be used again. */
void writer_abort(struct writer *w);

#endif
