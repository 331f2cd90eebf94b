/* loader.c - the engine's threads: parse threads, file threads (one connection each) and
 * the lease keeper, and the control connection they share for short statements. */
#include "backend/loader.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "backend/db.h"
#include "backend/halfhour.h"
#include "backend/loadint.h"
#include "backend/sql.h"

#define DEFAULT_CHUNK ((size_t)2 << 20)
#define DEFAULT_DAY_BUDGET ((size_t)32 << 20)

void loader_notice(struct loader *L, const char *fmt, ...)
{
    char buf[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    /* libpq's messages run over several lines; a notice is one */
    char *o = buf;
    for (char *p = buf; *p; p++) {
        if (*p == '\n' || *p == '\t') {
            if (o > buf && o[-1] != ' ')
                *o++ = ' ';
        } else {
            *o++ = *p;
        }
    }
    while (o > buf && o[-1] == ' ')
        o--;
    *o = '\0';
    if (L->ev && L->ev->notice)
        L->ev->notice(L->ev->ctx, buf);
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

static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* ---- parse threads ------------------------------------------------------------------ */

void loader_dispatch(struct loader *L, struct chunk *c)
{
    pthread_mutex_lock(&L->mu);
    c->done = 0;
    c->next = NULL;
    if (L->qtail)
        L->qtail->next = c;
    else
        L->qhead = c;
    L->qtail = c;
    pthread_cond_signal(&L->work_cv);
    pthread_mutex_unlock(&L->mu);
}

void loader_wait_chunk(struct loader *L, struct chunk *c)
{
    pthread_mutex_lock(&L->mu);
    while (!c->done)
        pthread_cond_wait(&c->f->done_cv, &L->mu);
    pthread_mutex_unlock(&L->mu);
}

int loader_chunk_done(struct loader *L, const struct chunk *c)
{
    pthread_mutex_lock(&L->mu);
    int done = c->done;
    pthread_mutex_unlock(&L->mu);
    return done;
}

/* The first chunk a parse thread may take: any chunk of a parallel format; for a format
 * read in order, only the file's next chunk, and only when no thread has one of it. */
static struct chunk *take_chunk(struct loader *L)
{
    struct chunk *prev = NULL;
    for (struct chunk *c = L->qhead; c; prev = c, c = c->next) {
        struct fileload *f = c->f;
        if (!f->parallel && (f->parsing || c->seq != f->next_parse_seq))
            continue;
        if (prev)
            prev->next = c->next;
        else
            L->qhead = c->next;
        if (L->qtail == c)
            L->qtail = prev;
        c->next = NULL;
        return c;
    }
    return NULL;
}

/* The server's COPY of a file is the one stage that cannot be spread over threads; when
 * it shares the host's cores with the parse and hashing threads, it should win. A lower
 * priority costs those threads nothing when cores are free. (Linux: a thread's own nice
 * value; MO_LOAD_PARSE_NICE overrides the 10.) */
int loader_worker_nice(void)
{
    const char *nv = getenv("MO_LOAD_PARSE_NICE");
    return nv ? atoi(nv) : 10;
}

static void *parser_main(void *arg)
{
    struct loader *L = arg;
    setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), loader_worker_nice());
    struct parser p;
    int ok = parser_init(&p) == 0;
    pthread_mutex_lock(&L->mu);
    for (;;) {
        struct chunk *c = take_chunk(L);
        if (!c) {
            if (L->parsers_stop)
                break;
            pthread_cond_wait(&L->work_cv, &L->mu);
            continue;
        }
        struct fileload *f = c->f;
        if (!f->parallel)
            f->parsing = 1;
        pthread_mutex_unlock(&L->mu);
        if (ok)
            parse_chunk(&p, c);
        else
            c->oom = 1;
        pthread_mutex_lock(&L->mu);
        c->done = 1;
        if (!f->parallel) {
            f->parsing = 0;
            f->next_parse_seq++;
            pthread_cond_broadcast(&L->work_cv);
        }
        pthread_cond_broadcast(&f->done_cv);
    }
    pthread_mutex_unlock(&L->mu);
    parser_free(&p);
    return NULL;
}

/* ---- connections -------------------------------------------------------------------- */

/* Server messages reach the operator through the loader's own errors and notices, not
 * through libpq printing them on stderr. */
static void quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static PGconn *connect_limited(struct loader *L, const char *app, struct mo_err *err)
{
    const struct db_session session = { .kind = DB_LOADER, .app_name = app };
    PGconn *c = db_connect(L->conninfo, &session, err);
    if (!c)
        return NULL;
    PQsetNoticeProcessor(c, quiet_notices, NULL);
    return c;
}

int loader_reconnect(struct loader *L, PGconn **conn, const char *what)
{
    int wait = 500, total = 0;
    struct mo_err err;
    for (;;) {
        if (*conn && PQstatus(*conn) == CONNECTION_OK)
            return 0;
        PQfinish(*conn);
        *conn = NULL;
        mo_err_clear(&err);
        *conn = connect_limited(L, what, &err);
        if (*conn) {
            loader_notice(L, "connected to the database again (%s)", what);
            return 0;
        }
        pthread_mutex_lock(&L->mu);
        int stop = L->stop;
        pthread_mutex_unlock(&L->mu);
        if (stop || total >= 120000) {
            loader_notice(L, "giving up reconnecting (%s): %s", what, err.message);
            return -1;
        }
        if (total == 0) /* one notice per outage, not one per attempt */
            loader_notice(L, "cannot reach the database (%s): %s; retrying for up to two "
                          "minutes", what, err.message);
        sleep_ms(wait);
        total += wait;
        wait = wait * 2 > 10000 ? 10000 : wait * 2;
    }
}

/* Runs fn on the control connection, reconnecting once if it was lost. */
static PGresult *ctl_query(struct loader *L, enum sql_query name, int n, const char *const *p,
                           struct mo_err *err)
{
    pthread_mutex_lock(&L->ctl_mu);
    PGresult *res = NULL;
    for (int tries = 0; tries < 2; tries++) {
        if (!L->ctl || PQstatus(L->ctl) != CONNECTION_OK) {
            PQfinish(L->ctl);
            L->ctl = connect_limited(L, "meterops load (control)", err);
            if (!L->ctl)
                break;
        }
        res = db_query(L->ctl, name, n, p, err);
        if (res || PQstatus(L->ctl) == CONNECTION_OK)
            break;
    }
    pthread_mutex_unlock(&L->ctl_mu);
    return res;
}

int loader_ensure_partition(void *ctx, int64_t day, struct mo_err *err)
{
    struct loader *L = ctx;
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    char from[16], to[16];
    snprintf(from, sizeof from, "%04d-%02d-01", y, m);
    snprintf(to, sizeof to, "%04d-%02d-%02d", y, m, days_in_month(y, m));
    const char *p[2] = { from, to };
    PGresult *res = ctl_query(L, SQL_LOAD_ENSURE_PARTITIONS, 2, p, err);
    if (!res)
        return -1;
    if (atoi(PQgetvalue(res, 0, 0)) > 0)
        loader_notice(L, "made the reading_day partition for %04d-%02d", y, m);
    PQclear(res);
    return 0;
}

int loader_next_ids(void *ctx, int64_t *ids, int n, struct mo_err *err)
{
    struct loader *L = ctx;
    char sn[16];
    snprintf(sn, sizeof sn, "%d", n);
    const char *p[1] = { sn };
    PGresult *res = ctl_query(L, SQL_LOAD_METER_IDS, 1, p, err);
    if (!res)
        return -1;
    for (int i = 0; i < n && i < PQntuples(res); i++)
        ids[i] = strtoll(PQgetvalue(res, i, 0), NULL, 10);
    PQclear(res);
    return 0;
}

/* ---- the lease keeper ----------------------------------------------------------------- */

struct held {
    int64_t file_id, progress;
    int attempt;
};

static void *lease_main(void *arg)
{
    struct loader *L = arg;
    int period = L->lease_seconds * 1000 / 3;
    if (period > 1000)
        period = 1000;
    if (period < 100)
        period = 100;
    struct held *held = calloc((size_t)L->nslots, sizeof *held);
    pthread_mutex_lock(&L->mu);
    while (!L->lease_stop) {
        struct timespec ts;
        deadline_in(&ts, period);
        pthread_cond_timedwait(&L->wake_cv, &L->mu, &ts);
        if (L->lease_stop)
            break;
        int n = 0;
        for (int i = 0; i < L->nslots && held; i++) {
            struct fileload *f = L->slots[i].cur;
            if (f)
                held[n++] = (struct held){ f->claim.file_id, atomic_load(&f->progress_rows),
                                           f->claim.attempt };
        }
        pthread_mutex_unlock(&L->mu);
        for (int i = 0; i < n; i++) {
            struct mo_err err;
            mo_err_clear(&err);
            if (!L->lease_conn || PQstatus(L->lease_conn) != CONNECTION_OK) {
                PQfinish(L->lease_conn);
                L->lease_conn = connect_limited(L, "meterops load (lease)", &err);
                if (!L->lease_conn)
                    break; /* the file threads report the outage; try again next tick */
            }
            int r = queue_renew(L->lease_conn, held[i].file_id, L->owner, held[i].attempt,
                                L->lease_seconds, held[i].progress, &err);
            if (r == 0) {
                pthread_mutex_lock(&L->mu);
                for (int k = 0; k < L->nslots; k++) {
                    struct fileload *f = L->slots[k].cur;
                    if (f && f->claim.file_id == held[i].file_id &&
                        f->claim.attempt == held[i].attempt)
                        atomic_store(&f->claim_lost, 1);
                }
                pthread_mutex_unlock(&L->mu);
            }
        }
        pthread_mutex_lock(&L->mu);
    }
    pthread_mutex_unlock(&L->mu);
    free(held);
    return NULL;
}

/* ---- file threads -------------------------------------------------------------------- */

static int slot_claim(struct slot *s, struct claimed_file *cf)
{
    struct loader *L = s->L;
    for (;;) {
        struct mo_err err;
        mo_err_clear(&err);
        if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
            if (loader_reconnect(L, &s->conn, "file connection") < 0)
                return -1;
        }
        /* LOADER_FILES: the run's files so far (more may be added while it runs) */
        int64_t *ids = NULL;
        size_t nids = 0;
        if (L->mode == LOADER_FILES) {
            pthread_mutex_lock(&L->mu);
            nids = L->nids;
            ids = malloc((nids ? nids : 1) * sizeof *ids);
            if (ids && nids)
                memcpy(ids, L->ids, nids * sizeof *ids);
            pthread_mutex_unlock(&L->mu);
            if (!ids)
                return -1;
            if (nids == 0) {
                free(ids);
                return 0;
            }
        }
        int r = queue_claim(s->conn, L->owner, L->lease_seconds, ids, nids, cf, &err);
        free(ids);
        if (r >= 0)
            return r;
        if (db_conn_ok(s->conn)) {
            loader_notice(L, "cannot claim a file: %s", err.message);
            return -1;
        }
    }
}

static void *slot_main(void *arg)
{
    struct slot *s = arg;
    struct loader *L = s->L;
    for (;;) {
        pthread_mutex_lock(&L->mu);
        int done = L->stop || (L->mode == LOADER_FILES && L->files_final);
        uint64_t gen = L->wake_gen;
        pthread_mutex_unlock(&L->mu);
        if (done)
            break;
        struct claimed_file cf;
        int r = slot_claim(s, &cf);
        if (r < 0) {
            pthread_mutex_lock(&L->mu);
            s->gave_up = 1;
            pthread_mutex_unlock(&L->mu);
            break;
        }
        if (r > 0) {
            int rc = loadfile(s, &cf);
            queue_claimed_free(&cf);
            if (rc < 0) {
                pthread_mutex_lock(&L->mu);
                s->gave_up = 1;
                pthread_mutex_unlock(&L->mu);
                break;
            }
            continue;
        }
        /* nothing to claim: wait for a wake-up (or look again in a second) */
        pthread_mutex_lock(&L->mu);
        L->nidle++;
        pthread_cond_broadcast(&L->wake_cv);
        struct timespec ts;
        deadline_in(&ts, 1000);
        while (!L->stop && L->wake_gen == gen && !(L->mode == LOADER_FILES && L->files_final))
            if (pthread_cond_timedwait(&L->wake_cv, &L->mu, &ts) == ETIMEDOUT)
                break;
        L->nidle--;
        pthread_mutex_unlock(&L->mu);
    }
    pthread_mutex_lock(&L->mu);
    L->nidle++;
    L->nexited++;
    pthread_cond_broadcast(&L->wake_cv);
    pthread_mutex_unlock(&L->mu);
    return NULL;
}

/* ---- the engine ---------------------------------------------------------------------- */

static size_t env_size(const char *name, size_t dflt)
{
    const char *v = getenv(name);
    long long n = v ? atoll(v) : 0;
    return n > 0 ? (size_t)n : dflt;
}

/* What loader_start made besides the slots' connections and threads. */
static void loader_free(struct loader *L)
{
    PQfinish(L->ctl);
    PQfinish(L->lease_conn);
    free(L->parsers);
    free(L->slots);
    free(L->conninfo);
    free(L->owner);
    free(L->ids);
    free(L->ev);
    pthread_mutex_destroy(&L->mu);
    pthread_mutex_destroy(&L->ctl_mu);
    pthread_cond_destroy(&L->work_cv);
    pthread_cond_destroy(&L->wake_cv);
    free(L);
}

struct loader *loader_start(const struct loader_config *cfg, const struct load_events *ev,
                            struct mo_err *err)
{
    struct loader *L = calloc(1, sizeof *L);
    if (!L) {
        mo_err_set(err, "out_of_memory", "out of memory");
        return NULL;
    }
    L->conninfo = cfg->conninfo ? strdup(cfg->conninfo) : NULL;
    L->owner = strdup(cfg->owner);
    L->jobs = cfg->jobs > 0 ? cfg->jobs : 1;
    L->lease_seconds = cfg->lease_seconds > 0 ? cfg->lease_seconds : 60;
    L->mode = cfg->mode;
    L->ev = malloc(sizeof *L->ev);
    if (L->ev)
        *L->ev = *ev;
    if (cfg->nids) {
        L->ids = malloc(cfg->nids * sizeof *L->ids);
        if (L->ids)
            memcpy(L->ids, cfg->ids, cfg->nids * sizeof *L->ids);
        L->nids = cfg->nids;
    }
    L->chunk_bytes = env_size("MO_LOAD_CHUNK_BYTES", DEFAULT_CHUNK);
    size_t days = env_size("MO_LOAD_OPEN_DAYS", 0);
    L->day_budget = days ? days * daytab_day_bytes(48) : DEFAULT_DAY_BUDGET;
    if (L->day_budget < 2 * daytab_day_bytes(96))
        L->day_budget = 2 * daytab_day_bytes(96);
    L->throttle_ms = (int)env_size("MO_LOAD_THROTTLE_MS", 0);
    pthread_mutex_init(&L->mu, NULL);
    pthread_mutex_init(&L->ctl_mu, NULL);
    pthread_cond_init(&L->work_cv, NULL);
    pthread_cond_init(&L->wake_cv, NULL);
    if (!L->owner || !L->ev || (cfg->nids && !L->ids)) {
        mo_err_set(err, "out_of_memory", "out of memory");
        goto fail;
    }
    /* every connection up front, made in parallel: a loader that cannot reach the
     * database says so at once */
    L->nslots = L->jobs;
    L->slots = calloc((size_t)L->nslots, sizeof *L->slots);
    int nconn = L->nslots + 2;
    PGconn **conns = calloc((size_t)nconn, sizeof *conns);
    const char **apps = calloc((size_t)nconn, sizeof *apps);
    if (!L->slots || !conns || !apps) {
        free(conns);
        free(apps);
        mo_err_set(err, "out_of_memory", "out of memory");
        goto fail;
    }
    apps[0] = "meterops load (control)";
    apps[1] = "meterops load (lease)";
    for (int i = 0; i < L->nslots; i++)
        apps[2 + i] = "meterops load";
    int crc = db_connect_many(L->conninfo, &(const struct db_session){ .kind = DB_LOADER },
                              apps, nconn, conns, err);
    free(apps);
    if (crc < 0) {
        free(conns);
        goto fail;
    }
    for (int i = 0; i < nconn; i++)
        PQsetNoticeProcessor(conns[i], quiet_notices, NULL);
    L->ctl = conns[0];
    L->lease_conn = conns[1];
    for (int i = 0; i < L->nslots; i++) {
        L->slots[i].L = L;
        L->slots[i].index = i;
        L->slots[i].conn = conns[2 + i];
    }
    free(conns);
    /* signals belong to the caller's thread */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    L->nparsers = L->jobs;
    L->parsers = calloc((size_t)L->nparsers, sizeof *L->parsers);
    int started = 0;
    for (int i = 0; L->parsers && i < L->nparsers; i++, started++)
        if (pthread_create(&L->parsers[i], NULL, parser_main, L) != 0)
            break;
    L->nparsers = started;
    pthread_create(&L->lease_thread, NULL, lease_main, L);
    for (int i = 0; i < L->nslots; i++)
        pthread_create(&L->slots[i].thread, NULL, slot_main, &L->slots[i]);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return L;
fail:
    for (int i = 0; L->slots && i < L->nslots; i++)
        PQfinish(L->slots[i].conn);
    loader_free(L);
    return NULL;
}

int loader_add_file(struct loader *L, int64_t file_id)
{
    pthread_mutex_lock(&L->mu);
    for (size_t i = 0; i < L->nids; i++)
        if (L->ids[i] == file_id) {
            pthread_mutex_unlock(&L->mu);
            return 0;
        }
    int64_t *ids = realloc(L->ids, (L->nids + 1) * sizeof *ids);
    if (ids) {
        ids[L->nids++] = file_id;
        L->ids = ids;
        L->wake_gen++;
        pthread_cond_broadcast(&L->wake_cv);
    }
    pthread_mutex_unlock(&L->mu);
    return ids ? 0 : -1;
}

void loader_wake(struct loader *L)
{
    pthread_mutex_lock(&L->mu);
    L->wake_gen++;
    pthread_cond_broadcast(&L->wake_cv);
    pthread_mutex_unlock(&L->mu);
}

void loader_stop(struct loader *L)
{
    pthread_mutex_lock(&L->mu);
    L->stop = 1;
    pthread_cond_broadcast(&L->wake_cv);
    pthread_mutex_unlock(&L->mu);
}

void loader_files_final(struct loader *L)
{
    pthread_mutex_lock(&L->mu);
    L->files_final = 1;
    pthread_cond_broadcast(&L->wake_cv);
    pthread_mutex_unlock(&L->mu);
}

int loader_idle(struct loader *L)
{
    pthread_mutex_lock(&L->mu);
    int idle = L->nidle >= L->nslots;
    for (int i = 0; i < L->nslots; i++)
        if (L->slots[i].cur)
            idle = 0;
    pthread_mutex_unlock(&L->mu);
    return idle;
}

int loader_gave_up(struct loader *L)
{
    pthread_mutex_lock(&L->mu);
    int all = 1;
    for (int i = 0; i < L->nslots; i++)
        all &= L->slots[i].gave_up;
    pthread_mutex_unlock(&L->mu);
    return all;
}

void loader_wait(struct loader *L, int ms)
{
    pthread_mutex_lock(&L->mu);
    struct timespec ts;
    deadline_in(&ts, ms);
    pthread_cond_timedwait(&L->wake_cv, &L->mu, &ts);
    pthread_mutex_unlock(&L->mu);
}

void loader_progress(struct loader *L, struct load_progress *p)
{
    memset(p, 0, sizeof *p);
    pthread_mutex_lock(&L->mu);
    for (int i = 0; i < L->nslots; i++) {
        struct fileload *f = L->slots[i].cur;
        if (!f)
            continue;
        p->active++;
        p->bytes_done += atomic_load(&f->bytes_done);
        p->bytes_total += f->claim.bytes;
        p->rows += atomic_load(&f->progress_rows);
    }
    pthread_mutex_unlock(&L->mu);
}

int loader_finish(struct loader *L)
{
    loader_stop(L);
    int gave_up = 0;
    for (int i = 0; i < L->nslots; i++) {
        pthread_join(L->slots[i].thread, NULL);
        gave_up |= L->slots[i].gave_up;
    }
    pthread_mutex_lock(&L->mu);
    L->parsers_stop = 1;
    L->lease_stop = 1;
    pthread_cond_broadcast(&L->work_cv);
    pthread_cond_broadcast(&L->wake_cv);
    pthread_mutex_unlock(&L->mu);
    for (int i = 0; i < L->nparsers; i++)
        pthread_join(L->parsers[i], NULL);
    pthread_join(L->lease_thread, NULL);
    for (int i = 0; i < L->nslots; i++) {
        struct slot *s = &L->slots[i];
        PQfinish(s->conn);
        for (int k = 0; k < s->nchunks; k++) {
            struct chunk *c = &s->chunks[k];
            free(c->buf);
            free(c->rows);
            free(c->rds);
            free(c->errs);
            free(c->pool);
        }
        free(s->chunks);
        free(s->carry);
    }
    loader_free(L);
    return gave_up;
}
