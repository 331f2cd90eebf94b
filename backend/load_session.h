/* load_session.h - one `meterops load` run, whatever its mode: the load job row, the
 * loading engine (loader.h), the files it enqueues and the wait for them to end.
 *
 * Enqueueing reads each file's first line once: the format it names (unless one is forced)
 * and that format's stage (reader_format.stage) are stored with the file, the files are
 * enqueued stage by stage, and the loader later takes the stored format rather than
 * guessing it again. A file of the size of one already known is hashed first so a copy is
 * skipped or adopted at once (queue.h).
 *
 * Whatever becomes of a file reaches the caller through ONE channel, the load_events given
 * to load_session_open: the engine's own, and, for a file of the run that another loader
 * took (adopted, or lost to another loader when its lease ran out), a `finished` made from
 * that file's row when the session sees it final. Those other loaders are heard through
 * LISTEN (queries/console/listen.sql); the session never reports a file twice.
 *
 * Called from one thread; the events arrive on the engine's threads and on the caller's
 * (inside load_session_wait). */
#ifndef MO_LOAD_SESSION_H
#define MO_LOAD_SESSION_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/err.h"
#include "backend/loader.h"
#include "backend/enqueue.h"

struct load_session;

struct load_session_config {
    const char *conninfo;
    int jobs;
    int lease_seconds;
    enum loader_mode mode;      /* LOADER_FILES: load_session_enqueue names the files */
    const char *inbox;          /* LOADER_DAEMON: enqueue files written or moved in here */
    const char *args;           /* the command line, kept with the load job */
    struct queue_options q;     /* stored with every file enqueued */
    struct loader_tuning tuning;
    /* Ends waits and enqueueing early: a readable fd (drained) and the flag it stands for
     * (a signal handler's pipe and flag); -1 and NULL for none. */
    int wake_fd;
    const volatile sig_atomic_t *stop;
};

/* How a named file went into the queue (enqueue_result); a file that could not be
 * enqueued is reported through events.notice instead, with the reason. */
typedef void (*load_enqueued_fn)(void *ctx, const char *path, const struct enqueue_result *res);

/* Connects, checks the schema, records the load job and starts the engine. NULL with err
 * when the run cannot start. ev->ctx is passed to on_enqueued too. */
struct load_session *load_session_open(const struct load_session_config *cfg,
                                       const struct load_events *ev, load_enqueued_fn on_enqueued,
                                       struct mo_err *err);
/* LOADER_FILES: enqueues the files (registry feeds first, else in the given order) and
 * hands each to the engine as soon as it is queued. Returns how many files the run waits
 * for (not those skipped as loaded already, nor those that could not be enqueued). */
size_t load_session_enqueue(struct load_session *s, char *const *paths, int n);

enum load_session_state {
    LOAD_SESSION_RUNNING,
    LOAD_SESSION_DONE,          /* the mode's work is done (never for LOADER_DAEMON) */
    LOAD_SESSION_GAVE_UP,       /* the database stayed unreachable */
};
/* Waits up to about ms for something to happen (an event, a NOTIFY, an inbox file, the
 * wake fd) and says where the run stands. */
enum load_session_state load_session_wait(struct load_session *s, int ms);
void load_session_progress(struct load_session *s, struct load_progress *p);

struct load_session_result {
    int files_short;            /* some file of the run was rejected, failed or lost rows */
    int could_not_run;          /* a named file could not be read or enqueued */
    int gave_up;                /* the database stayed unreachable */
};
/* Stops the engine (files in progress go back to the queue), closes the load job
 * ("failed" when it gave up, or was interrupted outside daemon mode) and frees s. */
void load_session_close(struct load_session *s, int interrupted, struct load_session_result *out);

#endif
