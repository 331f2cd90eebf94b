#include "backend/merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/db.h"
#include "backend/halfhour.h"
#include "backend/sql.h"

#define BATCH_FIRST ((size_t)4 << 20)
#define BATCH_MAX ((size_t)32 << 20)
#define SEND_STEP ((size_t)256 << 10)

/* The sender: streams what the file's thread publishes, while a COPY is open. */
static void *sender_main(void *arg)
{
    struct writer *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->quit && !(w->sending && w->sent < w->avail && !w->send_failed))
            pthread_cond_wait(&w->cv, &w->mu);
        if (w->quit)
            break;
        size_t from = w->sent, to = w->avail;
        const unsigned char *p = w->direct.p;
        pthread_mutex_unlock(&w->mu);
        int ok = 1;
        while (from < to && ok) {
            size_t n = to - from > ((size_t)1 << 20) ? (size_t)1 << 20 : to - from;
            ok = PQputCopyData(w->conn, (const char *)p + from, (int)n) == 1;
            from += ok ? n : 0;
        }
        pthread_mutex_lock(&w->mu);
        w->sent = from;
        if (!ok) {
            w->send_failed = 1;
            snprintf(w->send_error, sizeof w->send_error, "%s", PQerrorMessage(w->conn));
        }
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

void writer_init(struct writer *w, PGconn *conn, int64_t file_id)
{
    memset(w, 0, sizeof *w);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->sender_up = pthread_create(&w->sender, NULL, sender_main, w) == 0;
    w->conn = conn;
    w->file_id = file_id;
    copybuf_init(&w->direct);
    copybuf_init(&w->merge);
    const char *env = getenv("MO_LOAD_BATCH_BYTES");
    w->limit = env && atol(env) > 0 ? (size_t)atol(env) : BATCH_FIRST;
    w->limit_max = w->limit > BATCH_MAX ? w->limit : BATCH_MAX;
    w->known_lo = w->known_hi = 0;
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
    copybuf_free(&w->direct);
    copybuf_free(&w->merge);
    free(w->months);
    memset(w, 0, sizeof *w);
}

/* Waits until the sender has sent everything published; returns -1 if it failed. */
static int sender_drain(struct writer *w, struct mo_err *err)
{
    pthread_mutex_lock(&w->mu);
    while (w->sending && w->sent < w->avail && !w->send_failed)
        pthread_cond_wait(&w->cv, &w->mu);
    int failed = w->send_failed;
    w->sending = 0;
    w->send_failed = 0;
    pthread_mutex_unlock(&w->mu);
    if (failed)
        return mo_err_set(err, "08006", "sending readings failed: %s", w->send_error);
    return 0;
}

/* Hands direct.p[.. len) to the sender (or sends it here when there is no sender). */
static int publish(struct writer *w, struct mo_err *err)
{
    if (!w->sender_up) {
        int rc = 0;
        if (w->direct.len > w->sent &&
            PQputCopyData(w->conn, (const char *)w->direct.p + w->sent,
                          (int)(w->direct.len - w->sent)) != 1)
            rc = db_err_from_result(NULL, w->conn, err);
        w->sent = w->avail = w->direct.len;
        return rc;
    }
    pthread_mutex_lock(&w->mu);
    w->avail = w->direct.len;
    w->sending = 1;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    return 0;
}

void writer_reset(struct writer *w)
{
    struct mo_err ignore;
    sender_drain(w, &ignore);
    copybuf_reset(&w->direct);
    copybuf_reset(&w->merge);
    w->sent = w->avail = 0;
    w->copy_open = 0;
}

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
    PGresult *res = db_query_named(w->conn, "load/partitions", 0, NULL, err);
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

static int drain(PGconn *conn)
{
    PGresult *res;
    while ((res = PQgetResult(conn)))
        PQclear(res);
    return 0;
}

void writer_abort(struct writer *w)
{
    struct mo_err ignore;
    sender_drain(w, &ignore);
    if (w->copy_open && PQstatus(w->conn) == CONNECTION_OK) {
        /* end the COPY so the connection can roll back and take the next file */
        PQputCopyEnd(w->conn, "load abandoned");
        drain(w->conn);
    }
    w->copy_open = 0;
    copybuf_reset(&w->direct);
    copybuf_reset(&w->merge);
    w->sent = w->avail = 0;
}

/* Starts a COPY named by sql; returns 0 when the server is ready for data. */
static int copy_start(PGconn *conn, const char *name, struct mo_err *err)
{
    PGresult *res = PQexec(conn, sql_text(name));
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        db_err_from_result(res, conn, err);
        PQclear(res);
        drain(conn);
        return -1;
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

/* Ends a COPY; returns 0, or -1 with err (code = SQLSTATE). */
static int copy_end(PGconn *conn, struct mo_err *err)
{
    if (PQputCopyEnd(conn, NULL) != 1) {
        db_err_from_result(NULL, conn, err);
        drain(conn);
        return -1;
    }
    PGresult *res = PQgetResult(conn);
    int rc = 0;
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = db_err_from_result(res, conn, err);
    PQclear(res);
    drain(conn);
    return rc;
}

/* The correction path for a complete binary COPY stream (header to trailer). */
static int merge_stream(struct writer *w, const unsigned char *p, size_t n, struct mo_err *err)
{
    if (copy_start(w->conn, "load/stage_copy", err) < 0)
        return -1;
    if (send_bytes(w->conn, p, n, err) < 0) {
        drain(w->conn);
        return -1;
    }
    if (copy_end(w->conn, err) < 0)
        return -1;
    PGresult *res = db_query_named(w->conn, "load/merge", 0, NULL, err);
    if (!res)
        return -1;
    w->days_merged += strtoll(PQcmdTuples(res), NULL, 10);
    PQclear(res);
    res = db_query_named(w->conn, "load/stage_clear", 0, NULL, err);
    if (!res)
        return -1;
    PQclear(res);
    return 0;
}

static int direct_open(struct writer *w, struct mo_err *err)
{
    if (db_exec(w->conn, "SAVEPOINT mo_batch", 0, NULL, err) < 0)
        return -1;
    if (copy_start(w->conn, "load/direct_copy", err) < 0)
        return -1;
    w->copy_open = 1;
    w->sent = w->avail = 0;
    return 0;
}

static int flush_direct(struct writer *w, struct mo_err *err)
{
    if (w->direct.len == 0)
        return 0;
    copybuf_trailer(&w->direct);
    if (w->direct.oom)
        return mo_err_set(err, "out_of_memory", "out of memory encoding readings");
    if (!w->copy_open && direct_open(w, err) < 0)
        return -1;
    if (publish(w, err) < 0 || sender_drain(w, err) < 0) {
        w->copy_open = 0;
        drain(w->conn);
        return -1;
    }
    w->copy_open = 0;
    w->batches++;
    struct mo_err cerr;
    mo_err_clear(&cerr);
    if (copy_end(w->conn, &cerr) == 0) {
        if (db_exec(w->conn, "RELEASE SAVEPOINT mo_batch", 0, NULL, err) < 0)
            return -1;
        w->merge_run = 0;
    } else if (strcmp(cerr.code, "23505") == 0) {
        /* some meter-day of the batch is stored already: correct instead of insert */
        w->corrections++;
        w->merge_run = w->merge_run ? (w->merge_run < 64 ? w->merge_run * 2 : 64) : 1;
        w->merge_left = w->merge_run;
        if (db_exec(w->conn, "ROLLBACK TO SAVEPOINT mo_batch", 0, NULL, err) < 0 ||
            db_exec(w->conn, "RELEASE SAVEPOINT mo_batch", 0, NULL, err) < 0)
            return -1;
        if (merge_stream(w, w->direct.p, w->direct.len, err) < 0)
            return -1;
    } else {
        if (err)
            *err = cerr;
        return -1;
    }
    copybuf_reset(&w->direct);
    w->sent = w->avail = 0;
    if (w->limit < w->limit_max)
        w->limit *= 2;
    return 0;
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
    if (flush_direct(w, err) < 0)
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
    if (merge || w->merge_left > 0) {
        if (w->copy_open || w->direct.len) {
            if (flush_direct(w, err) < 0)
                return -1;
        }
        if (w->merge.len == 0)
            copybuf_header(&w->merge);
        copybuf_day(&w->merge, meter_id, day, nslots, wh, set, est, w->file_id);
        if (w->merge.len >= w->limit)
            return flush_merge(w, err);
        return 0;
    }
    if (w->merge.len && flush_merge(w, err) < 0)
        return -1;
    if (w->direct.len == 0) {
        /* the whole batch fits without moving: the sender reads it in place */
        if (copybuf_reserve(&w->direct, w->limit + 4096) < 0)
            return mo_err_set(err, "out_of_memory", "out of memory for a batch of readings");
        copybuf_header(&w->direct);
    }
    copybuf_day(&w->direct, meter_id, day, nslots, wh, set, est, w->file_id);
    w->days_direct++;
    if (w->direct.oom)
        return mo_err_set(err, "out_of_memory", "out of memory encoding readings");
    if (w->direct.len >= w->limit)
        return flush_direct(w, err);
    if (w->direct.len - w->avail >= SEND_STEP) {
        if (!w->copy_open && direct_open(w, err) < 0)
            return -1;
        return publish(w, err);
    }
    return 0;
}
