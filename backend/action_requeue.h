/* action_requeue.h - the console's requeue: find the files a filter names (for the
 * confirmation "requeue 7 files?"), then requeue exactly those through
 * meterops.requeue_file() in one transaction, so PostgreSQL decides who may and audits it.
 * A refusal arrives as the server's own message ("permission denied for function
 * requeue_file"). */
#ifndef MO_ACTION_REQUEUE_H
#define MO_ACTION_REQUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "backend/err.h"

struct dba;

struct requeue_filter {
    const char *statuses[3];             /* NULL-terminated subset of loaded/rejected/failed;
                                            none given: rejected and failed */
    int64_t job_id;                      /* 0 any */
    const char *path_text;               /* "" or NULL any */
};

typedef void (*requeue_match_fn)(void *ctx, uint64_t tag, const int64_t *ids, size_t n,
                                 const struct mo_err *err);
int requeue_match(struct dba *db, const struct requeue_filter *f, requeue_match_fn done,
                  void *ctx, uint64_t tag, struct mo_err *err);

/* done gets how many files were requeued, or err (and then none was). */
typedef void (*requeue_done_fn)(void *ctx, uint64_t tag, size_t requeued, const struct mo_err *err);
int requeue_run(struct dba *db, const int64_t *ids, size_t n, const char *reason,
                requeue_done_fn done, void *ctx, uint64_t tag, struct mo_err *err);

#endif
