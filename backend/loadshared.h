/* loadshared.h - what every thread of a loader shares: how to connect, the events to
 * report to, the tuning, whether the loader is stopping, and the control connection for
 * short statements of a file's load that must not run in its transaction (making a
 * month's partition, reserving meter ids). The thread pool (loader.c) makes it; file
 * drivers (loadfile.c) and the stages below them call into it; it calls nothing above. */
#ifndef MO_LOADSHARED_H
#define MO_LOADSHARED_H

#include <libpq-fe.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/err.h"
#include "backend/loader.h"

struct load_shared {
    char *conninfo, *owner;
    int lease_seconds;
    struct load_events ev;
    struct loader_tuning tuning;
    size_t day_budget;          /* bytes of a file's open-day table (from the tuning) */
    size_t batch_max;           /* a file's largest COPY batch (0: the writer's own) */
    _Atomic int stop;           /* loader_stop: files in progress are given back */
    _Atomic int muted;          /* loader_finish left a file thread whose read never
                                 * returned: nothing it says reaches the caller any more */
    pthread_mutex_t ctl_mu;     /* the control connection: partitions, meter ids */
    PGconn *ctl;
};

/* Fills sh from cfg (strings copied). -1 when out of memory (err set). */
int load_shared_init(struct load_shared *sh, const struct loader_config *cfg,
                     const struct load_events *ev, struct mo_err *err);
void load_shared_free(struct load_shared *sh);

static inline int load_stopping(const struct load_shared *sh)
{
    return atomic_load(&sh->stop);
}

/* Something an operator should know, as one line, through ev.notice. */
void load_notice(const struct load_shared *sh, const char *fmt, ...) MO_PRINTF(2, 3);

/* Server messages reach the operator through the loader's errors and notices, not through
 * libpq printing them: every connection of the loader is quietened so. */
void load_quiet(PGconn *conn);
/* One connection, quietened. */
PGconn *load_connect(const struct load_shared *sh, const char *app, struct mo_err *err);
/* Reconnects *conn with backoff (0.5 s doubling to 10 s, about two minutes in all)
 * unless it is connected; 0 when connected again, -1 when it gave up or the loader is
 * stopping. */
int load_reconnect(const struct load_shared *sh, PGconn **conn, const char *what);

/* Makes the reading_day partition of day's month (ctx: the load_shared), on the control
 * connection; the writer's ensure callback. */
int load_ensure_partition(void *ctx, int64_t day, struct mo_err *err);
/* n new meter ids (ctx: the load_shared); the assembler's next_ids callback. */
int load_next_ids(void *ctx, int64_t *ids, int n, struct mo_err *err);

#endif
