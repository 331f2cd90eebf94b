/* loadfile.h - the driver of one claimed file: it owns the file's attempts and calls each
 * stage in turn (read the header, read chunks through the parse pool, assemble, write,
 * decide, commit), each of which returns to it. The thread pool (loader.c) hands it a
 * claimed file and gets back whether the database stayed reachable; what the pool sees
 * of the file meanwhile is its struct file_progress (fileload.h). */
#ifndef MO_LOADFILE_H
#define MO_LOADFILE_H

#include <libpq-fe.h>
#include <pthread.h>
#include <stddef.h>

#include "backend/fileload.h"
#include "backend/loadshared.h"
#include "backend/parsepool.h"
#include "backend/queue.h"

/* What a file thread keeps from one file to the next. */
struct file_thread {
    struct load_shared *shared;
    struct parsepool *pool;
    PGconn *conn;               /* the file's connection; loadfile may replace it */
    int depth;                  /* chunks in flight at most */
    struct chunk *chunks;       /* depth of them, made on first use */
    int64_t read_left;          /* bytes the pass may still read: never past the size the
                                 * file was queued with, however much it grows */
    char *carry;                /* the partial line at the end of the last chunk read */
    pthread_mutex_t cancel_mu;  /* made by the pool; guards cancel */
    PGcancel *cancel;           /* conn's cancel key, for file_thread_cancel */
    int cancel_pid;             /* the backend it is for */
    size_t carry_len, carry_cap;
    unsigned rebalance_waits;   /* attempts a Citus shard rebalance sent back (notices) */
};

/* Frees what file threads keep (not the connection). */
void file_thread_free(struct file_thread *t);
/* Cancels what the file's connection is doing on the server (a COPY waiting on a lock, a
 * long statement): the loader is stopping. From any thread; the file thread keeps the key
 * up to date at each attempt. */
void file_thread_cancel(struct file_thread *t);

/* Takes one claimed file to a final state (or gives it back), reporting through the
 * shared events. progress must be set up for cf (file_progress_start) and stay valid
 * while it runs. Returns -1 when the database stayed unreachable. */
int loadfile(struct file_thread *t, const struct claimed_file *cf, struct file_progress *progress);

void file_progress_init(struct file_progress *p);
void file_progress_destroy(struct file_progress *p);
/* A claimed file starts: its id, size and attempt, counters at zero. */
void file_progress_start(struct file_progress *p, const struct claimed_file *cf);
/* The lease keeper could not renew file_id's lease for attempt: the attempt is lost,
 * unless the file has moved on to another attempt meanwhile. */
void file_progress_lost(struct file_progress *p, int64_t file_id, int attempt);
/* file_id and attempt of the file (for the lease keeper). */
void file_progress_claim(struct file_progress *p, int64_t *file_id, int *attempt);

#endif
