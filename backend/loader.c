/* loader.c - the thread pool: file threads (one connection each) that claim files from
 * the queue and hand each to its driver (loadfile.c), the parse pool they share
 * (parsepool.c), and the lease keeper that renews the claims of the files in progress.
 * Of a file it knows only the claim and its struct file_progress. */
#include "backend/loader.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/db.h"
#include "backend/loadfile.h"
#include "backend/loadshared.h"
#include "backend/parsepool.h"
#include "backend/xsd.h"

#define DEFAULT_CHUNK ((size_t)2 << 20)
/* Every file thread's chunk buffers together (their parsed output adds up to about three
 * times as much for wide lines): split between the --jobs file threads, so that more jobs
 * mean smaller or fewer chunks each, not more memory (doc/loader.md, "Memory"). */
#define CHUNK_BUDGET ((size_t)24 << 20)
#define CHUNK_MIN ((size_t)64 << 10)

/* One file thread: one connection, one file at a time. */
struct slot {
    struct loader *loader;
    pthread_t thread;
    struct file_thread ft;
    struct file_progress progress;
    int busy;                   /* a file is in progress (guarded by loader->mu) */
    int gave_up;                /* the database stayed unreachable (loader->mu) */
    int ended;                  /* its thread has returned (loader->mu) */
};

struct loader {
    struct load_shared shared;
    int jobs;
    enum loader_mode mode;
    int64_t *ids;               /* LOADER_FILES: the run's files so far */
    size_t nids;
    pthread_mutex_t mu;
    pthread_cond_t wake_cv;     /* file threads and the caller: something changed */
    int stop, files_final, lease_stop;
    int nidle;
    uint64_t wake_gen;
    struct parsepool *pool;
    struct slot *slots;
    int nslots;
    pthread_t lease_thread;
    int lease_up;
    PGconn *lease_conn;
    int64_t loader_id;          /* meterops.loader row the lease keeper beats for (0: none) */
};

void loader_tuning_defaults(struct loader_tuning *t)
{
    memset(t, 0, sizeof *t);
    /* The server's COPY of a file is the one stage that cannot be spread over threads;
     * when it shares the host's cores with the parse and hashing threads, it should win.
     * A lower priority costs those threads nothing when cores are free. */
    t->worker_nice = 10;
}

static void deadline_in(struct timespec *ts, int ms)
{
    clock_gettime(CLOCK_REALTIME, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

/* ---- the lease keeper ----------------------------------------------------------------- */

/* One statement per tick, whatever the number of files held (queue_renew_all): the
 * loader's heartbeat, every lease, every file's rows read so far. It runs while no file is
 * held too, so an idle daemon still shows as alive. A lease that could not be renewed marks
 * its attempt lost. */
static void renew_leases(struct loader *loader, const struct held_file *held, int n, int *lost)
{
    const struct load_shared *sh = &loader->shared;
    struct mo_err err;
    mo_err_clear(&err);
    if (!loader->lease_conn || PQstatus(loader->lease_conn) != CONNECTION_OK) {
        PQfinish(loader->lease_conn);
        loader->lease_conn = load_connect(sh, "meterops load (lease)", &err);
        if (!loader->lease_conn)
            return; /* the file threads report the outage; try again next tick */
    }
    int nlost = queue_renew_all(loader->lease_conn, sh->owner, sh->lease_seconds,
                                loader->loader_id, held, n, lost, &err);
    if (nlost <= 0)
        return;
    pthread_mutex_lock(&loader->mu);
    for (int i = 0; i < nlost; i++)
        for (int k = 0; k < loader->nslots; k++)
            if (loader->slots[k].busy)
                file_progress_lost(&loader->slots[k].progress, held[lost[i]].file_id,
                                   held[lost[i]].attempt);
    pthread_mutex_unlock(&loader->mu);
}

/* The tick: a third of the lease, at most LEASE_TICK_MS, so progress_rows and the
 * heartbeat move about once a second (the console's progress bars and live loaders). */
enum { LEASE_TICK_MS = 1000 };

static void *lease_main(void *arg)
{
    struct loader *loader = arg;
    int period = loader->shared.lease_seconds * 1000 / 3;
    if (period > LEASE_TICK_MS)
        period = LEASE_TICK_MS;
    if (period < 100)
        period = 100;
    struct held_file *held = calloc((size_t)loader->nslots, sizeof *held);
    int *lost = calloc((size_t)loader->nslots, sizeof *lost);
    struct timespec next;
    pthread_mutex_lock(&loader->mu);
    while (!loader->lease_stop) {
        /* wake-ups of wake_cv (files starting and ending) do not shorten the tick */
        deadline_in(&next, period);
        while (!loader->lease_stop &&
               pthread_cond_timedwait(&loader->wake_cv, &loader->mu, &next) != ETIMEDOUT)
            ;
        if (loader->lease_stop)
            break;
        int n = 0;
        for (int i = 0; i < loader->nslots && held && lost; i++) {
            struct slot *s = &loader->slots[i];
            if (!s->busy)
                continue;
            file_progress_claim(&s->progress, &held[n].file_id, &held[n].attempt);
            held[n++].rows = atomic_load(&s->progress.rows);
        }
        pthread_mutex_unlock(&loader->mu);
        if (held && lost)
            renew_leases(loader, held, n, lost);
        pthread_mutex_lock(&loader->mu);
    }
    pthread_mutex_unlock(&loader->mu);
    free(held);
    free(lost);
    return NULL;
}

/* ---- file threads -------------------------------------------------------------------- */

/* LOADER_FILES: a copy of the run's files so far (more may be added while it runs). */
static int64_t *copy_ids(struct loader *loader, size_t *nids)
{
    pthread_mutex_lock(&loader->mu);
    *nids = loader->nids;
    int64_t *ids = malloc((*nids ? *nids : 1) * sizeof *ids);
    if (ids && *nids)
        memcpy(ids, loader->ids, *nids * sizeof *ids);
    pthread_mutex_unlock(&loader->mu);
    return ids;
}

/* 1 with cf claimed, 0 when there is nothing to claim, -1 when the database stayed
 * unreachable or the claim failed. */
static int slot_claim(struct slot *s, struct claimed_file *cf)
{
    struct loader *loader = s->loader;
    const struct load_shared *sh = &loader->shared;
    for (;;) {
        struct mo_err err;
        mo_err_clear(&err);
        if (!s->ft.conn || PQstatus(s->ft.conn) != CONNECTION_OK) {
            if (load_reconnect(sh, &s->ft.conn, "file connection") < 0)
                return -1;
        }
        int64_t *ids = NULL;
        size_t nids = 0;
        if (loader->mode == LOADER_FILES) {
            if (!(ids = copy_ids(loader, &nids)))
                return -1;
            if (nids == 0) {
                free(ids);
                return 0;
            }
        }
        int r = queue_claim(s->ft.conn, sh->owner, sh->lease_seconds, ids, nids, cf, &err);
        free(ids);
        if (r >= 0)
            return r;
        if (db_conn_ok(s->ft.conn)) {
            load_notice(sh, "cannot claim a file: %s", err.message);
            return -1;
        }
    }
}

/* The claimed file, through its driver; -1 when the database stayed unreachable. */
static int slot_load(struct slot *s, struct claimed_file *cf)
{
    struct loader *loader = s->loader;
    pthread_mutex_lock(&loader->mu);
    file_progress_start(&s->progress, cf);
    s->busy = 1;
    pthread_mutex_unlock(&loader->mu);
    int rc = loadfile(&s->ft, cf, &s->progress);
    pthread_mutex_lock(&loader->mu);
    s->busy = 0;
    pthread_mutex_unlock(&loader->mu);
    return rc;
}

/* Nothing to claim: waits for a wake-up (or looks again in a second). */
static void slot_idle(struct loader *loader, uint64_t gen)
{
    pthread_mutex_lock(&loader->mu);
    loader->nidle++;
    pthread_cond_broadcast(&loader->wake_cv);
    struct timespec ts;
    deadline_in(&ts, 1000);
    while (!loader->stop && loader->wake_gen == gen &&
           !(loader->mode == LOADER_FILES && loader->files_final))
        if (pthread_cond_timedwait(&loader->wake_cv, &loader->mu, &ts) == ETIMEDOUT)
            break;
    loader->nidle--;
    pthread_mutex_unlock(&loader->mu);
}

static void *slot_main(void *arg)
{
    struct slot *s = arg;
    struct loader *loader = s->loader;
    for (;;) {
        pthread_mutex_lock(&loader->mu);
        int done = loader->stop || (loader->mode == LOADER_FILES && loader->files_final);
        uint64_t gen = loader->wake_gen;
        pthread_mutex_unlock(&loader->mu);
        if (done)
            break;
        struct claimed_file cf;
        int r = slot_claim(s, &cf);
        if (r > 0) {
            r = slot_load(s, &cf);
            queue_claimed_free(&cf);
            if (r == 0)
                continue;
        }
        if (r < 0) {
            pthread_mutex_lock(&loader->mu);
            s->gave_up = 1;
            pthread_mutex_unlock(&loader->mu);
            break;
        }
        slot_idle(loader, gen);
    }
    pthread_mutex_lock(&loader->mu);
    loader->nidle++;
    s->ended = 1;
    pthread_cond_broadcast(&loader->wake_cv);
    pthread_mutex_unlock(&loader->mu);
    return NULL;
}

/* ---- the engine ---------------------------------------------------------------------- */

/* What loader_start made besides the slots' connections and threads. */
static void loader_free(struct loader *loader)
{
    PQfinish(loader->lease_conn);
    for (int i = 0; loader->slots && i < loader->nslots; i++) {
        file_progress_destroy(&loader->slots[i].progress);
        pthread_mutex_destroy(&loader->slots[i].ft.cancel_mu);
    }
    free(loader->slots);
    free(loader->ids);
    load_shared_free(&loader->shared);
    pthread_mutex_destroy(&loader->mu);
    pthread_cond_destroy(&loader->wake_cv);
    free(loader);
}

/* Every connection up front, made in parallel: a loader that cannot reach the database
 * says so at once. The control connection, the lease keeper's, one per file thread. */
static int connect_all(struct loader *loader, struct mo_err *err)
{
    int nconn = loader->nslots + 2;
    PGconn **conns = calloc((size_t)nconn, sizeof *conns);
    const char **apps = calloc((size_t)nconn, sizeof *apps);
    if (!conns || !apps) {
        free(conns);
        free(apps);
        return mo_err_set(err, "out_of_memory", "out of memory");
    }
    apps[0] = "meterops load (control)";
    apps[1] = "meterops load (lease)";
    for (int i = 0; i < loader->nslots; i++)
        apps[2 + i] = "meterops load";
    int crc = db_connect_many(loader->shared.conninfo, &(const struct db_session){ .kind = DB_LOADER },
                              apps, nconn, conns, err);
    free(apps);
    if (crc < 0) {
        free(conns);
        return -1;
    }
    for (int i = 0; i < nconn; i++)
        load_quiet(conns[i]);
    loader->shared.ctl = conns[0];
    loader->lease_conn = conns[1];
    for (int i = 0; i < loader->nslots; i++)
        loader->slots[i].ft.conn = conns[2 + i];
    free(conns);
    return 0;
}

static int loader_init(struct loader *loader, const struct loader_config *cfg,
                       struct mo_err *err)
{
    loader->jobs = cfg->jobs > 0 ? cfg->jobs : 1;
    loader->mode = cfg->mode;
    loader->loader_id = cfg->loader_id;
    if (cfg->nids) {
        loader->ids = malloc(cfg->nids * sizeof *loader->ids);
        if (!loader->ids)
            return mo_err_set(err, "out_of_memory", "out of memory");
        memcpy(loader->ids, cfg->ids, cfg->nids * sizeof *loader->ids);
        loader->nids = cfg->nids;
    }
    struct loader_tuning *tu = &loader->shared.tuning;
    if (tu->max_line_bytes == 0)
        tu->max_line_bytes = LOADER_MAX_LINE;
    /* 2N+2 chunks in flight keep N parse threads busy on one file; within the budget,
     * fewer (at least four) before smaller (at least CHUNK_MIN) */
    int depth = 2 * loader->jobs + 2;
    size_t share = CHUNK_BUDGET / (size_t)loader->jobs;
    if (tu->chunk_bytes == 0) {
        tu->chunk_bytes = DEFAULT_CHUNK;
        while (depth > 4 && (size_t)depth * tu->chunk_bytes > share)
            depth--;
        if ((size_t)depth * tu->chunk_bytes > share)
            tu->chunk_bytes = share / (size_t)depth > CHUNK_MIN ? share / (size_t)depth : CHUNK_MIN;
    }
    loader->nslots = loader->jobs;
    loader->slots = calloc((size_t)loader->nslots, sizeof *loader->slots);
    if (!loader->slots)
        return mo_err_set(err, "out_of_memory", "out of memory");
    for (int i = 0; i < loader->nslots; i++) {
        struct slot *s = &loader->slots[i];
        s->loader = loader;
        s->ft.shared = &loader->shared;
        s->ft.depth = depth;
        pthread_mutex_init(&s->ft.cancel_mu, NULL);
        file_progress_init(&s->progress);
    }
    return connect_all(loader, err);
}

struct loader *loader_start(const struct loader_config *cfg, const struct load_events *ev,
                            struct mo_err *err)
{
    struct loader *loader = calloc(1, sizeof *loader);
    if (!loader) {
        mo_err_set(err, "out_of_memory", "out of memory");
        return NULL;
    }
    pthread_mutex_init(&loader->mu, NULL);
    pthread_cond_init(&loader->wake_cv, NULL);
    if (load_shared_init(&loader->shared, cfg, ev, err) < 0 ||
        loader_init(loader, cfg, err) < 0) {
        for (int i = 0; loader->slots && i < loader->nslots; i++)
            PQfinish(loader->slots[i].ft.conn);
        loader_free(loader);
        return NULL;
    }
    xsd_init(); /* before the file threads, which may parse XML at once */
    /* signals belong to the caller's thread */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    loader->pool = parsepool_start(loader->jobs, loader->shared.tuning.worker_nice);
    for (int i = 0; i < loader->nslots; i++)
        loader->slots[i].ft.pool = loader->pool;
    loader->lease_up = pthread_create(&loader->lease_thread, NULL, lease_main, loader) == 0;
    for (int i = 0; i < loader->nslots; i++)
        pthread_create(&loader->slots[i].thread, NULL, slot_main, &loader->slots[i]);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return loader;
}

int loader_add_file(struct loader *loader, int64_t file_id)
{
    pthread_mutex_lock(&loader->mu);
    for (size_t i = 0; i < loader->nids; i++)
        if (loader->ids[i] == file_id) {
            pthread_mutex_unlock(&loader->mu);
            return 0;
        }
    int64_t *ids = realloc(loader->ids, (loader->nids + 1) * sizeof *ids);
    if (ids) {
        ids[loader->nids++] = file_id;
        loader->ids = ids;
        loader->wake_gen++;
        pthread_cond_broadcast(&loader->wake_cv);
    }
    pthread_mutex_unlock(&loader->mu);
    return ids ? 0 : -1;
}

void loader_wake(struct loader *loader)
{
    pthread_mutex_lock(&loader->mu);
    loader->wake_gen++;
    pthread_cond_broadcast(&loader->wake_cv);
    pthread_mutex_unlock(&loader->mu);
}

void loader_stop(struct loader *loader)
{
    pthread_mutex_lock(&loader->mu);
    int first = !loader->stop;
    loader->stop = 1;
    atomic_store(&loader->shared.stop, 1);
    pthread_cond_broadcast(&loader->wake_cv);
    /* A file thread sees the stop at its next chunk; what its connection is doing on the
     * server (a COPY waiting on a lock, say) is cancelled so that it gets there. Only busy
     * threads: a cancelled claim would look like a database that cannot be used. */
    for (int i = 0; first && i < loader->nslots; i++)
        if (loader->slots[i].busy)
            file_thread_cancel(&loader->slots[i].ft);
    pthread_mutex_unlock(&loader->mu);
}

void loader_files_final(struct loader *loader)
{
    pthread_mutex_lock(&loader->mu);
    loader->files_final = 1;
    pthread_cond_broadcast(&loader->wake_cv);
    pthread_mutex_unlock(&loader->mu);
}

int loader_idle(struct loader *loader)
{
    pthread_mutex_lock(&loader->mu);
    int idle = loader->nidle >= loader->nslots;
    for (int i = 0; i < loader->nslots; i++)
        if (loader->slots[i].busy)
            idle = 0;
    pthread_mutex_unlock(&loader->mu);
    return idle;
}

int loader_gave_up(struct loader *loader)
{
    pthread_mutex_lock(&loader->mu);
    int all = 1;
    for (int i = 0; i < loader->nslots; i++)
        all &= loader->slots[i].gave_up;
    pthread_mutex_unlock(&loader->mu);
    return all;
}

void loader_wait(struct loader *loader, int ms)
{
    pthread_mutex_lock(&loader->mu);
    struct timespec ts;
    deadline_in(&ts, ms);
    pthread_cond_timedwait(&loader->wake_cv, &loader->mu, &ts);
    pthread_mutex_unlock(&loader->mu);
}

void loader_progress(struct loader *loader, struct load_progress *p)
{
    memset(p, 0, sizeof *p);
    pthread_mutex_lock(&loader->mu);
    for (int i = 0; i < loader->nslots; i++) {
        struct slot *s = &loader->slots[i];
        if (!s->busy)
            continue;
        p->active++;
        p->bytes_done += atomic_load(&s->progress.bytes_done);
        p->bytes_total += s->progress.bytes;
        p->rows += atomic_load(&s->progress.rows);
    }
    pthread_mutex_unlock(&loader->mu);
}

/* How long a stopping loader waits for its file threads before it gives their files back
 * itself: a read of a file on a hung network file system may never return. */
enum { STOP_GRACE_MS = 1000 };

/* Waits up to STOP_GRACE_MS for every file thread to return; how many did not. */
static int wait_ended(struct loader *loader)
{
    struct timespec ts;
    deadline_in(&ts, STOP_GRACE_MS);
    pthread_mutex_lock(&loader->mu);
    int left;
    for (;;) {
        left = 0;
        for (int i = 0; i < loader->nslots; i++)
            left += !loader->slots[i].ended;
        if (!left || pthread_cond_timedwait(&loader->wake_cv, &loader->mu, &ts) == ETIMEDOUT)
            break;
    }
    pthread_mutex_unlock(&loader->mu);
    return left;
}

/* File threads that did not return within the grace (stuck in a read of the file): their
 * files are given back from the control connection and reported released, and nothing
 * those threads say reaches the caller any more. Their transactions never commit: the
 * process exits with them, and the server rolls them back. */
static void give_back_stuck(struct loader *loader)
{
    struct load_shared *sh = &loader->shared;
    atomic_store(&sh->muted, 1);
    pthread_mutex_lock(&loader->mu);
    for (int i = 0; i < loader->nslots; i++) {
        struct slot *s = &loader->slots[i];
        if (s->ended || !s->busy)
            continue;
        struct mo_err err;
        mo_err_clear(&err);
        pthread_mutex_lock(&sh->ctl_mu);
        int got = sh->ctl ? queue_release(sh->ctl, s->progress.file_id, sh->owner,
                                          "loader stopped; back in the queue", &err) : -1;
        pthread_mutex_unlock(&sh->ctl_mu);
        if (got == 0 || !sh->ev.finished)
            continue; /* no longer this loader's: whoever has it reports it */
        struct load_report r = {
            .file_id = s->progress.file_id, .path = s->progress.path, .status = "released",
            .message = got > 0 ? "the loader stopped while a read of the file had not "
                       "returned: the file is back in the queue"
                       : "the loader stopped while a read of the file had not returned: "
                       "the file returns to the queue when its lease runs out",
        };
        sh->ev.finished(sh->ev.ctx, &r);
    }
    pthread_mutex_unlock(&loader->mu);
}

int loader_finish(struct loader *loader)
{
    loader_stop(loader);
    int gave_up = 0;
    if (wait_ended(loader) > 0) {
        give_back_stuck(loader);
        /* the stuck threads still use the loader: it is left to the process's exit */
        pthread_mutex_lock(&loader->mu);
        loader->lease_stop = 1;
        pthread_cond_broadcast(&loader->wake_cv);
        for (int i = 0; i < loader->nslots; i++)
            gave_up |= loader->slots[i].gave_up;
        pthread_mutex_unlock(&loader->mu);
        if (loader->lease_up)
            pthread_join(loader->lease_thread, NULL);
        return gave_up;
    }
    for (int i = 0; i < loader->nslots; i++) {
        pthread_join(loader->slots[i].thread, NULL);
        gave_up |= loader->slots[i].gave_up;
    }
    pthread_mutex_lock(&loader->mu);
    loader->lease_stop = 1;
    pthread_cond_broadcast(&loader->wake_cv);
    pthread_mutex_unlock(&loader->mu);
    parsepool_finish(loader->pool);
    if (loader->lease_up)
        pthread_join(loader->lease_thread, NULL);
    for (int i = 0; i < loader->nslots; i++) {
        PQfinish(loader->slots[i].ft.conn);
        file_thread_free(&loader->slots[i].ft);
    }
    loader_free(loader);
    return gave_up;
}
