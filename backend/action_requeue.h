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

/* The command line's requeue: the same one statement, waited for. */
struct requeue_item {
    int64_t file_id;
    int found;              /* the file exists */
    char path[1024];
    char status[16];        /* before the requeue */
};

enum requeue_outcome {
    REQUEUE_DONE,           /* every file is queued again */
    REQUEUE_REFUSED,        /* a file does not exist or is not finished: none was requeued */
    REQUEUE_FAILED,         /* no database, or no right to requeue: none was requeued */
};

/* Connects, reads each file's path and status (items[i].file_id given), and requeues them
 * all through console/requeue. On a refusal *culprit is the index of the file it is
 * about (the first unfinished one), else n. */
enum requeue_outcome requeue_files(const char *conninfo, struct requeue_item *items, size_t n,
                                   const char *reason, size_t *culprit, struct mo_err *err);
/* The same, each file to load with another --meter / --export-meter (NULL: keep the
 * file's), through meterops.requeue_file_options(), which audits the old and new options. */
enum requeue_outcome requeue_files_with(const char *conninfo, struct requeue_item *items,
                                        size_t n, const char *reason, const char *meter,
                                        const char *export_meter, size_t *culprit,
                                        struct mo_err *err);

#endif
