/* loadfile.c - the driver of one claimed file, start to finish, on its file thread's
 * connection (loadfile.h). It owns the loop over attempts and calls each stage, which
 * returns to it: open the file, read and check the header, load the registry, open the
 * transaction, read the file in chunks through the parse pool and hand them in order to
 * the assembler (pass 1, and phase 2 when the file was not contiguous by meter-day), then
 * decide: rejected when too many rows failed (roll the readings back, keep the errors),
 * else loaded. Either way the status, counts and load_error rows commit in the same
 * transaction as the readings.
 *
 * Retries: a lost connection (server restart) is restored with backoff and the file is
 * read again from the start, the failed transaction having left nothing; deadlocks,
 * serialization failures and meter ids registered concurrently are retried a few times;
 * anything else marks the file failed with the reason. */
#include "backend/loadfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backend/assemble.h"
#include "backend/db.h"
#include "backend/fileheader.h"
#include "backend/filehash.h"
#include "backend/hashpipe.h"
#include "backend/loaddoc.h"
#include "backend/loadreg.h"
#include "backend/mpan.h"
#include "backend/shardwriter.h"
#include "backend/sql.h"
#include "backend/validate.h"

/* Bytes of a line over the limit kept as its raw text in load_error. */
#define LONG_LINE_KEEP 200

/* How an attempt ended: the file is final (ATTEMPT_OK), or what to do next. */
enum attempt_result {
    ATTEMPT_OK,         /* a final status was committed */
    ATTEMPT_CONN,       /* the connection was lost: reconnect and read the file again */
    ATTEMPT_RETRY,      /* deadlock, serialization failure, concurrent meter: again */
    ATTEMPT_FAIL,       /* the file is failed, with the reason */
    ATTEMPT_STOPPED,    /* the loader is stopping: give the file back */
    ATTEMPT_LOST,       /* the lease ran out: another loader has the file */
    ATTEMPT_EARLY,      /* pass 1 stopped: the reject ratio can no longer be met */
    ATTEMPT_COORD,      /* straight to the workers met stored meter-days: again, through
                         * the coordinator */
    ATTEMPT_REFUSED,    /* a document is refused as a whole (f->refusal says why) */
    ATTEMPT_REBALANCE,  /* Citus: a shard rebalance refused a new partition: wait, again */
};

struct outcome {
    const char *status;
    int64_t rows_total, rows_loaded, rows_rejected, readings;
    char message[600];
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- what the thread pool sees of the file ------------------------------------------ */

void file_progress_init(struct file_progress *p)
{
    memset(p, 0, sizeof *p);
    pthread_mutex_init(&p->mu, NULL);
}

void file_progress_destroy(struct file_progress *p)
{
    pthread_mutex_destroy(&p->mu);
}

void file_progress_start(struct file_progress *p, const struct claimed_file *cf)
{
    pthread_mutex_lock(&p->mu);
    p->file_id = cf->file_id;
    p->bytes = cf->bytes;
    p->path = cf->path;
    p->attempt = cf->attempt;
    atomic_store(&p->rows, 0);
    atomic_store(&p->bytes_done, 0);
    atomic_store(&p->claim_lost, 0);
    pthread_mutex_unlock(&p->mu);
}

void file_progress_claim(struct file_progress *p, int64_t *file_id, int *attempt)
{
    pthread_mutex_lock(&p->mu);
    *file_id = p->file_id;
    *attempt = p->attempt;
    pthread_mutex_unlock(&p->mu);
}

void file_progress_lost(struct file_progress *p, int64_t file_id, int attempt)
{
    pthread_mutex_lock(&p->mu);
    if (p->file_id == file_id && p->attempt == attempt)
        atomic_store(&p->claim_lost, 1);
    pthread_mutex_unlock(&p->mu);
}

/* The file was claimed again for a new attempt: the lease keeper renews that one. */
static void progress_new_attempt(struct file_progress *p, int attempt)
{
    pthread_mutex_lock(&p->mu);
    p->attempt = attempt;
    atomic_store(&p->claim_lost, 0);
    pthread_mutex_unlock(&p->mu);
}

void file_thread_free(struct file_thread *t)
{
    for (int k = 0; t->chunks && k < t->depth; k++) {
        struct chunk *c = &t->chunks[k];
        free(c->buf);
        free(c->rows);
        free(c->rds);
        free(c->errs);
        free(c->tally);
        free(c->pool);
    }
    free(t->chunks);
    free(t->carry);
    t->chunks = NULL;
    t->carry = NULL;
    PQfreeCancel(t->cancel);
    t->cancel = NULL;
}

/* The cancel key of the connection the attempt runs on (a reconnect makes a new one). */
static void cancel_refresh(struct file_thread *t)
{
    int pid = t->conn ? PQbackendPID(t->conn) : 0;
    if (pid == t->cancel_pid)
        return;
    PGcancel *c = pid ? PQgetCancel(t->conn) : NULL;
    pthread_mutex_lock(&t->cancel_mu);
    PGcancel *old = t->cancel;
    t->cancel = c;
    t->cancel_pid = pid;
    pthread_mutex_unlock(&t->cancel_mu);
    PQfreeCancel(old);
}

void file_thread_cancel(struct file_thread *t)
{
    char why[256];
    pthread_mutex_lock(&t->cancel_mu);
    if (t->cancel)
        (void)PQcancel(t->cancel, why, sizeof why);
    pthread_mutex_unlock(&t->cancel_mu);
}

/* The caller must own conn: no COPY sender may be using it (stopped_classify). A lost
 * server is retried, not taken for a failed file, even when libpq has not noticed yet
 * (db_conn_ok). */
static int classify(PGconn *conn, const struct mo_err *err)
{
    if (!db_conn_ok(conn))
        return ATTEMPT_CONN;
    const char *c = err->code;
    if (strcmp(c, "citus_merge") == 0)
        return ATTEMPT_COORD;
    if (strcmp(c, "citus_shards") == 0)
        return ATTEMPT_RETRY; /* the shard map changed (a rebalance): read it again */
    if (strncmp(c, "08", 2) == 0 || strcmp(c, "57P01") == 0 || strcmp(c, "57P02") == 0 ||
        strcmp(c, "57P03") == 0)
        return ATTEMPT_CONN;
    if (strcmp(c, "40001") == 0 || strcmp(c, "40P01") == 0 || strcmp(c, "23505") == 0 ||
        strcmp(c, "55P03") == 0)
        return ATTEMPT_RETRY;
    /* On Citus a new monthly partition is a new colocated table, which a running shard
     * rebalance (or move) refuses at once. Waiting inside the attempt could deadlock: its
     * transaction may hold a shard the rebalance is about to move. */
    if (strcmp(c, "XX000") == 0 &&
        strstr(err->message, "could not acquire the lock required to colocate") != NULL)
        return ATTEMPT_REBALANCE;
    return ATTEMPT_FAIL;
}

/* classify for a failure in the middle of a pass, when the COPY sender may still be
 * streaming on the connection: it is stopped first (the attempt is over anyway). */
static int stopped_classify(struct writer *w, PGconn *conn, const struct mo_err *err)
{
    writer_abort(w);
    return classify(conn, err);
}

/* ---- read: the file in chunks ---------------------------------------------------------- */

static int ensure_chunks(struct file_thread *t)
{
    if (t->chunks)
        return 0;
    t->chunks = calloc((size_t)t->depth, sizeof *t->chunks);
    return t->chunks ? 0 : -1;
}

static int grow_buf(char **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 4096;
    while (c < need)
        c *= 2;
    char *b = realloc(*buf, c);
    if (!b)
        return -1;
    *buf = b;
    *cap = c;
    return 0;
}

/* One pass's pipeline: chunks read ahead and parsed on the pool, taken back in order. */
struct pass {
    struct file_thread *t;
    struct fileload *f;
    struct hashpipe *hp;
    uint64_t seq, next;         /* next chunk to read, next to take back */
    int64_t line;               /* the file's line number of the next chunk taken back */
    int64_t lines, bytes;       /* data lines and bytes taken back so far */
    int eof, inflight;
};

/* A buffer an outlier grew (a long line) goes back to its usual size when it is reused:
 * what the loader keeps follows its configuration, not the longest line it has seen. */
static void shrink_buf(char **buf, size_t *cap, size_t to)
{
    if (to == 0 || *cap <= 2 * to)
        return;
    char *b = realloc(*buf, to);
    if (b) {
        *buf = b;
        *cap = to;
    }
}

static ssize_t read_some(struct file_thread *t, struct fileload *f, char *buf, size_t n,
                         struct mo_err *err)
{
    /* Never past the size the file was queued with: what it grew by is not read. */
    if ((uint64_t)t->read_left < n)
        n = (size_t)t->read_left;
    if (n == 0)
        return 0;
    int delay = t->shared->tuning.read_delay_ms; /* tests: a read that does not return */
    if (delay > 0) {
        struct timespec ts = { delay / 1000, (long)(delay % 1000) * 1000000L };
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
            ;
    }
    for (;;) {
        ssize_t got = read(f->fd, buf, n);
        if (got >= 0) {
            t->read_left -= got;
            return got;
        }
        if (errno != EINTR)
            return mo_err_at(err, f->claim.path, 0, 0, "file_read", "cannot read: %s",
                             strerror(errno));
    }
}

/* c holds the first c->len bytes of a line longer than the limit (the chunk starts at the
 * line, and no newline came yet): the rest of the line is read and hashed in pieces, never
 * held, up to its newline (what follows it is carried to the next chunk). The chunk keeps
 * the line's start, as the raw text of its line_too_long rejection (parse.c). */
static int skip_long_line(struct file_thread *t, struct pass *ps, struct chunk *c,
                          int *eof, struct mo_err *err)
{
    struct hashpipe *hp = ps->hp;
    size_t keep = c->len < LONG_LINE_KEEP ? c->len : LONG_LINE_KEEP;
    int64_t line = (int64_t)c->len, bytes = (int64_t)c->len;
    hashpipe_wait(hp, hashpipe_add(hp, c->buf, c->len));
    while (!*eof) {
        ssize_t n = read_some(t, ps->f, c->buf + keep, c->cap - keep, err);
        if (n < 0)
            return -1;
        if (n == 0) {
            *eof = 1;
            break;
        }
        char *s = c->buf + keep, *nl = memchr(s, '\n', (size_t)n);
        size_t upto = nl ? (size_t)(nl - s) + 1 : (size_t)n;
        hashpipe_wait(hp, hashpipe_add(hp, s, upto));
        bytes += (int64_t)upto;
        line += (int64_t)upto - (nl ? 1 : 0);
        if (nl) {
            size_t rest = (size_t)n - upto;
            if (grow_buf(&t->carry, &t->carry_cap, rest) < 0)
                return mo_err_set(err, "out_of_memory", "out of memory");
            memcpy(t->carry, nl + 1, rest);
            t->carry_len = rest;
            break;
        }
    }
    c->len = keep;
    c->hash_from = keep;
    c->file_bytes = bytes;
    c->long_len = line;
    return 0;
}

/* Fills c with whole lines (the last chunk may end without a newline). A line longer
 * than the limit is not held: the chunk is then that line's start alone (skip_long_line),
 * so no buffer grows past the limit whatever the file holds. */
static int fill_chunk(struct file_thread *t, struct pass *ps, struct chunk *c, size_t want,
                      struct mo_err *err)
{
    struct fileload *f = ps->f;
    size_t max_line = f->max_line;
    int *eof = &ps->eof;
    shrink_buf(&c->buf, &c->cap, want > t->carry_len ? want : t->carry_len);
    if (grow_buf(&c->buf, &c->cap, want > t->carry_len ? want : t->carry_len * 2) < 0)
        return mo_err_set(err, "out_of_memory", "out of memory for file chunks");
    if (t->carry_len)
        memcpy(c->buf, t->carry, t->carry_len);
    c->len = t->carry_len;
    c->hash_from = 0;
    c->long_len = 0;
    t->carry_len = 0;
    shrink_buf(&t->carry, &t->carry_cap, want);
    size_t limit = c->cap < want ? c->cap : (want > c->len ? want : c->cap);
    for (;;) {
        while (c->len < limit && !*eof) {
            ssize_t n = read_some(t, f, c->buf + c->len, limit - c->len, err);
            if (n < 0)
                return -1;
            if (n == 0)
                *eof = 1;
            c->len += (size_t)n;
        }
        char *nl = memrchr(c->buf, '\n', c->len);
        if (!nl && c->len > max_line)
            return skip_long_line(t, ps, c, eof, err);
        c->file_bytes = (int64_t)c->len;
        if (*eof)
            return 0; /* a last line over the limit ends here: parse.c refuses it */
        if (nl) {
            size_t keep = (size_t)(nl + 1 - c->buf);
            size_t rest = c->len - keep;
            if (grow_buf(&t->carry, &t->carry_cap, rest) < 0)
                return mo_err_set(err, "out_of_memory", "out of memory");
            if (rest)
                memcpy(t->carry, c->buf + keep, rest);
            t->carry_len = rest;
            c->len = keep;
            c->file_bytes = (int64_t)keep;
            return 0;
        }
        /* no newline in the whole buffer: a long line, up to the limit and one byte */
        size_t cap = c->cap * 2 < max_line + 2 ? c->cap * 2 : max_line + 2;
        if (grow_buf(&c->buf, &c->cap, cap) < 0)
            return mo_err_set(err, "out_of_memory", "out of memory");
        limit = c->cap;
    }
}

/* A chunk's line numbers are counted from 0 by its parse thread (so the file's thread
 * need not count newlines before handing it out); in order, they become the file's. */
static void rebase_lines(struct chunk *c, int64_t first)
{
    c->first_line = first;
    for (size_t i = 0; i < c->nrows; i++)
        c->rows[i].line += first;
    for (size_t i = 0; i < c->nerrs; i++)
        c->errs[i].line += first;
    for (size_t i = 0; i < c->ntally; i++) {
        c->tally[i].first_line += first;
        c->tally[i].last_line += first;
    }
}

/* The header's bytes into the hash (the chunks start after it). */
static int hash_header(struct fileload *f, struct hashpipe *hp, struct mo_err *err)
{
    char *buf = malloc((size_t)f->data_offset + 1);
    if (!buf)
        return mo_err_set(err, "out_of_memory", "out of memory");
    size_t len = 0;
    while (len < (size_t)f->data_offset) {
        ssize_t n = pread(f->fd, buf + len, (size_t)f->data_offset - len, (off_t)len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            free(buf);
            return mo_err_at(err, f->claim.path, 0, 0, "file_read", "cannot read: %s",
                             n < 0 ? strerror(errno) : "the file got shorter");
        }
        len += (size_t)n;
    }
    hashpipe_wait(hp, hashpipe_add(hp, buf, len));
    free(buf);
    return 0;
}

static int same_time(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

/* The file as it is opened. A write in the same clock tick as the file's last change
 * would leave its ctime as it was: when that change is this recent (or its time is ahead
 * of ours), wait for the clock to move past it and look again, so that any later write
 * shows in check_unchanged. */
static int stamp_opened(struct fileload *f, struct mo_err *err)
{
    for (int look = 0; look < 2; look++) {
        if (fstat(f->fd, &f->opened) < 0)
            return mo_err_at(err, f->claim.path, 0, 0, "file_read", "cannot stat: %s",
                             strerror(errno));
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        double age = (double)(now.tv_sec - f->opened.st_ctim.tv_sec) +
                     (now.tv_nsec - f->opened.st_ctim.tv_nsec) / 1e9;
        if (age >= 0.05 || look == 1)
            break;
        struct timespec pause = { 0, 60 * 1000000L };
        nanosleep(&pause, NULL);
    }
    return 0;
}

/* The bytes read are one version of the file only if it did not change while it was read:
 * its size, modification and change times as when it was opened. A file that grew (it is
 * never read past the size it was queued with) or was edited in place, even to the same
 * size, is file_changed and nothing of it is committed. */
static int check_unchanged(struct fileload *f, struct mo_err *err)
{
    struct stat now;
    if (fstat(f->fd, &now) < 0)
        return mo_err_at(err, f->claim.path, 0, 0, "file_read", "cannot stat: %s",
                         strerror(errno));
    const struct stat *was = &f->opened;
    if (now.st_size > f->claim.bytes)
        return mo_err_at(err, f->claim.path, 0, 0, "file_changed", "the file grew while it "
                         "was being read (%lld bytes now, %lld when it was queued): nothing "
                         "of it is loaded; queue it again once it is complete",
                         (long long)now.st_size, (long long)f->claim.bytes);
    if (now.st_size != was->st_size || now.st_ino != was->st_ino ||
        !same_time(&now.st_mtim, &was->st_mtim) || !same_time(&now.st_ctim, &was->st_ctim))
        return mo_err_at(err, f->claim.path, 0, 0, "file_changed", "the file was modified "
                         "while it was being read: nothing of it is loaded (it would mix two "
                         "versions); queue it again");
    return 0;
}

/* The bytes a pass read must be the file as it was queued: its size then, and its sha256
 * when it was hashed before it was queued (or by an earlier pass). */
static int check_content(struct fileload *f, const char *sha, int64_t bytes, struct mo_err *err)
{
    if (bytes != f->claim.bytes)
        return mo_err_at(err, f->claim.path, 0, 0, "file_changed", "the file is %lld bytes now, "
                         "%lld when it was queued: it changed; queue it again",
                         (long long)bytes, (long long)f->claim.bytes);
    const char *want = f->sha256[0] ? f->sha256 : f->claim.sha256;
    if (want[0] && strcmp(want, sha) != 0)
        return mo_err_at(err, f->claim.path, 0, 0, "file_changed", "the file's content changed "
                         "%s (sha256 %.12s..., was %.12s...); queue it again",
                         f->sha256[0] ? "while it was being read" : "after it was queued", sha,
                         want);
    snprintf(f->sha256, sizeof f->sha256, "%s", sha);
    return 0;
}

static struct chunk *pass_chunk(const struct pass *ps, uint64_t seq)
{
    return &ps->t->chunks[seq % (uint64_t)ps->t->depth];
}

/* Starts the pass: hashing thread, the header into the hash, the file positioned after
 * it. Returns an attempt result. */
static int pass_open(struct pass *ps, struct file_thread *t, struct fileload *f,
                     struct mo_err *err)
{
    *ps = (struct pass){ .t = t, .f = f, .line = 2 };
    if (ensure_chunks(t) < 0)
        return mo_err_set(err, "out_of_memory", "out of memory"), ATTEMPT_FAIL;
    ps->hp = hashpipe_start(t->depth + 1, t->shared->tuning.worker_nice);
    if (!ps->hp)
        return mo_err_set(err, "out_of_memory", "cannot start the hashing thread"), ATTEMPT_FAIL;
    if (hash_header(f, ps->hp, err) < 0)
        goto fail;
    f->gen = parsepool_new_pass(t->pool, &f->stream);
    if (!f->stream.parallel && f->fmt->state_size)
        memcpy(f->seq_state.priv, f->priv_after_header, f->fmt->state_size);
    if (lseek(f->fd, f->data_offset, SEEK_SET) < 0) {
        mo_err_at(err, f->claim.path, 0, 0, "file_read", "cannot seek: %s", strerror(errno));
        goto fail;
    }
    t->carry_len = 0;
    t->read_left = f->claim.bytes > f->data_offset ? f->claim.bytes - f->data_offset : 0;
    return ATTEMPT_OK;
fail:;
    char ignore[65];
    hashpipe_end(ps->hp, ignore); /* its thread would wait for pieces forever */
    return ATTEMPT_FAIL;
}

/* Reads ahead while chunks are free, but not past a chunk that is parsed and waits to be
 * taken back: at the start that is the first day's way to the server. */
static int pass_read_ahead(struct pass *ps, struct mo_err *err)
{
    struct file_thread *t = ps->t;
    size_t chunk_bytes = t->shared->tuning.chunk_bytes;
    while (!ps->eof && ps->inflight < t->depth &&
           !(ps->inflight > 0 && parsepool_done(t->pool, pass_chunk(ps, ps->next)))) {
        struct chunk *c = pass_chunk(ps, ps->seq);
        /* the first chunks are smaller (1/8, 1/4, 1/2): the first days reach the
         * server sooner, and the server is the slowest stage */
        size_t want = ps->seq < 3 ? chunk_bytes >> (3 - ps->seq) : chunk_bytes;
        if (fill_chunk(t, ps, c, want ? want : 1, err) < 0)
            return -1;
        if (c->len == 0)
            break;
        c->f = ps->f;
        c->stream = &ps->f->stream;
        c->seq = ps->seq++;
        c->hash_ticket = hashpipe_add(ps->hp, c->buf + c->hash_from, c->len - c->hash_from);
        c->first_line = 0; /* the parse thread counts from 0; see rebase_lines */
        parsepool_submit(t->pool, c);
        ps->inflight++;
    }
    return 0;
}

/* The next chunk in order, parsed, with the file's line numbers. */
static struct chunk *pass_take(struct pass *ps)
{
    struct chunk *c = pass_chunk(ps, ps->next);
    parsepool_wait(ps->t->pool, c);
    rebase_lines(c, ps->line);
    ps->line += c->lines;
    ps->lines += c->lines;
    ps->bytes += c->file_bytes;
    ps->inflight--;
    ps->next++;
    return c;
}

/* Whether the load goes on after a chunk: the loader stopping or the lease lost end it;
 * MO_LOAD_THROTTLE_MS slows it down (tests that kill a load midway). */
static int pass_go_on(const struct pass *ps)
{
    const struct load_shared *sh = ps->t->shared;
    if (load_stopping(sh))
        return ATTEMPT_STOPPED;
    if (ps->f->progress && atomic_load(&ps->f->progress->claim_lost))
        return ATTEMPT_LOST;
    int ms = sh->tuning.throttle_ms;
    if (ms > 0) {
        struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
        nanosleep(&ts, NULL);
    }
    return ATTEMPT_OK;
}

static int pass_go_on_doc(struct file_thread *t, struct fileload *f)
{
    struct pass ps = { .t = t, .f = f };
    return pass_go_on(&ps);
}

/* Whether the file's reject ratio can no longer be met, after pass 1 took back ps->lines
 * data lines with a->rows_rejected rejections. A row is one line and every line but the
 * last takes at least 2 bytes (a character and its newline), so the rows still to come
 * are at most (bytes left + 1) / 2; rejections never go down. If even with every row to
 * come loaded the ratio stays above the threshold, reading on cannot change the outcome.
 * Fills the message that says how far the file was read. */
static int cannot_pass(const struct pass *ps, const struct assembler *a, char *msg,
                       size_t msg_len)
{
    const struct fileload *f = ps->f;
    double max_ratio = f->claim.max_reject_ratio;
    if (max_ratio >= 1 || a->rows_rejected == 0)
        return 0;
    int64_t done = f->data_offset + ps->bytes;
    int64_t left = f->claim.bytes > done ? f->claim.bytes - done : 0;
    if (left == 0)
        return 0; /* the whole file is read: decide_status says it */
    int64_t most = ps->lines + (left + 1) / 2;
    if ((double)a->rows_rejected <= max_ratio * (double)most)
        return 0;
    snprintf(msg, msg_len, "stopped early at line %lld (byte %lld of %lld): %lld of the "
             "first %lld rows rejected; the reject ratio %g cannot be met by the rest: "
             "nothing loaded", (long long)(ps->line - 1), (long long)done,
             (long long)f->claim.bytes, (long long)a->rows_rejected, (long long)ps->lines,
             max_ratio);
    return 1;
}

/* One read of a document (READER_DOCUMENT): loaddoc.c streams it through its reader into
 * the assembler, the bytes into the hash as for lines. */
static int run_doc_pass(struct file_thread *t, struct fileload *f, struct assembler *a,
                        int pass1, struct mo_err *err)
{
    struct hashpipe *hp = hashpipe_start(t->depth + 1, t->shared->tuning.worker_nice);
    if (!hp)
        return mo_err_set(err, "out_of_memory", "cannot start the hashing thread"), ATTEMPT_FAIL;
    int r = loaddoc_read(t, f, a, hp, pass1, &f->refusal, err);
    char sha[65];
    int64_t hashed = hashpipe_end(hp, sha);
    if (r < 0)
        return stopped_classify(a->w, f->conn, err);
    if (r > 0)
        return ATTEMPT_REFUSED;
    if (check_unchanged(f, err) < 0 || check_content(f, sha, hashed, err) < 0)
        return ATTEMPT_FAIL;
    if (pass1)
        fileload_progress(f, 0, f->claim.bytes);
    return pass_go_on_doc(t, f);
}

/* One read of the data lines: read, parse (on the pool) and assemble each chunk in turn,
 * hashing the file's bytes on the side (check_content compares them at the end). */
static int run_pass(struct file_thread *t, struct fileload *f, struct assembler *a, int pass1,
                    char *early, size_t early_len, struct mo_err *err)
{
    if (f->fmt->flags & READER_DOCUMENT)
        return run_doc_pass(t, f, a, pass1, err);
    struct pass ps;
    int rc = pass_open(&ps, t, f, err);
    if (rc != ATTEMPT_OK)
        return rc;
    while (!ps.eof || ps.inflight) {
        if (rc == ATTEMPT_OK && pass_read_ahead(&ps, err) < 0)
            rc = ATTEMPT_FAIL;
        if (!ps.inflight)
            break;
        struct chunk *c = pass_take(&ps);
        if (rc != ATTEMPT_OK)
            continue; /* let the parse threads finish what they hold, then stop */
        if (c->oom) {
            mo_err_set(err, "out_of_memory", "out of memory while reading the file");
            rc = ATTEMPT_FAIL;
        } else if (asm_chunk(a, c, err) < 0) {
            rc = stopped_classify(a->w, f->conn, err);
        }
        hashpipe_wait(ps.hp, c->hash_ticket); /* before the chunk is filled again */
        if (pass1)
            fileload_progress(f, c->lines, c->file_bytes);
        if (rc == ATTEMPT_OK && pass1 && cannot_pass(&ps, a, early, early_len))
            rc = ATTEMPT_EARLY;
        if (rc == ATTEMPT_OK)
            rc = pass_go_on(&ps);
    }
    char sha[65];
    int64_t hashed = hashpipe_end(ps.hp, sha);
    if (rc == ATTEMPT_OK && (check_unchanged(f, err) < 0 || check_content(f, sha, hashed, err) < 0))
        rc = ATTEMPT_FAIL;
    else if (rc == ATTEMPT_EARLY && check_unchanged(f, err) < 0)
        rc = ATTEMPT_FAIL; /* the rejections counted so far are of one version too */
    return rc;
}

/* ---- committing -------------------------------------------------------------------------- */

static int rollback(PGconn *conn)
{
    if (PQtransactionStatus(conn) != PQTRANS_IDLE)
        PQclear(PQexec(conn, sql_text(SQL_TX_ROLLBACK)));
    return 0;
}

/* Another file of the same content loaded already? Two copies can both be queued before
 * either is hashed (queue.h); the second to commit finds the first here, and then *dup
 * is 1 and o is rewritten: nothing of this file is to land. Returns an attempt result. */
static int settle_duplicate(struct fileload *f, struct outcome *o, int *dup, struct mo_err *err)
{
    *dup = 0;
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", (long long)f->claim.file_id);
    const char *pl[1] = { f->sha256 }, *pf[2] = { f->sha256, sid };
    PGresult *res = db_query(f->conn, SQL_LOAD_ENQUEUE_LOCK, 1, pl, err);
    if (!res)
        return classify(f->conn, err);
    PQclear(res);
    res = db_query(f->conn, SQL_LOAD_COMMIT_DUPLICATE, 2, pf, err);
    if (!res)
        return classify(f->conn, err);
    *dup = PQntuples(res) > 0;
    if (*dup && PQgetvalue(res, 0, 2)[0] != 't') {
        /* the same bytes with another meter: other readings, so not a copy, and not loaded
         * beside the first (doc/loader.md, Duplicate files) */
        int64_t total = o->rows_total;
        memset(o, 0, sizeof *o);
        o->status = "rejected";
        o->rows_total = total;
        snprintf(o->message, sizeof o->message, "refused: the same content was loaded as file "
                 "%s on %s with another --meter or --export-meter; nothing loaded (meterops "
                 "requeue %s --meter ... replaces that load)", PQgetvalue(res, 0, 0),
                 PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 0));
    } else if (*dup) {
        memset(o, 0, sizeof *o);
        o->status = "loaded";
        snprintf(o->message, sizeof o->message, "skipped: the same content as file %s, loaded "
                 "on %s; nothing loaded again (meterops requeue %s loads it again)",
                 PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 0));
    }
    PQclear(res);
    return ATTEMPT_OK;
}

/* Status, counts and errors (and the meters this file registers, and the meter-days it
 * wrote for meterops.meter_seen) in the open transaction, then COMMIT. A file whose
 * content another file loaded meanwhile commits nothing but its status. */
static int commit_file(struct fileload *f, struct errlog *log, struct assembler *a,
                       struct outcome *o, struct mo_err *err)
{
    if (f->sha256[0] && strcmp(o->status, "loaded") == 0) {
        int dup, rc = settle_duplicate(f, o, &dup, err);
        if (rc != ATTEMPT_OK)
            return rc;
        if (dup) {
            if (a)
                writer_reset(a->w); /* the workers' part too */
            if (db_exec(f->conn, SQL_TX_ROLLBACK, 0, NULL, err) < 0 ||
                db_exec(f->conn, SQL_TX_BEGIN, 0, NULL, err) < 0)
                return classify(f->conn, err);
            a = NULL;
            log = NULL;
        }
    }
    char sid[24], satt[16], tot[24], ld[24], rj[24], rd[24];
    snprintf(sid, sizeof sid, "%lld", (long long)f->claim.file_id);
    snprintf(satt, sizeof satt, "%d", f->claim.attempt);
    snprintf(tot, sizeof tot, "%lld", (long long)o->rows_total);
    snprintf(ld, sizeof ld, "%lld", (long long)o->rows_loaded);
    snprintf(rj, sizeof rj, "%lld", (long long)o->rows_rejected);
    snprintf(rd, sizeof rd, "%lld", (long long)o->readings);
    if (a && strcmp(o->status, "loaded") == 0 && asm_new_meters_copy(a, f->conn, err) < 0)
        return classify(f->conn, err);
    const char *p1[3] = { sid, f->owner, satt };
    PGresult *res = db_query(f->conn, SQL_LOAD_ERRORS_CLEAR, 3, p1, err);
    if (!res)
        return classify(f->conn, err);
    PQclear(res);
    if (log && errlog_copy(log, f->conn, err) < 0)
        return classify(f->conn, err);
    const char *p[11] = { sid, f->owner, satt, o->status, f->fmt ? f->fmt->name : f->claim.format,
                          tot, ld, rj, rd, o->message[0] ? o->message : NULL,
                          f->sha256[0] ? f->sha256 : NULL };
    res = db_query(f->conn, SQL_LOAD_FINISH, 11, p, err);
    if (!res)
        return classify(f->conn, err);
    int got = PQntuples(res) > 0;
    PQclear(res);
    if (!got) {
        rollback(f->conn);
        return ATTEMPT_LOST;
    }
    /* last before COMMIT: meter_seen's rows stay locked only from here to COMMIT */
    if (a && strcmp(o->status, "loaded") == 0 && seen_send(&a->seen, f->conn, err) < 0)
        return classify(f->conn, err);
    /* straight to the workers: their parts prepared and recorded, so that this COMMIT
     * decides them too (shardwriter.h) */
    struct shardwriter *sw = a && strcmp(o->status, "loaded") == 0 ? a->w->sw : NULL;
    if (sw && shardwriter_prepare(sw, err) < 0)
        return classify(f->conn, err);
    if (sw)
        shardwriter_committing(sw);
    if (db_exec(f->conn, SQL_TX_COMMIT, 0, NULL, err) < 0)
        return classify(f->conn, err);
    struct mo_err ferr;
    mo_err_clear(&ferr);
    int left = sw ? shardwriter_finish(sw, &ferr) : 0;
    if (left > 0)
        load_notice(f->shared, "%s: loaded, but %d worker(s) could not commit their part yet "
                    "(%s); the next load on the cluster commits it", f->claim.path, left,
                    ferr.message);
    return ATTEMPT_OK;
}

/* Files that do not go through the chunk pipeline (a refused header, registry feeds) are
 * hashed in one pass of their own; they are small, or refused at line 1. */
static int hash_whole(struct fileload *f, struct mo_err *err)
{
    struct filehash h;
    if (filehash_file(f->claim.path, &h, err) < 0)
        return -1;
    if (check_unchanged(f, err) < 0)
        return -1;
    return check_content(f, h.sha256, h.bytes, err);
}

static void map_option(struct fileload *f, struct mapped_meter *m, const char *id)
{
    memset(m, 0, sizeof *m);
    if (!id)
        return;
    m->given = 1;
    /* the meter's one spelling (a full MPAN as its core), also for options stored before
     * the rule (mpan.h) */
    struct mpxn_id mid;
    size_t n = strlen(id);
    if (!mpxn_parse(id, n, &mid)) {
        id = mid.id;
        n = mid.len;
    }
    m->idlen = n < sizeof m->id - 1 ? n : sizeof m->id - 1;
    memcpy(m->id, id, m->idlen);
    m->index = meters_find(&f->meters, m->id, m->idlen);
}

/* --export-meter must name an export meter, and --meter an import meter for a file that
 * says its readings are import (esb-hdf's Active Import): else export would count as use,
 * or use as export. A meter not registered yet is made with the right direction
 * (--create-meters). 0 fine, -1 with err (the file fails, naming the option). */
static int check_option_direction(struct fileload *f, const struct mapped_meter *m,
                                  const char *want, const char *option, struct mo_err *err)
{
    if (!m->given || m->index < 0)
        return 0;
    const char *params[1] = { m->id };
    PGresult *res = db_query(f->conn, SQL_LOAD_OPTION_DIRECTION, 1, params, err);
    if (!res)
        return -1;
    int wrong = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), want) != 0;
    PQclear(res);
    if (wrong)
        return mo_err_set(err, "meter_direction", "%s %s names an %s meter; it needs an %s meter "
                          "(the meters feed's direction column)", option, m->id,
                          strcmp(want, "import") == 0 ? "export" : "import", want);
    return 0;
}

static void reject_cb(void *ctx, int64_t line, int column, const char *code, const char *msg)
{
    struct fileload *f = ctx;
    const struct load_events *ev = &f->shared->ev;
    if (ev->reject && !atomic_load(&f->shared->muted))
        ev->reject(ev->ctx, f->claim.file_id, f->claim.path, line, column, code, msg);
}

/* ---- decide ------------------------------------------------------------------------------ */

/* The reject-ratio decision, the same for readings and registry feeds: above the file's
 * max_reject_ratio nothing of it lands ("rejected", nothing loaded; the caller rolls the
 * rows back and keeps the errors), else it is "loaded". what: "rows" or "records". */
static void decide_status(struct outcome *o, double max_ratio, const char *what)
{
    double ratio = o->rows_total ? (double)o->rows_rejected / (double)o->rows_total : 0;
    if (o->rows_total > 0 && ratio > max_ratio) {
        o->status = "rejected";
        snprintf(o->message, sizeof o->message, "%lld of %lld %s rejected (%.2f%%), above "
                 "the reject ratio %g: nothing loaded", (long long)o->rows_rejected,
                 (long long)o->rows_total, what, 100 * ratio, max_ratio);
        o->rows_loaded = 0;
        o->readings = 0;
    } else {
        o->status = "loaded";
    }
}

static int is_rejected(const struct outcome *o)
{
    return strcmp(o->status, "rejected") == 0;
}

/* ---- the stages of an attempt ------------------------------------------------------------ */

/* The whole file is refused at its header: one error at line 1, status rejected. */
static int refuse_header(struct fileload *f, struct errlog *log, const struct mo_err *herr,
                         const char *raw, size_t raw_len, struct outcome *o, struct mo_err *err)
{
    const char *name = herr->column > 0 ? fileload_colname(f, herr->column) : NULL;
    errlog_add(log, 1, name, "header", herr->message, raw, raw_len);
    reject_cb(f, 1, name ? herr->column : 0, "header", herr->message);
    o->status = "rejected";
    snprintf(o->message, sizeof o->message, "header: %s", herr->message);
    if (db_exec(f->conn, SQL_TX_BEGIN, 0, NULL, err) < 0)
        return classify(f->conn, err);
    return commit_file(f, log, NULL, o, err);
}

/* A registry feed (customers, meters, tariffs, bills): loadreg.c stages and upserts it. */
static int refuse_document(struct fileload *f, struct errlog *log, struct assembler *a,
                           struct outcome *o, struct mo_err *err);

static int load_registry(struct fileload *f, struct errlog *log, struct outcome *o,
                         struct mo_err *err)
{
    int rc = loadreg_run(f, log, o->message, sizeof o->message, &o->rows_total, &o->rows_loaded,
                         &o->rows_rejected, err);
    if (rc > 0)
        return refuse_document(f, log, NULL, o, err);
    if (rc != 0)
        return classify(f->conn, err);
    if (check_unchanged(f, err) < 0)
        return ATTEMPT_FAIL;
    decide_status(o, f->claim.max_reject_ratio, "records");
    if (loadreg_finish(f, log, is_rejected(o), err) != 0)
        return classify(f->conn, err);
    return commit_file(f, log, NULL, o, err);
}

/* Pass 1, then phase 2 for the meters that came late, each followed by the writer's
 * flush. Returns an attempt result. */
static int read_passes(struct file_thread *t, struct fileload *f, struct assembler *a,
                       struct outcome *o, struct mo_err *err)
{
    int rc = run_pass(t, f, a, 1, o->message, sizeof o->message, err);
    if (rc == ATTEMPT_OK && (asm_end_pass(a, err) < 0 || writer_flush(a->w, err) < 0))
        rc = stopped_classify(a->w, f->conn, err);
    size_t cursor = 0;
    int passes = 0;
    while (rc == ATTEMPT_OK && a->late_meters > 0 && asm_next_batch(a, &cursor) > 0) {
        if (passes++ == 0)
            load_notice(t->shared, "%s: not grouped by meter-day: %lld meter(s) got readings "
                        "for days already written; reading the file again for them",
                        f->claim.path, (long long)a->late_meters);
        rc = run_pass(t, f, a, 0, NULL, 0, err);
        if (rc == ATTEMPT_OK && (asm_end_batch(a, err) < 0 || writer_flush(a->w, err) < 0))
            rc = stopped_classify(a->w, f->conn, err);
    }
    if (rc == ATTEMPT_OK && a->rows_deferred != 0) {
        mo_err_set(err, "internal", "%lld rows were set aside and never decided; nothing "
                   "loaded", (long long)a->rows_deferred);
        rc = ATTEMPT_FAIL;
    }
    return rc;
}

/* The counts decide; a rejected file's readings are rolled back (its errors kept). */
static int decide_readings(struct fileload *f, struct errlog *log, struct assembler *a,
                           struct outcome *o, struct mo_err *err)
{
    o->rows_loaded = a->rows_loaded;
    o->rows_rejected = a->rows_rejected;
    o->rows_total = a->rows_loaded + a->rows_rejected;
    o->readings = a->readings;
    decide_status(o, f->claim.max_reject_ratio, "rows");
    if (is_rejected(o)) {
        writer_reset(a->w);
        if (db_exec(f->conn, SQL_TX_ROLLBACK, 0, NULL, err) < 0 ||
            db_exec(f->conn, SQL_TX_BEGIN, 0, NULL, err) < 0)
            return classify(f->conn, err);
        return commit_file(f, log, NULL, o, err);
    }
    if (o->rows_rejected)
        snprintf(o->message, sizeof o->message, "%lld of %lld rows rejected (counts by code in load_error_summary)",
                 (long long)o->rows_rejected, (long long)o->rows_total);
    return commit_file(f, log, a, o, err);
}

/* Pass 1 stopped early (cannot_pass filled o->message): rejected, the readings written so
 * far rolled back; the counts so far and the kept rows commit. */
static int early_reject(struct fileload *f, struct errlog *log, struct assembler *a,
                        struct outcome *o, struct mo_err *err)
{
    o->status = "rejected";
    o->rows_rejected = a->rows_rejected;
    o->rows_total = a->rows_loaded + a->rows_rejected + a->rows_deferred;
    o->rows_loaded = 0;
    o->readings = 0;
    writer_abort(a->w);
    if (db_exec(f->conn, SQL_TX_ROLLBACK, 0, NULL, err) < 0 ||
        db_exec(f->conn, SQL_TX_BEGIN, 0, NULL, err) < 0)
        return classify(f->conn, err);
    return commit_file(f, log, NULL, o, err);
}

/* A document refused as a whole (not well-formed, hostile, no unit): rejected with one
 * load_error row where the refusal is; the readings written so far rolled back. */
static int refuse_document(struct fileload *f, struct errlog *log, struct assembler *a,
                           struct outcome *o, struct mo_err *err)
{
    const struct mo_err *why = &f->refusal;
    if (a) /* NULL: a registry feed (loadreg.c), which writes no readings */
        writer_abort(a->w);
    if (db_exec(f->conn, SQL_TX_ROLLBACK, 0, NULL, err) < 0)
        return classify(f->conn, err);
    if (hash_whole(f, err) < 0)
        return ATTEMPT_FAIL;
    if (db_exec(f->conn, SQL_TX_BEGIN, 0, NULL, err) < 0)
        return classify(f->conn, err);
    char col[24] = "";
    if (why->column > 0)
        snprintf(col, sizeof col, ", column %d", why->column);
    errlog_add(log, why->line > 0 ? why->line : 1, NULL, why->code, why->message, NULL, 0);
    reject_cb(f, why->line > 0 ? why->line : 1, 0, why->code, why->message);
    memset(o, 0, sizeof *o);
    o->status = "rejected";
    if (why->line > 0)
        snprintf(o->message, sizeof o->message, "refused at line %ld%s: %s [%s]; nothing loaded",
                 why->line, col, why->message, why->code);
    else
        snprintf(o->message, sizeof o->message, "refused: %s [%s]; nothing loaded",
                 why->message, why->code);
    return commit_file(f, log, NULL, o, err);
}

/* A readings file: registry, writer and assembler set up, the passes, the decision. */
static int load_readings(struct file_thread *t, struct fileload *f, struct errlog *log,
                         struct outcome *o, struct mo_err *err)
{
    if (meters_load(f->conn, &f->meters, err) < 0)
        return classify(f->conn, err);
    map_option(f, &f->meter_opt, f->claim.meter);
    map_option(f, &f->export_opt, f->claim.export_meter);
    if (check_option_direction(f, &f->export_opt, "export", "--export-meter", err) < 0 ||
        (f->fmt == &reader_esb_hdf &&
         check_option_direction(f, &f->meter_opt, "import", "--meter", err) < 0))
        return PQstatus(f->conn) == CONNECTION_OK ? ATTEMPT_FAIL : classify(f->conn, err);
    f->create_meters = f->claim.create_meters;
    f->floor = validate_floor(f->claim.not_before);
    if (f->floor < 0) /* refused by the command line; an option stored by hand */
        f->floor = validate_floor(NULL);
    /* the window's end: the load's start, plus --future-margin (0 unless given) */
    f->now = f->claim.now + (int64_t)f->claim.future_margin * 60;
    struct writer w;
    if (writer_init(&w, f->conn, f->claim.file_id, err) < 0) {
        writer_free(&w);
        return ATTEMPT_FAIL;
    }
    writer_set_first_batch(&w, t->shared->tuning.batch_bytes);
    writer_set_batch_max(&w, t->shared->batch_max);
    w.ensure = load_ensure_partition;
    w.ensure_ctx = t->shared;
    struct assembler a;
    if (asm_init(&a, f, &w, log, t->shared->day_budget) < 0) {
        writer_free(&w);
        mo_err_set(err, "out_of_memory", "out of memory");
        return ATTEMPT_FAIL;
    }
    a.next_ids = load_next_ids;
    a.next_ids_ctx = t->shared;
    a.report = reject_cb;
    a.report_ctx = f;
    int rc = ATTEMPT_OK;
    /* on a Citus coordinator the rows go straight to the workers holding their shards */
    struct shardwriter sw;
    int direct = 0;
    if (!t->shared->tuning.citus_via_coordinator && !f->via_coordinator) {
        direct = shardwriter_open(&sw, f->conn, f->claim.file_id, f->claim.attempt,
                                  t->shared->tuning.batch_bytes, t->shared->batch_max, err);
        if (direct < 0)
            rc = classify(f->conn, err);
        else if (direct > 0)
            w.sw = &sw;
    }
    if (rc == ATTEMPT_OK && (writer_load_partitions(&w, err) < 0 ||
                             db_exec(f->conn, SQL_TX_BEGIN, 0, NULL, err) < 0 ||
                             (direct > 0 && shardwriter_lock(&sw, err) < 0)))
        rc = classify(f->conn, err);
    if (rc == ATTEMPT_OK)
        rc = read_passes(t, f, &a, o, err);
    if (rc == ATTEMPT_EARLY)
        rc = early_reject(f, log, &a, o, err);
    else if (rc == ATTEMPT_REFUSED)
        rc = refuse_document(f, log, &a, o, err);
    else if (rc == ATTEMPT_OK)
        rc = decide_readings(f, log, &a, o, err);
    if (rc != ATTEMPT_OK)
        writer_abort(&w);
    if (direct != 0)
        shardwriter_close(&sw);
    asm_free(&a);
    writer_free(&w);
    return rc;
}

/* Opens the file and checks it is still the size it was queued with. */
static int open_file(struct fileload *f, struct mo_err *err)
{
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", (long long)f->claim.file_id);
    const char *pid[1] = { sid };
    PGresult *named = db_query(f->conn, SQL_LOAD_APP_NAME, 1, pid, err);
    if (!named)
        return classify(f->conn, err);
    PQclear(named);
    /* again at open: the path may have been replaced by a FIFO or a device since */
    int64_t size;
    f->fd = filehash_open_regular(f->claim.path, &size, err);
    if (f->fd < 0)
        return ATTEMPT_FAIL;
    if (size != f->claim.bytes) {
        mo_err_at(err, f->claim.path, 0, 0, "file_changed", "the file is %lld bytes now, %lld "
                  "when it was queued: it changed; queue it again", (long long)size,
                  (long long)f->claim.bytes);
        return ATTEMPT_FAIL;
    }
    return stamp_opened(f, err) < 0 ? ATTEMPT_FAIL : ATTEMPT_OK;
}

/* The header decides the way: refused, a registry feed, or readings. */
static int load_content(struct file_thread *t, struct fileload *f, struct errlog *log,
                        struct outcome *o, struct mo_err *err)
{
    struct mo_err herr;
    mo_err_clear(&herr);
    char raw[1000];
    size_t raw_len = 0;
    int h = fileheader_read(f, &herr, raw, &raw_len, err);
    if (h < 0 || ((h > 0 || f->fmt->kind == READER_REGISTRY) && hash_whole(f, err) < 0))
        return ATTEMPT_FAIL;
    if (h > 0)
        return refuse_header(f, log, &herr, raw, raw_len, o, err);
    if (f->fmt->kind == READER_REGISTRY)
        return load_registry(f, log, o, err);
    return load_readings(t, f, log, o, err);
}

/* One attempt at the file. */
static int attempt(struct file_thread *t, struct fileload *f, struct outcome *o,
                   struct mo_err *err)
{
    memset(o, 0, sizeof *o);
    f->conn = t->conn;
    cancel_refresh(t);
    int rc = open_file(f, err);
    struct errlog log;
    int64_t keep = t->shared->tuning.keep_errors;
    if (rc == ATTEMPT_OK && errlog_open(&log, f->claim.file_id, f->claim.attempt,
                                        keep == 0 ? ERRLOG_KEEP_DEFAULT : keep < 0 ? 0 : keep,
                                        err) < 0)
        rc = ATTEMPT_FAIL;
    if (rc != ATTEMPT_OK) {
        if (f->fd >= 0)
            close(f->fd);
        f->fd = -1;
        return rc;
    }
    rc = load_content(t, f, &log, o, err);
    if (rc != ATTEMPT_OK && f->conn && PQstatus(f->conn) == CONNECTION_OK)
        rollback(f->conn);
    errlog_close(&log);
    meters_free(&f->meters);
    fileheader_free(f);
    close(f->fd);
    f->fd = -1;
    return rc;
}

/* ---- the file's driver: attempts until the file is final -------------------------------- */

static void report(const struct fileload *f, const char *status, const struct outcome *o,
                   const char *message, double seconds)
{
    const struct load_events *ev = &f->shared->ev;
    if (!ev->finished || atomic_load(&f->shared->muted))
        return;
    struct load_report r = {
        .file_id = f->claim.file_id, .path = f->claim.path, .status = status,
        .format = f->fmt ? f->fmt->name : f->claim.format,
        .rows_total = o ? o->rows_total : 0, .rows_loaded = o ? o->rows_loaded : 0,
        .rows_rejected = o ? o->rows_rejected : 0, .readings = o ? o->readings : 0,
        .seconds = seconds, .message = message,
    };
    ev->finished(ev->ctx, &r);
}

/* The claim is gone: the lease ran out while this loader was stalled (stopped, swapped
 * out, cut off) and another loader took the file. What became of the file is read back
 * and reported as the file's outcome, with the other loader's counts when it finished
 * it, so that this run says and exits by what really happened to the file. */
static void report_lost(struct file_thread *t, struct fileload *f, double t0)
{
    static const char why[] = "the lease ran out while this loader was stalled";
    char arr[32], msg[1200];
    snprintf(arr, sizeof arr, "{%lld}", (long long)f->claim.file_id);
    const char *p[1] = { arr };
    struct mo_err err;
    mo_err_clear(&err);
    PGresult *res = t->conn ? db_query(t->conn, SQL_LOAD_FILE_STATE, 1, p, &err) : NULL;
    if (!res || PQntuples(res) == 0) {
        snprintf(msg, sizeof msg, "%s; what became of the file could not be read: %s", why,
                 res ? "it is no longer in the queue" : err.message);
        PQclear(res);
        report(f, "lost", NULL, msg, now_seconds() - t0);
        return;
    }
    const char *status = PQgetvalue(res, 0, 1), *by = PQgetvalue(res, 0, 9);
    const char *said = PQgetvalue(res, 0, 7);
    if (strcmp(status, "loaded") == 0 || strcmp(status, "rejected") == 0 ||
        strcmp(status, "failed") == 0) {
        struct outcome o = {
            .rows_total = strtoll(PQgetvalue(res, 0, 3), NULL, 10),
            .rows_loaded = strtoll(PQgetvalue(res, 0, 4), NULL, 10),
            .rows_rejected = strtoll(PQgetvalue(res, 0, 5), NULL, 10),
            .readings = strtoll(PQgetvalue(res, 0, 6), NULL, 10),
        };
        snprintf(msg, sizeof msg, "%s; another loader (%s) finished the file: %s", why,
                 by[0] ? by : "?", said[0] ? said : "every row loaded");
        report(f, status, &o, msg, strtod(PQgetvalue(res, 0, 8), NULL));
    } else if (strcmp(status, "queued") == 0) {
        snprintf(msg, sizeof msg, "%s; the file is back in the queue", why);
        report(f, "lost", NULL, msg, now_seconds() - t0);
    } else {
        snprintf(msg, sizeof msg, "%s; another loader (%s) is loading the file now", why,
                 by[0] ? by : "?");
        report(f, "lost", NULL, msg, now_seconds() - t0);
    }
    PQclear(res);
}

/* After an attempt that did not end the file: 1 when it is to be tried again (a lost
 * connection restored, a retryable error), else 0 with the file reported (failed, given
 * back or lost); *gave_up when the database stayed unreachable. */
static int settle_failure(struct file_thread *t, struct fileload *f, int r,
                          const struct mo_err *err, int *retries, double t0, int *gave_up)
{
    const struct load_shared *sh = t->shared;
    /* stopping: whatever ended the attempt (a query the stop cancelled, say), the file
     * goes back to the queue */
    if (r != ATTEMPT_CONN && r != ATTEMPT_LOST && load_stopping(sh))
        r = ATTEMPT_STOPPED;
    if (r == ATTEMPT_STOPPED) {
        struct mo_err e2;
        mo_err_clear(&e2);
        int got = queue_release(t->conn, f->claim.file_id, sh->owner,
                                "loader stopped; back in the queue", &e2);
        if (got < 0 && db_conn_ok(t->conn)) /* a cancel meant for the attempt came late */
            got = queue_release(t->conn, f->claim.file_id, sh->owner,
                                "loader stopped; back in the queue", &e2);
        if (got == 0)
            report_lost(t, f, t0);
        else
            report(f, "released", NULL, got > 0 ? "the loader stopped: the file is back in "
                   "the queue" : "the loader stopped: the file returns to the queue when its "
                   "lease runs out", now_seconds() - t0);
        return 0;
    }
    if (r == ATTEMPT_LOST) {
        report_lost(t, f, t0);
        return 0;
    }
    if (r == ATTEMPT_COORD && !f->via_coordinator) {
        f->via_coordinator = 1;
        load_notice(sh, "%s: meets meter-days already stored; loading it again through the "
                    "coordinator, whose correction path merges them", f->claim.path);
        return 1;
    }
    if (r == ATTEMPT_CONN) {
        load_notice(sh, "%s: lost the database connection (%s); will retry the file",
                    f->claim.path, err->message);
        if (load_reconnect(sh, &t->conn, "file connection") < 0) {
            report(f, "failed", NULL, "the database stayed unreachable; the file returns to "
                   "the queue when its lease runs out", now_seconds() - t0);
            *gave_up = 1;
            return 0;
        }
        return 1;
    }
    if (r == ATTEMPT_REBALANCE) {
        /* The attempt was rolled back, so the rebalance can move what it held; the file
         * waits for the rebalance however long it takes (an operator's deliberate act),
         * and the stop signal still ends the wait. */
        if (t->rebalance_waits++ % 12 == 0)
            load_notice(sh, "%s: a Citus shard rebalance is running and refuses the new "
                        "reading_day partition the file needs; retrying every 5 s until it ends",
                        f->claim.path);
        for (int i = 0; i < 50 && !load_stopping(sh); i++)
            nanosleep(&(struct timespec){ 0, 100000000L }, NULL);
        return load_stopping(sh) ? settle_failure(t, f, ATTEMPT_STOPPED, err, retries, t0, gave_up) : 1;
    }
    if (r == ATTEMPT_RETRY && *retries < 3) {
        (*retries)++;
        load_notice(sh, "%s: %s; retrying the file", f->claim.path, err->message);
        return 1;
    }
    char msg[sizeof err->message + 300];
    mo_err_format(err, msg, sizeof msg);
    struct mo_err e2;
    mo_err_clear(&e2);
    int got = queue_fail(t->conn, f->claim.file_id, sh->owner, msg, &e2);
    if (got < 0) {
        /* The database cannot record the failure (its disk is full, say): the file stays
         * claimed until its lease runs out, and this loader gives up like one that lost
         * the database (exit 2) rather than claim it again and again. */
        load_notice(sh, "%s: could not mark the file failed: %s", f->claim.path, e2.message);
        size_t len = strlen(msg);
        snprintf(msg + len, sizeof msg - len, "; the file returns to the queue when its lease "
                 "runs out");
        *gave_up = 1;
    }
    if (got == 0)
        report_lost(t, f, t0);
    else
        report(f, "failed", NULL, msg, now_seconds() - t0);
    return 0;
}

/* Takes up the claim again for the next attempt; 0 (reported lost) when it is gone. */
static int reclaim(struct file_thread *t, struct fileload *f, double t0)
{
    struct mo_err err;
    mo_err_clear(&err);
    struct claimed_file again = f->claim;
    int got = queue_reclaim(t->conn, &again, t->shared->owner, t->shared->lease_seconds, &err);
    f->claim.attempt = again.attempt;
    f->claim.now = again.now;
    if (f->progress)
        progress_new_attempt(f->progress, again.attempt);
    if (got == 0)
        report_lost(t, f, t0);
    else if (got < 0)
        report(f, "lost", NULL, err.message, now_seconds() - t0);
    if (got <= 0)
        return 0;
    return 1;
}

int loadfile(struct file_thread *t, const struct claimed_file *cf, struct file_progress *progress)
{
    const struct load_shared *sh = t->shared;
    struct fileload *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->shared = t->shared;
    f->claim = *cf;
    f->owner = sh->owner;
    f->fd = -1;
    f->progress = progress;
    f->max_line = sh->tuning.max_line_bytes ? sh->tuning.max_line_bytes : LOADER_MAX_LINE;
    parsepool_stream_init(&f->stream, 0);
    if (sh->ev.started)
        sh->ev.started(sh->ev.ctx, cf->file_id, cf->path, cf->bytes);
    double t0 = now_seconds();
    int retries = 0, gave_up = 0;
    for (;;) {
        struct outcome o;
        struct mo_err err;
        mo_err_clear(&err);
        atomic_store(&progress->rows, 0);
        atomic_store(&progress->bytes_done, 0);
        int r = attempt(t, f, &o, &err);
        if (r == ATTEMPT_OK) {
            atomic_store(&progress->bytes_done, f->claim.bytes);
            report(f, o.status, &o, o.message[0] ? o.message : NULL, now_seconds() - t0);
            break;
        }
        if (!settle_failure(t, f, r, &err, &retries, t0, &gave_up) || !reclaim(t, f, t0))
            break;
    }
    if (t->conn && PQstatus(t->conn) == CONNECTION_OK && PQtransactionStatus(t->conn) == PQTRANS_IDLE) {
        const char *none[1] = { NULL };
        struct mo_err ignore;
        PQclear(db_query(t->conn, SQL_LOAD_APP_NAME, 1, none, &ignore));
    }
    parsepool_stream_destroy(&f->stream);
    free(f);
    return gave_up ? -1 : 0;
}
