#include "backend/daywriter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/db.h"
#include "backend/halfhour.h"
#include "backend/sql.h"

#define BATCH_FIRST ((size_t)4 << 20)
#define BATCH_MAX ((size_t)16 << 20) /* two of them: one filled, one sent */
#define SEND_STEP ((size_t)256 << 10)

enum { B_FREE, B_FILLING, B_SEALED, B_FAILED };

static int month_of(int64_t day, int64_t *lo, int64_t *hi)
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    *lo = days_from_civil(y, m, 1);
    *hi = *lo + days_in_month(y, m);
    return y * 12 + m - 1;
}

static int have_month(const struct writer *w, int32_t mo)
{
    for (size_t i = 0; i < w->nmonths; i++)
        if (w->months[i] == mo)
            return 1;
    return 0;
}

static int add_month(struct writer *w, int32_t mo)
{
    if (have_month(w, mo))
        return 0;
    if (w->nmonths == w->capmonths) {
        size_t cap = w->capmonths ? w->capmonths * 2 : 64;
        int32_t *m = realloc(w->months, cap * sizeof *m);
        if (!m)
            return -1;
        w->months = m;
        w->capmonths = cap;
    }
    w->months[w->nmonths++] = mo;
    return 0;
}

int writer_load_partitions(struct writer *w, struct mo_err *err)
{
    PGresult *res = db_query(w->conn, SQL_LOAD_PARTITIONS, 0, NULL, err);
    if (!res)
        return -1;
    for (int i = 0; i < PQntuples(res); i++) {
        int y, m;
        if (sscanf(PQgetvalue(res, i, 0), "reading_day_%4d_%2d", &y, &m) == 2 &&
            add_month(w, y * 12 + m - 1) < 0) {
            PQclear(res);
            return mo_err_set(err, "out_of_memory", "out of memory");
        }
    }
    PQclear(res);
    return 0;
}

static int send_bytes(PGconn *conn, const unsigned char *p, size_t n, struct mo_err *err)
{
    while (n > 0) {
        int chunk = n > (1u << 30) ? 1 << 30 : (int)n;
        if (PQputCopyData(conn, (const char *)p, chunk) != 1)
            return db_err_from_result(NULL, conn, err);
        p += chunk;
        n -= (size_t)chunk;
    }
    return 0;
}

/* The correction path for a complete binary COPY stream (header to trailer). */
static int merge_stream(struct writer *w, const unsigned char *p, size_t n, struct mo_err *err)
{
    if (!w->stage_checked) {
        /* made when a file first needs it, inside its transaction (IF NOT EXISTS: once
         * per session unless that transaction rolls back); most files never do */
        PGresult *res = db_query(w->conn, SQL_LOAD_STAGE_CREATE, 0, NULL, err);
        if (!res)
            return -1;
        PQclear(res);
        w->stage_checked = 1;
    }
    if (db_copy_begin(w->conn, SQL_LOAD_STAGE_COPY, err) < 0)
        return -1;
    if (send_bytes(w->conn, p, n, err) < 0) {
        db_drain(w->conn);
        return -1;
    }
    if (db_copy_end(w->conn, NULL, err) < 0)
        return -1;
    PGresult *res = db_query(w->conn, SQL_LOAD_MERGE, 0, NULL, err);
    if (!res)
        return -1;
    w->days_merged += strtoll(PQcmdTuples(res), NULL, 10);
    PQclear(res);
    res = db_query(w->conn, SQL_LOAD_STAGE_CLEAR, 0, NULL, err);
    if (!res)
        return -1;
    PQclear(res);
    return 0;
}

/* ---- the sender: the direct path's side of the connection -------------------------- */

static int direct_open(struct writer *w, struct mo_err *err)
{
    if (db_exec(w->conn, SQL_LOAD_BATCH_SAVEPOINT, 0, NULL, err) < 0)
        return -1;
    return db_copy_begin(w->conn, SQL_LOAD_DIRECT_COPY, err);
}

/* Ends batch b's COPY: 0 done (savepoint released), 1 it met stored days (rolled back to
 * its savepoint), -1 an error. */
static int direct_close(struct writer *w, struct mo_err *err)
{
    struct mo_err cerr;
    mo_err_clear(&cerr);
    if (db_copy_end(w->conn, NULL, &cerr) == 0)
        return db_exec(w->conn, SQL_LOAD_BATCH_RELEASE, 0, NULL, err) < 0 ? -1 : 0;
    if (strcmp(cerr.code, "23505") != 0) {
        *err = cerr;
        return -1;
    }
    if (db_exec(w->conn, SQL_LOAD_BATCH_ROLLBACK, 0, NULL, err) < 0 ||
        db_exec(w->conn, SQL_LOAD_BATCH_RELEASE, 0, NULL, err) < 0)
        return -1;
    return 1;
}

/* Whether the sender has something to do (mu held). */
static int sender_has_work(const struct writer *w)
{
    if (w->quit || (w->abort && w->copy_open))
        return 1;
    if (w->abort || w->failed)
        return 0;
    const struct batch *b = &w->b[w->send];
    return b->avail > w->sent || (b->state == B_SEALED && w->sent == b->avail);
}

static void *sender_main(void *arg)
{
    struct writer *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!sender_has_work(w)) {
            w->busy = 0;
            pthread_cond_broadcast(&w->cv);
            pthread_cond_wait(&w->cv, &w->mu);
        }
        if (w->quit)
            break;
        w->busy = 1;
        if (w->abort) {
            /* end the COPY so the connection can roll back and take the next file */
            pthread_mutex_unlock(&w->mu);
            db_copy_end(w->conn, "load abandoned", NULL);
            pthread_mutex_lock(&w->mu);
            w->copy_open = 0;
            continue;
        }
        struct batch *b = &w->b[w->send];
        size_t from = w->sent, to = b->avail;
        int seal = b->state == B_SEALED, open = w->copy_open; /* sealed: avail is its length */
        const unsigned char *p = b->buf.p;
        pthread_mutex_unlock(&w->mu);
        struct mo_err e;
        mo_err_clear(&e);
        int rc = open ? 0 : direct_open(w, &e);
        if (rc == 0)
            open = 1;
        while (rc == 0 && from < to) {
            size_t n = to - from > ((size_t)1 << 20) ? (size_t)1 << 20 : to - from;
            if (PQputCopyData(w->conn, (const char *)p + from, (int)n) != 1)
                rc = db_err_from_result(NULL, w->conn, &e);
            else
                from += n;
        }
        int closed = 0;
        if (rc == 0 && seal && from == to) {
            rc = direct_close(w, &e);
            closed = 1;
        }
        pthread_mutex_lock(&w->mu);
        w->sent = from;
        w->copy_open = open && !closed;
        if (rc == 0 && closed) {
            /* the batch is in; the file's thread may fill this buffer again */
            b->state = B_FREE;
            b->avail = 0;
            w->sent = 0;
            w->send ^= 1;
            w->batches++;
            w->merge_run = 0;
        } else if (rc == 1) {
            b->state = B_FAILED;
            w->sent = 0;
            w->failed = 1;
        } else if (rc < 0) {
            w->send_err = e;
            w->failed = 1;
        }
        pthread_cond_broadcast(&w->cv);
    }
    w->busy = 0;
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

void writer_set_first_batch(struct writer *w, size_t bytes)
{
    /* the sender never reads the limits: only the file's thread does */
    w->limit = bytes > 0 ? bytes : BATCH_FIRST;
    w->limit_max = w->limit > BATCH_MAX ? w->limit : BATCH_MAX;
}

void writer_set_batch_max(struct writer *w, size_t bytes)
{
    if (bytes > 0 && bytes < w->limit_max)
        w->limit_max = bytes > w->limit ? bytes : w->limit;
}

int writer_init(struct writer *w, PGconn *conn, int64_t file_id, struct mo_err *err)
{
    memset(w, 0, sizeof *w);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->conn = conn;
    w->file_id = file_id;
    copybuf_init(&w->b[0].buf);
    copybuf_init(&w->b[1].buf);
    copybuf_init(&w->merge);
    writer_set_first_batch(w, 0);
    w->known_lo = w->known_hi = 0;
    w->sender_up = pthread_create(&w->sender, NULL, sender_main, w) == 0;
    if (!w->sender_up)
        return mo_err_set(err, "out_of_memory", "cannot start the COPY sender thread");
    return 0;
}

void writer_free(struct writer *w)
{
    if (w->sender_up) {
        pthread_mutex_lock(&w->mu);
        w->quit = 1;
        pthread_cond_broadcast(&w->cv);
        pthread_mutex_unlock(&w->mu);
        pthread_join(w->sender, NULL);
    }
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    copybuf_free(&w->b[0].buf);
    copybuf_free(&w->b[1].buf);
    copybuf_free(&w->merge);
    free(w->months);
    memset(w, 0, sizeof *w);
}

/* ---- the file's thread ---------------------------------------------------------------- */

/* The sender stopped (w->failed): sends its batch through the correction path, or
 * returns its error. The connection is this thread's until failed is cleared. */
static int take_failed(struct writer *w, struct mo_err *err)
{
    pthread_mutex_lock(&w->mu);
    while (w->busy)
        pthread_cond_wait(&w->cv, &w->mu);
    struct batch *b = &w->b[w->send];
    if (b->state != B_FAILED) {
        *err = w->send_err;
        pthread_mutex_unlock(&w->mu);
        return -1;
    }
    w->corrections++;
    w->merge_run = w->merge_run ? (w->merge_run < 64 ? w->merge_run * 2 : 64) : 1;
    w->merge_left = w->merge_run;
    pthread_mutex_unlock(&w->mu);
    /* some meter-day of the batch is stored already: correct instead of insert */
    if (merge_stream(w, b->buf.p, b->buf.len, err) < 0)
        return -1;
    pthread_mutex_lock(&w->mu);
    b->state = B_FREE;
    b->avail = 0;
    w->sent = 0;
    w->send ^= 1;
    w->failed = 0;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    return 0;
}

/* Waits (mu held) until done(w) or the sender stopped; handles a stop. 0, or -1. */
static int wait_sender(struct writer *w, int (*done)(const struct writer *), struct mo_err *err)
{
    for (;;) {
        while (!done(w) && !w->failed)
            pthread_cond_wait(&w->cv, &w->mu);
        if (done(w))
            return 0;
        pthread_mutex_unlock(&w->mu);
        int rc = take_failed(w, err);
        pthread_mutex_lock(&w->mu);
        if (rc < 0)
            return -1;
    }
}

static int other_free(const struct writer *w)
{
    return w->b[w->fill ^ 1].state == B_FREE;
}

static int all_done(const struct writer *w)
{
    return w->b[0].state == B_FREE && w->b[1].state == B_FREE && !w->busy && !w->copy_open;
}

/* The batch being filled is complete: the sender ends it after its last byte, and the
 * other buffer is filled next (once the sender is through with it). */
static int seal(struct writer *w, struct mo_err *err)
{
    struct batch *b = &w->b[w->fill];
    if (b->state != B_FILLING)
        return 0;
    copybuf_trailer(&b->buf);
    if (b->buf.oom)
        return mo_err_set(err, "out_of_memory", "out of memory encoding readings");
    pthread_mutex_lock(&w->mu);
    b->avail = b->buf.len;
    b->state = B_SEALED;
    pthread_cond_broadcast(&w->cv);
    int rc = wait_sender(w, other_free, err);
    if (rc == 0)
        w->fill ^= 1;
    pthread_mutex_unlock(&w->mu);
    if (rc == 0 && w->limit < w->limit_max)
        w->limit *= 2;
    return rc;
}

/* Every direct batch through, the connection free for other statements. */
static int direct_sync(struct writer *w, struct mo_err *err)
{
    if (seal(w, err) < 0)
        return -1;
    pthread_mutex_lock(&w->mu);
    int rc = wait_sender(w, all_done, err);
    pthread_mutex_unlock(&w->mu);
    return rc;
}

/* Hands the bytes written so far to the sender. */
static void publish(struct writer *w, struct batch *b)
{
    pthread_mutex_lock(&w->mu);
    b->avail = b->buf.len;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

/* Forgets everything unsent; a COPY in progress is ended (failed) first. */
static void stop_direct(struct writer *w)
{
    pthread_mutex_lock(&w->mu);
    w->abort = 1;
    pthread_cond_broadcast(&w->cv);
    while (w->busy || w->copy_open)
        pthread_cond_wait(&w->cv, &w->mu);
    for (int i = 0; i < 2; i++) {
        copybuf_reset(&w->b[i].buf);
        w->b[i].avail = 0;
        w->b[i].state = B_FREE;
    }
    w->fill = w->send = 0;
    w->sent = 0;
    w->failed = 0;
    w->abort = 0;
    pthread_mutex_unlock(&w->mu);
}

void writer_reset(struct writer *w)
{
    if (w->sw)
        shardwriter_rollback(w->sw);
    stop_direct(w);
    copybuf_reset(&w->merge);
}

void writer_abort(struct writer *w)
{
    writer_reset(w);
}

static int flush_merge(struct writer *w, struct mo_err *err)
{
    if (w->merge.len == 0)
        return 0;
    copybuf_trailer(&w->merge);
    if (w->merge.oom)
        return mo_err_set(err, "out_of_memory", "out of memory encoding readings");
    int rc = merge_stream(w, w->merge.p, w->merge.len, err);
    copybuf_reset(&w->merge);
    if (w->merge_left > 0)
        w->merge_left--;
    return rc;
}

int writer_flush(struct writer *w, struct mo_err *err)
{
    if (direct_sync(w, err) < 0)
        return -1;
    if (w->sw && shardwriter_flush(w->sw, err) < 0)
        return -1;
    return flush_merge(w, err);
}

/* Makes sure day's month has a partition before a row of it is written. */
static int partition_for(struct writer *w, int64_t day, struct mo_err *err)
{
    if (day >= w->known_lo && day < w->known_hi)
        return 0;
    int64_t lo, hi;
    int32_t mo = month_of(day, &lo, &hi);
    if (!have_month(w, mo)) {
        /* the batches in progress end first: a COPY sees the partitions of its start */
        if (writer_flush(w, err) < 0)
            return -1;
        if (w->ensure(w->ensure_ctx, day, err) < 0)
            return -1;
        if (add_month(w, mo) < 0)
            return mo_err_set(err, "out_of_memory", "out of memory");
    }
    w->known_lo = lo;
    w->known_hi = hi;
    return 0;
}

int writer_day(struct writer *w, int64_t meter_id, int64_t day, int nslots, const int32_t *wh,
               const uint64_t set[2], const uint64_t est[2], int merge, struct mo_err *err)
{
    if (partition_for(w, day, err) < 0)
        return -1;
    if (w->sw) {
        if (merge)
            return mo_err_set(err, "citus_merge", "the file writes a meter-day twice");
        w->days_direct++;
        return shardwriter_day(w->sw, meter_id, day, nslots, wh, set, est, err);
    }
    if (merge || w->merge_left > 0) {
        if (direct_sync(w, err) < 0)
            return -1;
        if (w->merge.len == 0)
            copybuf_header(&w->merge);
        copybuf_day(&w->merge, meter_id, day, nslots, wh, set, est, w->file_id);
        if (w->merge.len >= w->limit)
            return flush_merge(w, err);
        return 0;
    }
    if (w->merge.len && flush_merge(w, err) < 0)
        return -1;
    struct batch *b = &w->b[w->fill];
    if (b->state == B_FREE) {
        /* the whole batch fits without moving: the sender reads it in place */
        copybuf_reset(&b->buf);
        if (copybuf_reserve(&b->buf, w->limit + 4096) < 0)
            return mo_err_set(err, "out_of_memory", "out of memory for a batch of readings");
        copybuf_header(&b->buf);
        pthread_mutex_lock(&w->mu);
        b->state = B_FILLING;
        pthread_mutex_unlock(&w->mu);
    }
    copybuf_day(&b->buf, meter_id, day, nslots, wh, set, est, w->file_id);
    w->days_direct++;
    if (b->buf.oom)
        return mo_err_set(err, "out_of_memory", "out of memory encoding readings");
    if (b->buf.len >= w->limit)
        return seal(w, err);
    if (b->avail == 0 || b->buf.len - b->avail >= SEND_STEP)
        publish(w, b); /* the first day at once: the sender opens the COPY meanwhile */
    return 0;
}
