/* loadfile.c - one claimed file, start to finish, on its file thread's connection.
 *
 * An attempt: read and check the header, load the registry, open the transaction, read
 * the file in chunks through the parse threads and the assembler (pass 1, and phase 2
 * when the file was not contiguous by meter-day), then decide: rejected when too many
 * rows failed (roll the readings back, keep the errors), else loaded. Either way the
 * status, counts and load_error rows commit in the same transaction as the readings.
 *
 * Retries: a lost connection (server restart) is restored with backoff and the file is
 * read again from the start, the failed transaction having left nothing; deadlocks,
 * serialization failures and meter ids registered concurrently are retried a few times;
 * anything else marks the file failed with the reason. */
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
#include "backend/filehash.h"
#include "backend/hashpipe.h"
#include "backend/loadint.h"
#include "backend/loadreg.h"
#include "backend/sql.h"

#define MAX_LINE ((size_t)256 << 20)
#define HEADER_MAX 65536

enum attempt_result { A_OK, A_CONN, A_RETRY, A_FAIL, A_STOPPED, A_LOST };

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

/* The caller must own conn: no COPY sender may be using it (stopped_classify). A lost
 * server is retried, not taken for a failed file, even when libpq has not noticed yet
 * (db_conn_ok). */
static int classify(PGconn *conn, const struct mo_err *err)
{
    if (!db_conn_ok(conn))
        return A_CONN;
    const char *c = err->code;
    if (strncmp(c, "08", 2) == 0 || strcmp(c, "57P01") == 0 || strcmp(c, "57P02") == 0 ||
        strcmp(c, "57P03") == 0)
        return A_CONN;
    if (strcmp(c, "40001") == 0 || strcmp(c, "40P01") == 0 || strcmp(c, "23505") == 0 ||
        strcmp(c, "55P03") == 0)
        return A_RETRY;
    return A_FAIL;
}

/* classify for a failure in the middle of a pass, when the COPY sender may still be
 * streaming on the connection: it is stopped first (the attempt is over anyway). */
static int stopped_classify(struct writer *w, PGconn *conn, const struct mo_err *err)
{
    writer_abort(w);
    return classify(conn, err);
}

/* ---- reading the file in chunks -------------------------------------------------------- */

static int ensure_chunks(struct slot *s)
{
    if (s->chunks)
        return 0;
    int n = 2 * s->L->jobs + 2;
    s->chunks = calloc((size_t)n, sizeof *s->chunks);
    if (!s->chunks)
        return -1;
    s->nchunks = n;
    return 0;
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

/* Fills c with whole lines (the last chunk may end without a newline). */
static int fill_chunk(struct slot *s, struct fileload *f, struct chunk *c, size_t want,
                      int *eof, struct mo_err *err)
{
    if (grow_buf(&c->buf, &c->cap, want > s->carry_len ? want : s->carry_len * 2) < 0)
        return mo_err_set(err, "out_of_memory", "out of memory for file chunks");
    if (s->carry_len)
        memcpy(c->buf, s->carry, s->carry_len);
    c->len = s->carry_len;
    s->carry_len = 0;
    size_t limit = c->cap < want ? c->cap : (want > c->len ? want : c->cap);
    for (;;) {
        while (c->len < limit && !*eof) {
            ssize_t n = read(f->fd, c->buf + c->len, limit - c->len);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                return mo_err_at(err, f->claim.path, 0, 0, "file_read", "cannot read: %s",
                                 strerror(errno));
            }
            if (n == 0)
                *eof = 1;
            c->len += (size_t)n;
        }
        if (*eof)
            return 0;
        char *nl = memrchr(c->buf, '\n', c->len);
        if (nl) {
            size_t keep = (size_t)(nl + 1 - c->buf);
            size_t rest = c->len - keep;
            if (grow_buf(&s->carry, &s->carry_cap, rest) < 0)
                return mo_err_set(err, "out_of_memory", "out of memory");
            if (rest)
                memcpy(s->carry, c->buf + keep, rest);
            s->carry_len = rest;
            c->len = keep;
            return 0;
        }
        /* no newline in the whole buffer: one very long line */
        if (c->cap >= MAX_LINE)
            return mo_err_at(err, f->claim.path, 0, 0, "line_too_long",
                             "a line is longer than %zu MB", MAX_LINE >> 20);
        if (grow_buf(&c->buf, &c->cap, c->cap * 2) < 0)
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

/* One read of the data lines through the parse threads and the assembler, hashing the
 * file's bytes on the side (check_content compares them at the end). */
static int run_pass(struct slot *s, struct fileload *f, struct assembler *a, int pass1,
                    struct mo_err *err)
{
    struct loader *L = s->L;
    if (ensure_chunks(s) < 0)
        return mo_err_set(err, "out_of_memory", "out of memory"), A_FAIL;
    struct hashpipe *hp = hashpipe_start(s->nchunks + 1, loader_worker_nice());
    if (!hp)
        return mo_err_set(err, "out_of_memory", "cannot start the hashing thread"), A_FAIL;
    if (hash_header(f, hp, err) < 0) {
        char ignore[65];
        hashpipe_end(hp, ignore);
        return A_FAIL;
    }
    f->gen = atomic_fetch_add(&L->gen, 1) + 1;
    f->next_parse_seq = 0;
    f->parsing = 0;
    if (!f->parallel && f->fmt->state_size)
        memcpy(f->seq_state.priv, f->priv_after_header, f->fmt->state_size);
    if (lseek(f->fd, f->data_offset, SEEK_SET) < 0) {
        mo_err_at(err, f->claim.path, 0, 0, "file_read", "cannot seek: %s", strerror(errno));
        char ignore[65];
        hashpipe_end(hp, ignore); /* its thread would wait for pieces forever */
        return A_FAIL;
    }
    s->carry_len = 0;
    int64_t line = 2;
    uint64_t seq = 0, next = 0;
    int eof = 0, inflight = 0, rc = A_OK;
    while (!eof || inflight) {
        /* read ahead while chunks are free, but not past a chunk that is parsed and
         * waits to be assembled: at the start that is the first day's way to the server */
        while (!eof && inflight < s->nchunks && rc == A_OK &&
               !(inflight > 0 && loader_chunk_done(L, &s->chunks[next % (uint64_t)s->nchunks]))) {
            struct chunk *c = &s->chunks[seq % (uint64_t)s->nchunks];
            /* the first chunks are smaller (1/8, 1/4, 1/2): the first days reach the
             * server sooner, and the server is the slowest stage */
            size_t want = seq < 3 ? L->chunk_bytes >> (3 - seq) : L->chunk_bytes;
            if (fill_chunk(s, f, c, want ? want : 1, &eof, err) < 0) {
                rc = A_FAIL;
                break;
            }
            if (c->len == 0)
                break;
            c->f = f;
            c->seq = seq++;
            c->hash_ticket = hashpipe_add(hp, c->buf, c->len);
            c->first_line = 0; /* the parse thread counts from 0; see rebase_lines */
            loader_dispatch(L, c);
            inflight++;
        }
        if (!inflight)
            break;
        struct chunk *c = &s->chunks[next % (uint64_t)s->nchunks];
        loader_wait_chunk(L, c);
        rebase_lines(c, line);
        line += c->lines;
        inflight--;
        next++;
        if (rc != A_OK)
            continue; /* let the parse threads finish what they hold, then stop */
        if (c->oom) {
            mo_err_set(err, "out_of_memory", "out of memory while reading the file");
            rc = A_FAIL;
        } else if (asm_chunk(a, c, err) < 0) {
            rc = stopped_classify(a->w, f->conn, err);
        }
        hashpipe_wait(hp, c->hash_ticket); /* before the chunk is filled again */
        if (pass1) {
            atomic_fetch_add(&f->progress_rows, c->lines);
            atomic_fetch_add(&f->bytes_done, (int64_t)c->len);
        }
        pthread_mutex_lock(&L->mu);
        int stop = L->stop;
        pthread_mutex_unlock(&L->mu);
        if (rc == A_OK && stop)
            rc = A_STOPPED;
        if (rc == A_OK && atomic_load(&f->claim_lost))
            rc = A_LOST;
        if (rc == A_OK && L->throttle_ms > 0) {
            struct timespec ts = { L->throttle_ms / 1000, (long)(L->throttle_ms % 1000) * 1000000L };
            nanosleep(&ts, NULL);
        }
    }
    char sha[65];
    int64_t hashed = hashpipe_end(hp, sha);
    if (rc == A_OK && check_content(f, sha, hashed, err) < 0)
        rc = A_FAIL;
    return rc;
}

/* ---- the header ----------------------------------------------------------------------- */

static void free_header(struct fileload *f)
{
    for (int i = 0; i < f->ncols; i++)
        free(f->colnames[i]);
    free(f->colnames);
    f->colnames = NULL;
    f->ncols = 0;
    free(f->seq_state.priv);
    free(f->priv_after_header);
    f->seq_state.priv = f->priv_after_header = NULL;
}

/* Reads line 1. Returns 0, 1 when the header is refused (header_err and raw filled),
 * or -1 on an I/O error. */
static int read_header(struct fileload *f, struct mo_err *header_err, char *raw, size_t *raw_len,
                       struct mo_err *err)
{
    char *buf = malloc(HEADER_MAX);
    if (!buf)
        return mo_err_set(err, "out_of_memory", "out of memory");
    size_t len = 0;
    while (len < HEADER_MAX) {
        ssize_t n = pread(f->fd, buf + len, HEADER_MAX - len, (off_t)len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            free(buf);
            return mo_err_at(err, f->claim.path, 0, 0, "file_read", "cannot read: %s",
                             strerror(errno));
        }
        if (n == 0)
            break;
        len += (size_t)n;
        if (memchr(buf, '\n', len))
            break;
    }
    char *nl = memchr(buf, '\n', len);
    size_t hlen = nl ? (size_t)(nl - buf) : len;
    f->data_offset = nl ? (int64_t)(hlen + 1) : (int64_t)len;
    *raw_len = hlen < 1000 ? hlen : 1000;
    memcpy(raw, buf, *raw_len);
    if (*raw_len && raw[*raw_len - 1] == '\r')
        (*raw_len)--;
    int rc = 0;
    if (len == 0) {
        mo_err_at(header_err, f->claim.path, 1, 0, "header", "the file is empty: no header");
        rc = 1;
    } else if (!nl && len == HEADER_MAX) {
        mo_err_at(header_err, f->claim.path, 1, 0, "header", "line 1 is longer than %d bytes; "
                  "no format has such a header", HEADER_MAX);
        rc = 1;
    }
    const char *text = buf;
    size_t tlen = csvline_trim(&text, hlen, 1);
    int bad;
    if (!rc && !utf8_valid(text, tlen, &bad)) {
        mo_err_at(header_err, f->claim.path, 1, 0, "header", "the header is not valid UTF-8 "
                  "(byte %d)", bad);
        rc = 1;
    }
    struct linesplit ls;
    char **fields = NULL;
    size_t *lens = NULL;
    int n = -1;
    const char *why = NULL;
    if (linesplit_init(&ls, ',') < 0) {
        free(buf);
        return mo_err_set(err, "out_of_memory", "out of memory");
    }
    if (!rc && (n = linesplit_split(&ls, text, tlen, &fields, &lens, &why)) < 0) {
        mo_err_at(header_err, f->claim.path, 1, 0, "header", "the header is not valid CSV: %s", why);
        rc = 1;
    }
    if (!rc) {
        const struct reader_format *fmt = NULL;
        if (f->claim.format[0] && strcmp(f->claim.format, "unknown") != 0) {
            fmt = reader_find(f->claim.format);
            if (!fmt) {
                mo_err_at(header_err, f->claim.path, 1, 0, "header", "unknown format '%s'",
                          f->claim.format);
                rc = 1;
            }
        } else {
            fmt = reader_detect(fields, lens, n);
            if (!fmt) {
                char names[300] = "";
                for (size_t i = 0; reader_formats[i]; i++)
                    snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
                             i ? ", " : "", reader_formats[i]->name);
                mo_err_at(header_err, f->claim.path, 1, 0, "header", "the header '%.*s' is "
                          "not one of a known format (%s)", (int)(tlen < 200 ? tlen : 200), text,
                          names);
                rc = 1;
            }
        }
        if (fmt) {
            f->fmt = fmt;
            /* MO_LOAD_SERIAL=1 reads every format in order on one parse thread (to tell a
             * format's own fault from a parallel-reading one) */
            const char *serial = getenv("MO_LOAD_SERIAL");
            f->parallel = (fmt->flags & READER_PARALLEL) && !(serial && *serial == '1');
            f->colnames = calloc((size_t)n, sizeof *f->colnames);
            f->seq_state.priv = calloc(1, fmt->state_size ? fmt->state_size : 1);
            f->priv_after_header = calloc(1, fmt->state_size ? fmt->state_size : 1);
            if (!f->colnames || !f->seq_state.priv || !f->priv_after_header) {
                rc = mo_err_set(err, "out_of_memory", "out of memory");
            } else {
                f->ncols = n;
                for (int i = 0; i < n; i++)
                    f->colnames[i] = strdup(fields[i]);
                f->seq_state.fmt = fmt;
                f->seq_state.path = f->claim.path;
                f->seq_state.line = 1;
                if (fmt->header && fmt->header(&f->seq_state, fields, lens, n, header_err) < 0)
                    rc = 1;
                else if (fmt->state_size)
                    memcpy(f->priv_after_header, f->seq_state.priv, fmt->state_size);
            }
        }
    }
    linesplit_free(&ls);
    free(buf);
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
    if (*dup) {
        memset(o, 0, sizeof *o);
        o->status = "loaded";
        snprintf(o->message, sizeof o->message, "skipped: the same content as file %s, loaded "
                 "on %s; nothing loaded again (meterops requeue %s loads it again)",
                 PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 0));
    }
    PQclear(res);
    return A_OK;
}

/* Status, counts and errors (and the meters this file registers) in the open
 * transaction, then COMMIT. A file whose content another file loaded meanwhile commits
 * nothing but its status. */
static int commit_file(struct fileload *f, struct errlog *log, struct assembler *a,
                       struct outcome *o, struct mo_err *err)
{
    if (f->sha256[0] && strcmp(o->status, "loaded") == 0) {
        int dup, rc = settle_duplicate(f, o, &dup, err);
        if (rc != A_OK)
            return rc;
        if (dup) {
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
    const char *p1[1] = { sid };
    PGresult *res = db_query(f->conn, SQL_LOAD_ERRORS_CLEAR, 1, p1, err);
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
        return A_LOST;
    }
    if (db_exec(f->conn, SQL_TX_COMMIT, 0, NULL, err) < 0)
        return classify(f->conn, err);
    return A_OK;
}

/* Files that do not go through the chunk pipeline (a refused header, registry feeds) are
 * hashed in one pass of their own; they are small, or refused at line 1. */
static int hash_whole(struct fileload *f, struct mo_err *err)
{
    struct filehash h;
    if (filehash_file(f->claim.path, &h, err) < 0)
        return -1;
    return check_content(f, h.sha256, h.bytes, err);
}

static void map_option(struct fileload *f, struct mapped_meter *m, const char *id)
{
    memset(m, 0, sizeof *m);
    if (!id)
        return;
    m->given = 1;
    m->idlen = strlen(id) < sizeof m->id - 1 ? strlen(id) : sizeof m->id - 1;
    memcpy(m->id, id, m->idlen);
    m->index = meters_find(&f->meters, m->id, m->idlen);
}

static void reject_cb(void *ctx, int64_t line, int column, const char *code, const char *msg)
{
    struct fileload *f = ctx;
    struct loader *L = f->L;
    if (L->ev && L->ev->reject)
        L->ev->reject(L->ev->ctx, f->claim.file_id, f->claim.path, line, column, code, msg);
}

/* One attempt at the file. */
static int attempt(struct slot *s, struct fileload *f, struct outcome *o, struct mo_err *err)
{
    struct loader *L = s->L;
    memset(o, 0, sizeof *o);
    f->conn = s->conn;
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", (long long)f->claim.file_id);
    const char *pid[1] = { sid };
    PGresult *named = db_query(f->conn, SQL_LOAD_APP_NAME, 1, pid, err);
    if (!named)
        return classify(f->conn, err);
    PQclear(named);
    f->fd = open(f->claim.path, O_RDONLY | O_CLOEXEC);
    if (f->fd < 0) {
        mo_err_at(err, f->claim.path, 0, 0, "file_open", "cannot open: %s", strerror(errno));
        return A_FAIL;
    }
    struct stat sb;
    if (fstat(f->fd, &sb) == 0 && sb.st_size != f->claim.bytes) {
        mo_err_at(err, f->claim.path, 0, 0, "file_changed", "the file is %lld bytes now, %lld "
                  "when it was queued: it changed; queue it again", (long long)sb.st_size,
                  (long long)f->claim.bytes);
        return A_FAIL;
    }
    struct errlog log;
    if (errlog_open(&log, f->claim.file_id, err) < 0)
        return A_FAIL;
    struct mo_err herr;
    mo_err_clear(&herr);
    char raw[1000];
    size_t raw_len = 0;
    int h = read_header(f, &herr, raw, &raw_len, err);
    int rc;
    if (h < 0 || ((h > 0 || f->fmt->kind == READER_REGISTRY) && hash_whole(f, err) < 0)) {
        rc = A_FAIL;
        goto out;
    }
    if (h > 0) {
        /* the whole file is refused: one error at line 1 */
        const char *name = herr.column > 0 ? fileload_colname(f, herr.column) : NULL;
        errlog_add(&log, 1, name, "header", herr.message, raw, raw_len);
        reject_cb(f, 1, name ? herr.column : 0, "header", herr.message);
        o->status = "rejected";
        snprintf(o->message, sizeof o->message, "header: %s", herr.message);
        if (db_exec(f->conn, SQL_TX_BEGIN, 0, NULL, err) < 0) {
            rc = classify(f->conn, err);
            goto out;
        }
        rc = commit_file(f, &log, NULL, o, err);
        goto out;
    }
    if (f->fmt->kind == READER_REGISTRY) {
        rc = loadreg_run(f, &log, o->message, sizeof o->message, &o->rows_total,
                         &o->rows_loaded, &o->rows_rejected, err);
        if (rc == 0) {
            double ratio = o->rows_total ? (double)o->rows_rejected / (double)o->rows_total : 0;
            o->status = o->rows_total > 0 && ratio > f->claim.max_reject_ratio ? "rejected" : "loaded";
            if (strcmp(o->status, "rejected") == 0) {
                snprintf(o->message, sizeof o->message, "%lld of %lld records rejected (%.2f%%), "
                         "above the reject ratio %g: nothing loaded", (long long)o->rows_rejected,
                         (long long)o->rows_total, 100 * ratio, f->claim.max_reject_ratio);
                o->rows_loaded = 0;
            }
            rc = loadreg_finish(f, &log, strcmp(o->status, "rejected") == 0, err);
            if (rc == 0)
                rc = commit_file(f, &log, NULL, o, err);
            else
                rc = classify(f->conn, err);
        } else {
            rc = classify(f->conn, err);
        }
        goto out;
    }
    /* readings */
    if (meters_load(f->conn, &f->meters, err) < 0) {
        rc = classify(f->conn, err);
        goto out;
    }
    map_option(f, &f->meter_opt, f->claim.meter);
    map_option(f, &f->export_opt, f->claim.export_meter);
    f->create_meters = f->claim.create_meters;
    f->now = f->claim.now;
    struct writer w;
    if (writer_init(&w, f->conn, f->claim.file_id, err) < 0) {
        writer_free(&w);
        rc = A_FAIL;
        goto out;
    }
    w.ensure = loader_ensure_partition;
    w.ensure_ctx = L;
    struct assembler a;
    if (asm_init(&a, f, &w, &log, L->day_budget) < 0) {
        writer_free(&w);
        mo_err_set(err, "out_of_memory", "out of memory");
        rc = A_FAIL;
        goto out;
    }
    a.next_ids = loader_next_ids;
    a.next_ids_ctx = L;
    a.report = reject_cb;
    a.report_ctx = f;
    rc = A_OK;
    if (writer_load_partitions(&w, err) < 0 || db_exec(f->conn, SQL_TX_BEGIN, 0, NULL, err) < 0)
        rc = classify(f->conn, err);
    if (rc == A_OK)
        rc = run_pass(s, f, &a, 1, err);
    if (rc == A_OK && (asm_end_pass(&a, err) < 0 || writer_flush(&w, err) < 0))
        rc = stopped_classify(&w, f->conn, err);
    size_t cursor = 0;
    int passes = 0;
    while (rc == A_OK && a.late_meters > 0 && asm_next_batch(&a, &cursor) > 0) {
        if (passes++ == 0)
            loader_notice(L, "%s: not grouped by meter-day: %lld meter(s) got readings for days "
                          "already written; reading the file again for them", f->claim.path,
                          (long long)a.late_meters);
        rc = run_pass(s, f, &a, 0, err);
        if (rc == A_OK && (asm_end_batch(&a, err) < 0 || writer_flush(&w, err) < 0))
            rc = stopped_classify(&w, f->conn, err);
    }
    if (rc == A_OK && a.rows_deferred != 0) {
        mo_err_set(err, "internal", "%lld rows were set aside and never decided; nothing "
                   "loaded", (long long)a.rows_deferred);
        rc = A_FAIL;
    }
    if (rc == A_OK) {
        o->rows_loaded = a.rows_loaded;
        o->rows_rejected = a.rows_rejected;
        o->rows_total = a.rows_loaded + a.rows_rejected;
        o->readings = a.readings;
        double ratio = o->rows_total ? (double)o->rows_rejected / (double)o->rows_total : 0;
        if (o->rows_total > 0 && ratio > f->claim.max_reject_ratio) {
            /* none of its readings land: roll them back, keep the errors */
            o->status = "rejected";
            snprintf(o->message, sizeof o->message, "%lld of %lld rows rejected (%.2f%%), above "
                     "the reject ratio %g: nothing loaded", (long long)o->rows_rejected,
                     (long long)o->rows_total, 100 * ratio, f->claim.max_reject_ratio);
            o->rows_loaded = 0;
            o->readings = 0;
            writer_reset(&w);
            if (db_exec(f->conn, SQL_TX_ROLLBACK, 0, NULL, err) < 0 ||
                db_exec(f->conn, SQL_TX_BEGIN, 0, NULL, err) < 0)
                rc = classify(f->conn, err);
            else
                rc = commit_file(f, &log, NULL, o, err);
        } else {
            o->status = "loaded";
            if (o->rows_rejected)
                snprintf(o->message, sizeof o->message, "%lld of %lld rows rejected (see "
                         "load_error)", (long long)o->rows_rejected, (long long)o->rows_total);
            rc = commit_file(f, &log, &a, o, err);
        }
    }
    if (rc != A_OK)
        writer_abort(&w);
    asm_free(&a);
    writer_free(&w);
out:
    if (rc != A_OK && f->conn && PQstatus(f->conn) == CONNECTION_OK)
        rollback(f->conn);
    errlog_close(&log);
    meters_free(&f->meters);
    free_header(f);
    close(f->fd);
    f->fd = -1;
    return rc;
}

static void report(struct loader *L, struct fileload *f, const char *status,
                   const struct outcome *o, const char *message, double seconds)
{
    if (!L->ev || !L->ev->finished)
        return;
    struct load_report r = {
        .file_id = f->claim.file_id, .path = f->claim.path, .status = status,
        .format = f->fmt ? f->fmt->name : f->claim.format,
        .rows_total = o ? o->rows_total : 0, .rows_loaded = o ? o->rows_loaded : 0,
        .rows_rejected = o ? o->rows_rejected : 0, .readings = o ? o->readings : 0,
        .seconds = seconds, .message = message,
    };
    L->ev->finished(L->ev->ctx, &r);
}

int loadfile(struct slot *s, struct claimed_file *cf)
{
    struct loader *L = s->L;
    struct fileload *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->L = L;
    f->claim = *cf;
    f->owner = L->owner;
    f->fd = -1;
    pthread_cond_init(&f->done_cv, NULL);
    pthread_mutex_lock(&L->mu);
    s->cur = f;
    pthread_mutex_unlock(&L->mu);
    if (L->ev && L->ev->started)
        L->ev->started(L->ev->ctx, cf->file_id, cf->path, cf->bytes);
    double t0 = now_seconds();
    int retries = 0, rc = 0;
    for (;;) {
        struct outcome o;
        struct mo_err err;
        mo_err_clear(&err);
        atomic_store(&f->progress_rows, 0);
        atomic_store(&f->bytes_done, 0);
        int r = attempt(s, f, &o, &err);
        if (r == A_OK) {
            atomic_store(&f->bytes_done, f->claim.bytes);
            report(L, f, o.status, &o, o.message[0] ? o.message : NULL, now_seconds() - t0);
            break;
        }
        if (r == A_STOPPED || r == A_LOST) {
            struct mo_err e2;
            if (r == A_STOPPED)
                queue_release(s->conn, f->claim.file_id, L->owner, "loader stopped; back in the queue", &e2);
            report(L, f, r == A_STOPPED ? "released" : "lost", NULL,
                   r == A_STOPPED ? "the loader stopped: the file is back in the queue"
                                  : "the lease ran out and another loader took the file",
                   now_seconds() - t0);
            break;
        }
        if (r == A_CONN) {
            loader_notice(L, "%s: lost the database connection (%s); will retry the file",
                          f->claim.path, err.message);
            if (loader_reconnect(L, &s->conn, "file connection") < 0) {
                report(L, f, "failed", NULL, "the database stayed unreachable; the file "
                       "returns to the queue when its lease runs out", now_seconds() - t0);
                rc = -1;
                break;
            }
        } else if (r == A_RETRY && retries < 3) {
            retries++;
            loader_notice(L, "%s: %s; retrying the file", f->claim.path, err.message);
        } else {
            char msg[sizeof err.message + 300];
            mo_err_format(&err, msg, sizeof msg);
            struct mo_err e2;
            mo_err_clear(&e2);
            if (queue_fail(s->conn, f->claim.file_id, L->owner, msg, &e2) < 0)
                loader_notice(L, "%s: could not mark the file failed: %s", f->claim.path, e2.message);
            report(L, f, "failed", NULL, msg, now_seconds() - t0);
            break;
        }
        struct mo_err e3;
        mo_err_clear(&e3);
        struct claimed_file again = f->claim;
        int got = queue_reclaim(s->conn, &again, L->owner, L->lease_seconds, &e3);
        pthread_mutex_lock(&L->mu); /* the lease keeper reads the attempt */
        f->claim.attempt = again.attempt;
        f->claim.now = again.now;
        atomic_store(&f->claim_lost, 0);
        pthread_mutex_unlock(&L->mu);
        if (got <= 0) {
            report(L, f, "lost", NULL, got == 0 ? "the lease ran out and another loader took "
                   "the file" : e3.message, now_seconds() - t0);
            break;
        }
    }
    if (s->conn && PQstatus(s->conn) == CONNECTION_OK && PQtransactionStatus(s->conn) == PQTRANS_IDLE) {
        const char *none[1] = { NULL };
        struct mo_err ignore;
        PQclear(db_query(s->conn, SQL_LOAD_APP_NAME, 1, none, &ignore));
    }
    pthread_mutex_lock(&L->mu);
    s->cur = NULL;
    pthread_mutex_unlock(&L->mu);
    pthread_cond_destroy(&f->done_cv);
    free(f);
    return rc;
}
