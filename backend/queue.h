/* queue.h - meterops.load_file is the queue that any number of loader processes share.
 *
 * enqueue: one row per file with the options to load it with; a file whose content is
 *   already loaded (and not requeued since) is not enqueued again, and one that is already
 *   waiting or loading is adopted rather than duplicated. Only a file of the same size as
 *   one queued, loading or loaded can be such a copy, so only such a file is hashed before
 *   it is queued (queue_size_seen); any other goes in with no sha256 and the loader hashes
 *   it while reading it, settling duplicates at commit (see loadfile.c).
 * claim: FOR UPDATE SKIP LOCKED with a lease; a claim whose lease ran out (its loader was
 *   killed) is claimable again, which is how such files return to the queue.
 * renew: extends the lease and publishes progress, from an autocommit connection.
 * finish happens inside the file's own transaction (see loadfile.c); fail and release end
 *   a claim from outside one. */
#ifndef MO_QUEUE_H
#define MO_QUEUE_H

#include <libpq-fe.h>
#include <stdint.h>

#include "backend/enqueue.h"
#include "backend/err.h"

int queue_job_start(PGconn *conn, const char *host, int pid, const char *args, int64_t *job_id,
                    struct mo_err *err);
int queue_job_finish(PGconn *conn, int64_t job_id, const char *status, struct mo_err *err);

/* 1 when a file of `bytes` bytes is queued, loading or loaded (a new file of that size
 * must be hashed before it is queued), 0 when none is, -1 on error. */
int queue_size_seen(PGconn *conn, int64_t bytes, struct mo_err *err);

/* sha256 NULL: not hashed yet (no file of its size is known), enqueued as it is. stage is
 * the format's reader_format.stage (READER_STAGE_READINGS for a format not known). */
int queue_enqueue(PGconn *conn, int64_t job_id, const char *path, const char *sha256,
                  int64_t bytes, const char *format, int stage, const struct queue_options *opt,
                  struct enqueue_result *out, struct mo_err *err);

struct claimed_file {
    int64_t file_id;
    char *path;
    char sha256[65];            /* "" when it was queued without one */
    int64_t bytes;
    char format[32];
    int attempt;
    int64_t now;                /* server time of the claim, seconds since 1970 */
    char *meter, *export_meter; /* NULL when not given */
    int create_meters;
    double max_reject_ratio;
    char *not_before;           /* --not-before, NULL when not given */
    int future_margin;          /* --future-margin, minutes */
    char unit[8];               /* --unit, "" when not given */
    double calorific_value;     /* --calorific-value, 0 when not given */
    int xsd;                    /* --xsd */
};

/* Claims the next file (only among ids[0..nids) when ids is not NULL). Returns 1 with
 * *out filled, 0 when there is nothing to claim, -1 on error. */
int queue_claim(PGconn *conn, const char *owner, int lease_seconds, const int64_t *ids,
                size_t nids, struct claimed_file *out, struct mo_err *err);
void queue_claimed_free(struct claimed_file *f);
/* Same claim, next attempt (after a lost connection). Returns 1, or 0 if the claim is gone. */
int queue_reclaim(PGconn *conn, struct claimed_file *f, const char *owner, int lease_seconds,
                  struct mo_err *err);
/* Returns 1 renewed, 0 claim lost, -1 error. */
int queue_renew(PGconn *conn, int64_t file_id, const char *owner, int attempt,
                int lease_seconds, int64_t progress_rows, struct mo_err *err);
/* The lease keeper's tick in one statement (renew_all.sql): the heartbeat of loader_id
 * (0: none) and, for each held file (ids, attempts, rows read), its lease and progress.
 * Returns how many claims were lost, their index in ids set in lost[] (room for n), or -1. */
struct held_file {
    int64_t file_id, rows;
    int attempt;
};
int queue_renew_all(PGconn *conn, const char *owner, int lease_seconds, int64_t loader_id,
                    const struct held_file *held, int n, int *lost, struct mo_err *err);
/* A loader's registry row (meterops.loader): *loader_id set; kind "once" or "daemon". */
int queue_loader_register(PGconn *conn, const char *host, int pid, const char *owner,
                          const char *kind, int64_t job_id, int lease_seconds,
                          int64_t *loader_id, struct mo_err *err);
int queue_loader_stop(PGconn *conn, int64_t loader_id, struct mo_err *err);
/* fail and release end this loader's claim: 1 done, 0 when the claim is no longer owner's
 * (its lease ran out and another loader took the file), -1 on error. */
int queue_fail(PGconn *conn, int64_t file_id, const char *owner, const char *message,
               struct mo_err *err);
int queue_release(PGconn *conn, int64_t file_id, const char *owner, const char *message,
                  struct mo_err *err);

/* "{1,2,3}" for an array parameter. buf must hold 21 bytes per id plus 3. */
void queue_id_array(const int64_t *ids, size_t n, char *buf);

#endif
