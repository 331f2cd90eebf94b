/* load_session.c - see load_session.h. */
#include "backend/load_session.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <libpq-fe.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "backend/csvline.h"
#include "backend/db.h"
#include "backend/fetch.h"
#include "backend/filehash.h"
#include "backend/linesplit.h"
#include "backend/notify.h"
#include "backend/queue.h"
#include "backend/reader.h"
#include "backend/regxml.h"

/* What the session knows of one file it has heard of. */
struct file_rec {
    int64_t file_id;
    char status[16];        /* as last reported; "" while none */
    int64_t rows_rejected;
    bool own;               /* LOADER_FILES: one of the files the run waits for */
    bool touched;           /* some event about it reached the caller */
    bool running;           /* this process's engine is loading it */
    bool reported;          /* its `finished` reached the caller */
    bool final;             /* loaded, rejected or failed in the database */
};

struct load_session {
    struct load_session_config cfg;
    struct load_events user;        /* the caller's */
    struct load_events engine_ev;   /* the engine's: they note each file, then call user's */
    load_enqueued_fn on_enqueued;
    PGconn *conn;                   /* enqueueing, LISTEN, the job row */
    char owner[300];
    int64_t job_id;
    int64_t loader_id;          /* its meterops.loader row: heartbeat, stopped at close */
    struct loader *L;
    int inotify_fd;
    int ended_pipe[2];              /* a byte each time the engine reports a file ended, so
                                     * load_session_wait returns at once, not at its timeout */
    unsigned waits;
    int could_not_run;
    pthread_mutex_t mu;             /* recs: the engine's threads report into them */
    struct file_rec *recs;
    size_t nrecs, caprecs, nown;
    bool short_seen;                /* not LOADER_FILES: a file that ended came out short */
};

/* ---- what the session knows of each file ------------------------------------------------- */

/* The file's record, added when missing (NULL when out of memory); under s->mu. */
static struct file_rec *rec_get(struct load_session *s, int64_t file_id)
{
    for (size_t i = 0; i < s->nrecs; i++)
        if (s->recs[i].file_id == file_id)
            return &s->recs[i];
    if (s->nrecs == s->caprecs) {
        size_t cap = s->caprecs ? s->caprecs * 2 : 64;
        struct file_rec *n = realloc(s->recs, cap * sizeof *n);
        if (!n)
            return NULL;
        s->recs = n;
        s->caprecs = cap;
    }
    struct file_rec *r = &s->recs[s->nrecs++];
    memset(r, 0, sizeof *r);
    r->file_id = file_id;
    return r;
}

/* Final once committed: the file's own transaction wrote loaded or rejected. A failure
 * may not have reached the database (it stayed unreachable), so it is final only when
 * the file's row says so. */
static bool committed(const char *status)
{
    return strcmp(status, "loaded") == 0 || strcmp(status, "rejected") == 0;
}

static bool final_status(const char *status)
{
    return committed(status) || strcmp(status, "failed") == 0;
}

static void on_started(void *ctx, int64_t file_id, const char *path, int64_t bytes)
{
    struct load_session *s = ctx;
    pthread_mutex_lock(&s->mu);
    struct file_rec *r = rec_get(s, file_id);
    if (r) {
        r->touched = r->running = true;
        r->reported = false;
        r->status[0] = '\0';
    }
    pthread_mutex_unlock(&s->mu);
    if (s->user.started)
        s->user.started(s->user.ctx, file_id, path, bytes);
}

static void on_reject(void *ctx, int64_t file_id, const char *path, int64_t line, int column,
                      const char *code, const char *message)
{
    struct load_session *s = ctx;
    pthread_mutex_lock(&s->mu);
    struct file_rec *r = rec_get(s, file_id);
    if (r)
        r->touched = true;
    pthread_mutex_unlock(&s->mu);
    if (s->user.reject)
        s->user.reject(s->user.ctx, file_id, path, line, column, code, message);
}

static void note_finished(struct load_session *s, struct file_rec *r, const struct load_report *rep)
{
    r->touched = r->reported = true;
    r->running = false;
    snprintf(r->status, sizeof r->status, "%s", rep->status);
    r->rows_rejected = rep->rows_rejected;
}

/* Whether a file that ended so leaves the run short of a clean load: rejected, failed, or
 * loaded with rows rejected. One given back to the queue or taken over by another loader
 * does not count (the other loader reports it). */
static bool came_out_short(const char *status, int64_t rows_rejected)
{
    if (strcmp(status, "loaded") == 0 && rows_rejected == 0)
        return false;
    return strcmp(status, "released") != 0 && strcmp(status, "lost") != 0;
}

static void on_finished(void *ctx, const struct load_report *rep)
{
    struct load_session *s = ctx;
    pthread_mutex_lock(&s->mu);
    struct file_rec *r = rec_get(s, rep->file_id);
    if (r && s->cfg.mode != LOADER_FILES) {
        /* a daemon sees files without end: it keeps only whether one came out short */
        s->short_seen = s->short_seen || came_out_short(rep->status, rep->rows_rejected);
        *r = s->recs[--s->nrecs];
    } else if (r) {
        note_finished(s, r, rep);
        r->final = r->final || committed(rep->status);
        /* lost to a loader still at it, or back in the queue: its outcome is still to
         * come (settle_files, or this engine claims it again) */
        if (strcmp(rep->status, "lost") == 0)
            r->reported = false;
    }
    pthread_mutex_unlock(&s->mu);
    if (s->user.finished)
        s->user.finished(s->user.ctx, rep);
    (void)!write(s->ended_pipe[1], "", 1); /* full: a wake-up is pending anyway */
}

static void notice(struct load_session *s, const char *fmt, ...) MO_PRINTF(2, 3);
static void notice(struct load_session *s, const char *fmt, ...)
{
    if (!s->user.notice)
        return;
    char msg[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    s->user.notice(s->user.ctx, msg);
}

/* ---- files other loaders finish ------------------------------------------------------------ */

/* The run's files whose fate is not known here: not final, and not being loaded by this
 * process. "{...}" in buf (21 bytes per id plus 3); how many. */
static size_t unsettled_ids(struct load_session *s, char *buf)
{
    int64_t *ids = malloc((s->nrecs ? s->nrecs : 1) * sizeof *ids);
    size_t n = 0;
    if (!ids)
        return 0;
    for (size_t i = 0; i < s->nrecs; i++)
        if (s->recs[i].own && !s->recs[i].final && !s->recs[i].running)
            ids[n++] = s->recs[i].file_id;
    queue_id_array(ids, n, buf);
    free(ids);
    return n;
}

/* A final row of load/file_state: the file's `finished`, unless this run reported it or
 * its engine has it again. */
static void settle_row(struct load_session *s, const PGresult *res, int i)
{
    const char *status = PQgetvalue(res, i, 1);
    if (!final_status(status))
        return;
    const char *msg = PQgetvalue(res, i, 7);
    struct load_report rep = {
        .file_id = res_i64(res, i, 0, 0), .path = PQgetvalue(res, i, 2), .status = status,
        .rows_total = res_i64(res, i, 3, 0), .rows_loaded = res_i64(res, i, 4, 0),
        .rows_rejected = res_i64(res, i, 5, 0), .readings = res_i64(res, i, 6, 0),
        .seconds = strtod(PQgetvalue(res, i, 8), NULL), .message = msg[0] ? msg : NULL,
    };
    pthread_mutex_lock(&s->mu);
    struct file_rec *r = rec_get(s, rep.file_id);
    bool tell = r && !r->running && !r->reported;
    if (r && !r->running)
        r->final = true;
    if (tell)
        note_finished(s, r, &rep);
    pthread_mutex_unlock(&s->mu);
    if (tell && s->user.finished)
        s->user.finished(s->user.ctx, &rep);
}

/* Reads where the unsettled files stand; the connection is reset when it broke. */
static void settle_files(struct load_session *s)
{
    pthread_mutex_lock(&s->mu);
    char *arr = malloc(s->nrecs * 21 + 3);
    size_t n = arr ? unsettled_ids(s, arr) : 0;
    pthread_mutex_unlock(&s->mu);
    if (n == 0) {
        free(arr);
        return;
    }
    const char *p[1] = { arr };
    struct mo_err err;
    mo_err_clear(&err);
    PGresult *res = db_query(s->conn, SQL_LOAD_FILE_STATE, 1, p, &err);
    free(arr);
    if (!res) {
        if (PQstatus(s->conn) != CONNECTION_OK)
            PQreset(s->conn);
        return;
    }
    for (int i = 0; i < PQntuples(res); i++)
        settle_row(s, res, i);
    PQclear(res);
}

static bool all_final(struct load_session *s)
{
    bool all = true;
    pthread_mutex_lock(&s->mu);
    for (size_t i = 0; i < s->nrecs && all; i++)
        all = !s->recs[i].own || s->recs[i].final;
    pthread_mutex_unlock(&s->mu);
    return all;
}

/* ---- LISTEN ------------------------------------------------------------------------------------ */

static int listen_loads(struct load_session *s)
{
    struct mo_err err;
    mo_err_clear(&err);
    PGresult *res = db_query(s->conn, SQL_CONSOLE_LISTEN, 0, NULL, &err);
    PQclear(res);
    return res ? 0 : -1;
}

/* Drains NOTIFYs: 1 if one said a file is queued, 2 if only others came, 0 none. After a
 * lost connection is back, 1: something may have been queued meanwhile. */
static int take_notifies(struct load_session *s)
{
    if (!PQconsumeInput(s->conn)) {
        PQreset(s->conn);
        return PQstatus(s->conn) == CONNECTION_OK && listen_loads(s) == 0;
    }
    int heard = 0;
    PGnotify *nt;
    while ((nt = PQnotifies(s->conn))) {
        struct load_event ev;
        if (notify_parse_load(nt->extra, &ev) == 0 && strcmp(ev.status, "queued") == 0)
            heard = 1;
        else if (!heard)
            heard = 2;
        PQfreemem(nt);
    }
    return heard;
}

/* ---- enqueueing ----------------------------------------------------------------------------- */

/* A named file, read up to its first line before anything is enqueued. */
struct planned {
    const char *arg;
    char *path;             /* realpath; NULL when it failed (errno_ says why) */
    int errno_;
    int head_ok;
    struct mo_err err;      /* when !head_ok */
    int64_t bytes;
    const char *format;     /* forced, detected, or "unknown" */
    int stage;
};

/* The format whose header the first line is; NULL when none is. */
static const struct reader_format *detect(const struct filehash *h)
{
    struct linesplit ls;
    if (linesplit_init(&ls, ',') < 0)
        return NULL;
    const char *text = h->first_line;
    size_t len = csvline_trim(&text, h->first_len, 1);
    char **f;
    size_t *l;
    const struct reader_format *fmt = regxml_sniff(h->first_line, h->head_len);
    if (fmt) {
        linesplit_free(&ls);
        return fmt;
    }
    int n = linesplit_split(&ls, text, len, &f, &l, NULL);
    if (n > 0)
        fmt = reader_detect(f, l, n);
    linesplit_free(&ls);
    return fmt;
}

/* Reads the file's size and first line once: its format and stage come from them. An
 * unreadable file sorts last and is reported when its turn to be enqueued comes. */
static void plan_file(struct load_session *s, const char *arg, struct planned *p)
{
    memset(p, 0, sizeof *p);
    p->arg = arg;
    p->stage = READER_STAGE_READINGS;
    p->format = "unknown";
    p->path = realpath(arg, NULL);
    if (!p->path) {
        p->errno_ = errno;
        return;
    }
    struct filehash h;
    mo_err_clear(&p->err);
    p->head_ok = filehash_head(p->path, &h, &p->err) == 0;
    if (!p->head_ok)
        return;
    p->bytes = h.bytes;
    const struct reader_format *fmt =
        s->cfg.q.format ? reader_find(s->cfg.q.format) : detect(&h);
    if (fmt) {
        p->format = fmt->name;
        p->stage = fmt->stage;
    }
}

/* The file joins the run's files; the engine may claim it at once. */
static int add_own(struct load_session *s, int64_t file_id)
{
    pthread_mutex_lock(&s->mu);
    struct file_rec *r = rec_get(s, file_id);
    bool added = r && !r->own;
    if (added) {
        r->own = true;
        s->nown++;
    }
    pthread_mutex_unlock(&s->mu);
    if (!r)
        return -1;
    return added ? loader_add_file(s->L, file_id) : 0;
}

static void cannot_enqueue(struct load_session *s, const struct planned *p, const struct mo_err *err)
{
    char msg[900];
    mo_err_format(err, msg, sizeof msg);
    if (err->file[0])
        notice(s, "%s", msg);
    else
        notice(s, "%s: cannot enqueue: %s", p->path, msg);
}

/* Hashes the file when one of its size is known (only then can it be a copy), enqueues it
 * and tells the caller how. Returns the file id the run may wait on, 0 for none, -1 when
 * it could not be enqueued. */
static int64_t enqueue_planned(struct load_session *s, const struct planned *p)
{
    if (!p->path) {
        notice(s, "%s: %s", p->arg, strerror(p->errno_));
        return -1;
    }
    if (!p->head_ok) {
        cannot_enqueue(s, p, &p->err);
        return -1;
    }
    struct filehash h;
    struct mo_err err;
    mo_err_clear(&err);
    int seen = queue_size_seen(s->conn, p->bytes, &err);
    if (seen < 0 || (seen && filehash_file(p->path, &h, &err) < 0)) {
        cannot_enqueue(s, p, &err);
        return -1;
    }
    struct enqueue_result res;
    if (queue_enqueue(s->conn, s->job_id, p->path, seen ? h.sha256 : NULL, p->bytes, p->format,
                      p->stage, &s->cfg.q, &res, &err) < 0) {
        notice(s, "%s: cannot enqueue: %s", p->path, err.message);
        return -1;
    }
    if (s->on_enqueued)
        s->on_enqueued(s->user.ctx, p->path, &res);
    if (res.outcome == ENQUEUE_CONFLICT) {
        /* refused: the run does not end as if everything had loaded */
        pthread_mutex_lock(&s->mu);
        s->short_seen = true;
        pthread_mutex_unlock(&s->mu);
    }
    return res.outcome == ENQUEUE_SKIPPED || res.outcome == ENQUEUE_CONFLICT ? 0 : res.file_id;
}

static bool stopped(const struct load_session *s)
{
    return s->cfg.stop && *s->cfg.stop;
}

/* By stage, then in the given order (plan is in that order, so by address). */
static int by_stage(const void *a, const void *b)
{
    const struct planned *x = *(const struct planned *const *)a, *y = *(const struct planned *const *)b;
    if (x->stage != y->stage)
        return x->stage < y->stage ? -1 : 1;
    return x < y ? -1 : x > y;
}

size_t load_session_enqueue(struct load_session *s, char *const *paths, int n)
{
    size_t count = (size_t)(n > 0 ? n : 1);
    struct planned *plan = calloc(count, sizeof *plan);
    struct planned **order = calloc(count, sizeof *order);
    if (!plan || !order) {
        free(plan);
        free(order);
        s->could_not_run = 1;
        return 0;
    }
    for (int i = 0; i < n; i++) {
        plan_file(s, paths[i], &plan[i]);
        order[i] = &plan[i];
    }
    qsort(order, (size_t)n, sizeof *order, by_stage);
    for (int i = 0; i < n && !stopped(s); i++) {
        int64_t id = enqueue_planned(s, order[i]);
        if (id < 0 || (id > 0 && add_own(s, id) < 0))
            s->could_not_run = 1;
    }
    for (int i = 0; i < n; i++)
        free(plan[i].path);
    free(plan);
    free(order);
    return s->nown;
}

/* ---- the daemon's inbox ------------------------------------------------------------------------ */

/* A file that appeared in the inbox; the daemon waits on no particular file, and one it
 * cannot enqueue is only reported. */
static void enqueue_inbox(struct load_session *s, const char *name)
{
    if (name[0] == '.')
        return; /* hidden or temporary files: writers rename them in when done */
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", s->cfg.inbox, name);
    struct planned p;
    plan_file(s, path, &p);
    enqueue_planned(s, &p);
    free(p.path);
}

static int watch_inbox(struct load_session *s, struct mo_err *err)
{
    s->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (s->inotify_fd < 0 ||
        inotify_add_watch(s->inotify_fd, s->cfg.inbox, IN_CLOSE_WRITE | IN_MOVED_TO) < 0)
        return mo_err_set(err, "inbox", "cannot watch %s: %s", s->cfg.inbox, strerror(errno));
    return 0;
}

/* Files already waiting in the inbox (the loaded ones are skipped by sha256). */
static void scan_inbox(struct load_session *s)
{
    DIR *d = opendir(s->cfg.inbox);
    struct dirent *de;
    while (d && (de = readdir(d)))
        if (de->d_type == DT_REG || de->d_type == DT_UNKNOWN)
            enqueue_inbox(s, de->d_name);
    if (d)
        closedir(d);
    loader_wake(s->L);
}

static void read_inbox(struct load_session *s)
{
    char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t n;
    int any = 0;
    while ((n = read(s->inotify_fd, buf, sizeof buf)) > 0) {
        for (char *p = buf; p < buf + n;) {
            struct inotify_event *ev = (struct inotify_event *)p;
            if (ev->len && !(ev->mask & IN_ISDIR)) {
                enqueue_inbox(s, ev->name);
                any = 1;
            }
            p += sizeof *ev + ev->len;
        }
    }
    if (any)
        loader_wake(s->L);
}

/* ---- opening and closing ---------------------------------------------------------------------- */

/* The server's notices (a connection terminated by a restart, say) are not for the
 * operator's terminal: what matters is reported by the loader itself. */
static void quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static int connect_checked(struct load_session *s, struct mo_err *err)
{
    s->conn = db_connect(s->cfg.conninfo, &(const struct db_session){ .kind = DB_LOADER, .app_name = "meterops load" }, err);
    if (!s->conn)
        return -1;
    PQsetNoticeProcessor(s->conn, quiet_notices, NULL);
    PGresult *res = db_query(s->conn, SQL_LOAD_SCHEMA_READY, 0, NULL, err);
    bool ready = res && PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    if (res && !ready)
        mo_err_set(err, "schema", "schema meterops is missing: run meterops db migrate first");
    return ready ? 0 : -1;
}

static int start_job(struct load_session *s, struct mo_err *err)
{
    char host[256] = "localhost";
    gethostname(host, sizeof host - 1);
    snprintf(s->owner, sizeof s->owner, "%s:%d", host, (int)getpid());
    if (queue_job_start(s->conn, host, (int)getpid(), s->cfg.args ? s->cfg.args : "", &s->job_id,
                        err) < 0) {
        struct mo_err why = *err;
        return mo_err_set(err, why.code, "cannot record the load job: %s", why.message);
    }
    /* The registry of loaders (011_loaders.sql): the console and `status` tell a live
     * loader from one that is gone by its heartbeat, which the lease keeper sends. */
    const char *kind = s->cfg.mode == LOADER_DAEMON ? "daemon" : "once";
    int lease = s->cfg.lease_seconds > 0 ? s->cfg.lease_seconds : 60;
    if (queue_loader_register(s->conn, host, (int)getpid(), s->owner, kind, s->job_id, lease,
                              &s->loader_id, err) < 0) {
        struct mo_err why = *err, e2;
        queue_job_finish(s->conn, s->job_id, "failed", &e2);
        if (strcmp(why.code, "42P01") == 0) /* undefined_table: 011_loaders not applied */
            return mo_err_set(err, "schema", "schema meterops is older than this loader (no "
                              "meterops.loader): run meterops db migrate first");
        return mo_err_set(err, why.code, "cannot register the loader: %s", why.message);
    }
    return 0;
}

static void session_free(struct load_session *s)
{
    if (s->conn)
        PQfinish(s->conn);
    if (s->inotify_fd >= 0)
        close(s->inotify_fd);
    for (int i = 0; i < 2; i++)
        if (s->ended_pipe[i] >= 0)
            close(s->ended_pipe[i]);
    pthread_mutex_destroy(&s->mu);
    free(s->recs);
    free(s);
}

static void on_notice(void *ctx, const char *message)
{
    struct load_session *s = ctx;
    if (s->user.notice)
        s->user.notice(s->user.ctx, message);
}

/* The engine starts before any file is enqueued: each file can be claimed as soon as it
 * is queued, and loads while the next one is hashed. */
static int start_engine(struct load_session *s, struct mo_err *err)
{
    /* the engine keeps a pointer to its events: they live in s */
    s->engine_ev = (struct load_events){ s, on_started, on_reject, on_finished, on_notice };
    struct loader_config lc = {
        .conninfo = s->cfg.conninfo, .jobs = s->cfg.jobs, .lease_seconds = s->cfg.lease_seconds,
        .owner = s->owner, .mode = s->cfg.mode, .tuning = &s->cfg.tuning,
        .loader_id = s->loader_id,
    };
    s->L = loader_start(&lc, &s->engine_ev, err);
    if (!s->L) {
        struct mo_err e2;
        queue_job_finish(s->conn, s->job_id, "failed", &e2);
        queue_loader_stop(s->conn, s->loader_id, &e2);
        return -1;
    }
    return 0;
}

struct load_session *load_session_open(const struct load_session_config *cfg,
                                       const struct load_events *ev, load_enqueued_fn on_enqueued,
                                       struct mo_err *err)
{
    struct load_session *s = calloc(1, sizeof *s);
    if (!s) {
        mo_err_set(err, "out_of_memory", "out of memory");
        return NULL;
    }
    s->cfg = *cfg;
    s->user = *ev;
    s->on_enqueued = on_enqueued;
    s->inotify_fd = -1;
    pthread_mutex_init(&s->mu, NULL);
    if (pipe2(s->ended_pipe, O_NONBLOCK | O_CLOEXEC) < 0) {
        s->ended_pipe[0] = s->ended_pipe[1] = -1;
        mo_err_set(err, "system", "cannot make a pipe: %s", strerror(errno));
        session_free(s);
        return NULL;
    }
    if (connect_checked(s, err) < 0 || (cfg->inbox && watch_inbox(s, err) < 0) ||
        start_job(s, err) < 0 || start_engine(s, err) < 0) {
        session_free(s);
        return NULL;
    }
    if (cfg->mode == LOADER_DAEMON) {
        if (cfg->inbox)
            scan_inbox(s);
        listen_loads(s);
        notice(s, "daemon started (%s)%s%s", s->owner, cfg->inbox ? "; inbox " : "",
               cfg->inbox ? cfg->inbox : "");
    } else if (cfg->mode == LOADER_FILES) {
        listen_loads(s);
    }
    return s;
}

/* Waits for the wake fd, the LISTEN connection or the inbox; at most ms. Returns what
 * take_notifies says. */
static int wait_fds(struct load_session *s, int ms)
{
    struct pollfd pfd[4];
    int n = 0, wake = -1, ended = n;
    pfd[n++] = (struct pollfd){ s->ended_pipe[0], POLLIN, 0 };
    if (s->cfg.wake_fd >= 0) {
        wake = n;
        pfd[n++] = (struct pollfd){ s->cfg.wake_fd, POLLIN, 0 };
    }
    if (PQsocket(s->conn) >= 0)
        pfd[n++] = (struct pollfd){ PQsocket(s->conn), POLLIN, 0 };
    if (s->inotify_fd >= 0)
        pfd[n++] = (struct pollfd){ s->inotify_fd, POLLIN, 0 };
    if (poll(pfd, (nfds_t)n, ms) > 0 && wake >= 0 && (pfd[wake].revents & POLLIN)) {
        char buf[16];
        (void)!read(s->cfg.wake_fd, buf, sizeof buf);
    }
    if (pfd[ended].revents & POLLIN) {
        char buf[64];
        while (read(s->ended_pipe[0], buf, sizeof buf) > 0)
            ;
    }
    if (stopped(s))
        return 0;
    return take_notifies(s);
}

enum load_session_state load_session_wait(struct load_session *s, int ms)
{
    switch (s->cfg.mode) {
    case LOADER_DRAIN:
        loader_wait(s->L, ms);
        return loader_idle(s->L) ? LOAD_SESSION_DONE : LOAD_SESSION_RUNNING;
    case LOADER_DAEMON:
        if (wait_fds(s, ms) == 1)
            loader_wake(s->L);
        if (s->inotify_fd >= 0 && !stopped(s))
            read_inbox(s);
        return LOAD_SESSION_RUNNING;
    case LOADER_FILES:
        break;
    }
    int heard = wait_fds(s, ms);
    if (stopped(s))
        return LOAD_SESSION_RUNNING;
    /* Other loaders' files are read when a NOTIFY came, and about once a second in case
     * one was missed while the connection was away. */
    if (!all_final(s) && (heard || ++s->waits % 5 == 1))
        settle_files(s);
    if (all_final(s)) {
        loader_files_final(s->L);
        return LOAD_SESSION_DONE;
    }
    return loader_gave_up(s->L) ? LOAD_SESSION_GAVE_UP : LOAD_SESSION_RUNNING;
}

void load_session_progress(struct load_session *s, struct load_progress *p)
{
    loader_progress(s->L, p);
}

/* Whether some file of the run came out short (came_out_short); a file that only
 * started counts too. */
static int files_short(struct load_session *s)
{
    pthread_mutex_lock(&s->mu);
    bool short_ = s->short_seen;
    for (size_t i = 0; i < s->nrecs && !short_; i++) {
        const struct file_rec *r = &s->recs[i];
        if (r->touched && (s->cfg.mode != LOADER_FILES || r->own))
            short_ = came_out_short(r->status, r->rows_rejected);
    }
    pthread_mutex_unlock(&s->mu);
    return short_;
}

void load_session_close(struct load_session *s, int interrupted, struct load_session_result *out)
{
    bool nothing = s->cfg.mode == LOADER_FILES && s->nown == 0;
    if (nothing)
        loader_files_final(s->L);
    else
        loader_stop(s->L);
    out->gave_up = loader_finish(s->L) != 0;
    out->could_not_run = s->could_not_run;
    out->files_short = files_short(s);
    bool failed = nothing ? s->could_not_run
                          : out->gave_up || (interrupted && s->cfg.mode != LOADER_DAEMON);
    struct mo_err err;
    mo_err_clear(&err);
    if (queue_job_finish(s->conn, s->job_id, failed ? "failed" : "done", &err) < 0 && !nothing &&
        !out->gave_up)
        notice(s, "cannot close the load job: %s", err.message);
    mo_err_clear(&err);
    if (queue_loader_stop(s->conn, s->loader_id, &err) < 0 && !out->gave_up)
        notice(s, "cannot mark the loader stopped: %s", err.message);
    session_free(s);
}
