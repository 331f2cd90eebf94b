#include "backend/shardwriter.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/db.h"
#include "backend/sql.h"

#define BATCH_FIRST ((size_t)4 << 20)
#define BATCH_MAX ((size_t)16 << 20)
#define WAIT_WORKER_MS 30000

struct shard_node {
    struct shardwriter *sw;
    int index;
    char host[256];
    int port;
    PGconn *conn;
    int in_tx;                  /* BEGIN went through */
    int wrote;                  /* a COPY went through in this transaction */
    int prepared;
    char gid[64];
    pthread_t th;
    int th_up;
    int job;                    /* batch to send, -1 none (guarded by sw->mu) */
    int failed;                 /* guarded by sw->mu */
    struct mo_err err;
};

static void pause_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* The embedded statement q with text put where its marker comment stands. */
static int fill_sql(char *out, size_t n, enum sql_query q, const char *marker, const char *text,
                    struct mo_err *err)
{
    const char *t = sql_text(q), *at = strstr(t, marker);
    if (!at)
        return mo_err_set(err, "sql_shape", "an embedded statement lost its %s", marker);
    int w = snprintf(out, n, "%.*s%s%s", (int)(at - t), t, text, at + strlen(marker));
    if (w < 0 || (size_t)w >= n)
        return mo_err_set(err, "sql_shape", "statement too long for %s", text);
    return 0;
}

/* A worker's failure as the loader classifies it: a lost connection is of class 08 (the
 * file is read again), a meter-day already stored is citus_merge. */
static void node_error(struct shard_node *nd, struct mo_err *e)
{
    if (PQstatus(nd->conn) != CONNECTION_OK || !db_conn_ok(nd->conn)) {
        char msg[sizeof e->message];
        snprintf(msg, sizeof msg, "%s", e->message);
        mo_err_set(e, "08006", "worker %s:%d: %s", nd->host, nd->port, msg);
    } else if (strcmp(e->code, "42P01") == 0) {
        mo_err_set(e, "citus_shards", "worker %s:%d: a shard of reading_day is gone (moved?)",
                   nd->host, nd->port);
    } else if (strcmp(e->code, "23505") == 0) {
        mo_err_set(e, "citus_merge", "worker %s:%d holds meter-days of the file already",
                   nd->host, nd->port);
    }
}

/* ---- connections -------------------------------------------------------------------- */

/* The coordinator's connection options with the worker's host and port. */
static PGconn *connect_node(PGconn *coord, const struct shard_node *nd, struct mo_err *err)
{
    PQconninfoOption *opts = PQconninfo(coord);
    if (!opts)
        return mo_err_set(err, "out_of_memory", "out of memory"), NULL;
    const char *keys[64], *vals[64];
    char port[16];
    snprintf(port, sizeof port, "%d", nd->port);
    int n = 0;
    for (PQconninfoOption *o = opts; o->keyword && n < 60; o++) {
        if (!o->val || !*o->val || strcmp(o->keyword, "host") == 0 ||
            strcmp(o->keyword, "hostaddr") == 0 || strcmp(o->keyword, "port") == 0)
            continue;
        keys[n] = o->keyword;
        vals[n++] = o->val;
    }
    keys[n] = "host";
    vals[n++] = nd->host;
    keys[n] = "port";
    vals[n++] = port;
    keys[n] = NULL;
    vals[n] = NULL;
    PGconn *c = PQconnectdbParams(keys, vals, 0);
    PQconninfoFree(opts);
    if (c && PQstatus(c) == CONNECTION_OK)
        return c;
    mo_err_set(err, "08001", "cannot connect to worker %s:%d: %s", nd->host, nd->port,
               c ? PQerrorMessage(c) : "out of memory");
    char *nl = strchr(err->message, '\n');
    if (nl)
        *nl = '\0';
    PQfinish(c);
    return NULL;
}

/* A worker restarting refuses connections for a moment: wait for it, up to 30 s. */
static int connect_wait(struct shardwriter *sw, struct shard_node *nd, struct mo_err *err)
{
    int waited = 0, step = 100;
    for (;;) {
        nd->conn = connect_node(sw->coord, nd, err);
        if (nd->conn)
            return 0;
        if (waited >= WAIT_WORKER_MS)
            return -1;
        pause_ms(step);
        waited += step;
        step = step < 2000 ? step * 2 : 2000;
    }
}

static int run_gid(PGconn *c, enum sql_query q, const char *gid, struct mo_err *err)
{
    char lit[80], text[256];
    snprintf(lit, sizeof lit, "'%s'", gid); /* gid: meterops_, digits and _ only */
    if (fill_sql(text, sizeof text, q, "/*gid*/", lit, err) < 0)
        return -1;
    PGresult *res = db_query_text(c, text, 0, NULL, err);
    if (!res)
        return -1;
    PQclear(res);
    return 0;
}

/* Prepared transactions loaders left on this worker: each committed or rolled back as
 * the coordinator's record says (meterops.load_prepared_decide); one whose attempt may
 * still commit is left to its loader. */
static int settle_node(struct shardwriter *sw, struct shard_node *nd, struct mo_err *err)
{
    PGresult *res = db_query(nd->conn, SQL_LOAD_PREPARED_LIST, 0, NULL, err);
    if (!res)
        return -1;
    int rc = 0;
    for (int i = 0; rc == 0 && i < PQntuples(res); i++) {
        const char *gid = PQgetvalue(res, i, 0);
        const char *p[1] = { gid };
        PGresult *d = db_query(sw->coord, SQL_LOAD_PREPARED_DECIDE, 1, p, err);
        if (!d) {
            rc = -1;
            break;
        }
        char what[16];
        snprintf(what, sizeof what, "%s", PQgetvalue(d, 0, 0));
        PQclear(d);
        if (strcmp(what, "commit") == 0) {
            char arr[96];
            snprintf(arr, sizeof arr, "{%s}", gid);
            const char *pa[1] = { arr };
            rc = run_gid(nd->conn, SQL_LOAD_COMMIT_PREPARED, gid, err);
            if (rc == 0)
                rc = db_exec(sw->coord, SQL_LOAD_PREPARED_FORGET, 1, pa, err);
            sw->settled++;
        } else if (strcmp(what, "rollback") == 0) {
            rc = run_gid(nd->conn, SQL_LOAD_ROLLBACK_PREPARED, gid, err);
            sw->settled++;
        }
    }
    PQclear(res);
    return rc;
}

/* ---- the sender of one worker ---------------------------------------------------------- */

static int copy_shard(struct shard_node *nd, const char *name, const struct copybuf *b,
                      struct mo_err *err)
{
    char text[512];
    if (fill_sql(text, sizeof text, SQL_LOAD_SHARD_COPY, "/*shard*/", name, err) < 0)
        return -1;
    PGresult *res = PQexec(nd->conn, text);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        db_err_from_result(res, nd->conn, err);
        PQclear(res);
        db_drain(nd->conn);
        return -1;
    }
    PQclear(res);
    for (size_t at = 0; at < b->len;) {
        size_t n = b->len - at > ((size_t)1 << 20) ? (size_t)1 << 20 : b->len - at;
        if (PQputCopyData(nd->conn, (const char *)b->p + at, (int)n) != 1) {
            db_err_from_result(NULL, nd->conn, err);
            db_drain(nd->conn);
            return -1;
        }
        at += n;
    }
    return db_copy_end(nd->conn, NULL, err);
}

static void *node_main(void *arg)
{
    struct shard_node *nd = arg;
    struct shardwriter *sw = nd->sw;
    pthread_mutex_lock(&sw->mu);
    for (;;) {
        while (nd->job < 0 && !sw->quit)
            pthread_cond_wait(&sw->cv, &sw->mu);
        if (nd->job < 0)
            break;
        int job = nd->job, failed = nd->failed;
        pthread_mutex_unlock(&sw->mu);
        struct mo_err e;
        mo_err_clear(&e);
        int rc = 0;
        for (int i = 0; !failed && rc == 0 && i < sw->nshards; i++) {
            if (sw->ranges[i].node != nd->index || sw->bufs[job][i].len == 0)
                continue;
            rc = copy_shard(nd, sw->names[i], &sw->bufs[job][i], &e);
            if (rc == 0)
                nd->wrote = 1;
        }
        if (rc < 0)
            node_error(nd, &e);
        pthread_mutex_lock(&sw->mu);
        if (rc < 0 && !nd->failed) {
            nd->failed = 1;
            nd->err = e;
        }
        nd->job = -1;
        sw->busy--;
        pthread_cond_broadcast(&sw->cv);
    }
    pthread_mutex_unlock(&sw->mu);
    return NULL;
}

/* ---- the file's thread ------------------------------------------------------------------ */

/* Waits for the batch in flight; the first worker failure, if any. */
static int wait_idle(struct shardwriter *sw, struct mo_err *err)
{
    pthread_mutex_lock(&sw->mu);
    while (sw->busy > 0)
        pthread_cond_wait(&sw->cv, &sw->mu);
    int rc = 0;
    for (int k = 0; k < sw->nnodes && rc == 0; k++)
        if (sw->nodes[k].failed) {
            if (err)
                *err = sw->nodes[k].err;
            rc = -1;
        }
    pthread_mutex_unlock(&sw->mu);
    return rc;
}

/* The batch being filled goes to the workers; the other one is filled next. */
static int hand_over(struct shardwriter *sw, struct mo_err *err)
{
    if (wait_idle(sw, err) < 0)
        return -1;
    int b = sw->fill;
    for (int i = 0; i < sw->nshards; i++)
        if (sw->bufs[b][i].len) {
            copybuf_trailer(&sw->bufs[b][i]);
            if (sw->bufs[b][i].oom)
                return mo_err_set(err, "out_of_memory", "out of memory encoding readings");
        }
    pthread_mutex_lock(&sw->mu);
    sw->busy = sw->nnodes;
    for (int k = 0; k < sw->nnodes; k++)
        sw->nodes[k].job = b;
    pthread_cond_broadcast(&sw->cv);
    pthread_mutex_unlock(&sw->mu);
    sw->fill ^= 1;
    for (int i = 0; i < sw->nshards; i++)
        copybuf_reset(&sw->bufs[sw->fill][i]);
    sw->bytes[sw->fill] = 0;
    if (sw->limit < sw->limit_max)
        sw->limit = sw->limit * 2 < sw->limit_max ? sw->limit * 2 : sw->limit_max;
    return 0;
}

int shardwriter_day(struct shardwriter *sw, int64_t meter_id, int64_t day, int nslots,
                    const int32_t *wh, const uint64_t set[2], const uint64_t est[2],
                    struct mo_err *err)
{
    int i = shardmap_find(sw->ranges, sw->nshards, citus_hash_int8(meter_id));
    if (i < 0)
        return mo_err_set(err, "citus_shards", "no shard of reading_day holds meter %lld "
                          "(the shard map changed?)", (long long)meter_id);
    struct copybuf *b = &sw->bufs[sw->fill][i];
    size_t was = b->len;
    if (was == 0)
        copybuf_header(b);
    copybuf_day(b, meter_id, day, nslots, wh, set, est, sw->file_id);
    if (b->oom)
        return mo_err_set(err, "out_of_memory", "out of memory encoding readings");
    sw->days++;
    sw->bytes[sw->fill] += b->len - was;
    if (sw->bytes[sw->fill] >= sw->limit)
        return hand_over(sw, err);
    return 0;
}

int shardwriter_flush(struct shardwriter *sw, struct mo_err *err)
{
    if (sw->bytes[sw->fill] > 0 && hand_over(sw, err) < 0)
        return -1;
    return wait_idle(sw, err);
}

int shardwriter_prepare(struct shardwriter *sw, struct mo_err *err)
{
    if (!sw->active)
        return 0;
    if (shardwriter_flush(sw, err) < 0)
        return -1;
    size_t cap = (size_t)sw->nnodes * 300 + 16;
    char *gids = malloc(cap), *hosts = malloc(cap), *ports = malloc(cap);
    int rc = gids && hosts && ports ? 0 : mo_err_set(err, "out_of_memory", "out of memory");
    size_t g = 0, h = 0, p = 0;
    int any = 0;
    for (int k = 0; rc == 0 && k < sw->nnodes; k++) {
        struct shard_node *nd = &sw->nodes[k];
        if (!nd->wrote) {
            /* nothing written there: its transaction just ends */
            rc = db_exec(nd->conn, SQL_TX_ROLLBACK, 0, NULL, err);
            nd->in_tx = 0;
            continue;
        }
        snprintf(nd->gid, sizeof nd->gid, "meterops_%lld_%d_%d", (long long)sw->file_id,
                 sw->attempt, k);
        rc = run_gid(nd->conn, SQL_LOAD_PREPARE, nd->gid, err);
        if (rc < 0) {
            node_error(nd, err);
            break;
        }
        nd->prepared = 1;
        nd->in_tx = 0;
        /* array literals: gids and ports are plain; the host is quoted */
        g += (size_t)snprintf(gids + g, cap - g, "%s%s", any ? "," : "{", nd->gid);
        h += (size_t)snprintf(hosts + h, cap - h, "%s\"", any ? "," : "{");
        for (const char *s = nd->host; *s && h + 4 < cap; s++) {
            if (*s == '"' || *s == '\\')
                hosts[h++] = '\\';
            hosts[h++] = *s;
        }
        hosts[h++] = '"';
        hosts[h] = '\0';
        p += (size_t)snprintf(ports + p, cap - p, "%s%d", any ? "," : "{", nd->port);
        any = 1;
    }
    if (rc == 0 && any) {
        snprintf(gids + g, cap - g, "}");
        snprintf(hosts + h, cap - h, "}");
        snprintf(ports + p, cap - p, "}");
        char sid[24], satt[16];
        snprintf(sid, sizeof sid, "%lld", (long long)sw->file_id);
        snprintf(satt, sizeof satt, "%d", sw->attempt);
        const char *pr[5] = { sid, satt, gids, hosts, ports };
        rc = db_exec(sw->coord, SQL_LOAD_PREPARED_RECORD, 5, pr, err);
    }
    free(gids);
    free(hosts);
    free(ports);
    return rc;
}

void shardwriter_committing(struct shardwriter *sw)
{
    sw->commit_sent = 1;
}

int shardwriter_finish(struct shardwriter *sw, struct mo_err *err)
{
    int left = 0;
    char *done = malloc((size_t)sw->nnodes * 70 + 4);
    size_t o = 0;
    if (done)
        done[o++] = '{';
    for (int k = 0; k < sw->nnodes; k++) {
        struct shard_node *nd = &sw->nodes[k];
        if (!nd->prepared)
            continue;
        int waited = 0, ok = 0;
        for (;;) {
            struct mo_err e;
            mo_err_clear(&e);
            if (nd->conn && PQstatus(nd->conn) == CONNECTION_OK &&
                run_gid(nd->conn, SQL_LOAD_COMMIT_PREPARED, nd->gid, &e) == 0) {
                ok = 1;
                break;
            }
            if (waited >= WAIT_WORKER_MS) {
                *err = e;
                break;
            }
            /* a worker restarting: its prepared transaction survives; wait and reconnect */
            pause_ms(500);
            waited += 500;
            PQfinish(nd->conn);
            nd->conn = connect_node(sw->coord, nd, &e);
        }
        nd->prepared = 0;
        if (!ok) {
            left++;
            continue;
        }
        if (done)
            o += (size_t)snprintf(done + o, 70, "%s%s", o > 1 ? "," : "", nd->gid);
    }
    if (done && o > 1) {
        snprintf(done + o, 2, "}");
        const char *p[1] = { done };
        struct mo_err e;
        mo_err_clear(&e);
        db_exec(sw->coord, SQL_LOAD_PREPARED_FORGET, 1, p, &e); /* a leftover is harmless */
    }
    free(done);
    sw->active = 0;
    return left;
}

void shardwriter_rollback(struct shardwriter *sw)
{
    if (!sw->nodes)
        return;
    wait_idle(sw, NULL);
    for (int k = 0; k < sw->nnodes; k++) {
        struct shard_node *nd = &sw->nodes[k];
        struct mo_err e;
        mo_err_clear(&e);
        if (!nd->conn || PQstatus(nd->conn) != CONNECTION_OK) {
            nd->in_tx = nd->prepared = 0; /* the worker dropped it, or keeps it prepared for
                                           * the next open to settle */
            continue;
        }
        if (nd->prepared && !sw->commit_sent)
            run_gid(nd->conn, SQL_LOAD_ROLLBACK_PREPARED, nd->gid, &e);
        else if (nd->in_tx)
            db_exec(nd->conn, SQL_TX_ROLLBACK, 0, NULL, &e);
        nd->in_tx = nd->prepared = nd->wrote = 0;
        nd->failed = 0;
    }
    for (int b = 0; b < 2; b++) {
        for (int i = 0; i < sw->nshards; i++)
            copybuf_reset(&sw->bufs[b][i]);
        sw->bytes[b] = 0;
    }
    sw->active = 0;
}

void shardwriter_close(struct shardwriter *sw)
{
    if (sw->coord) {
        pthread_mutex_lock(&sw->mu);
        sw->quit = 1;
        pthread_cond_broadcast(&sw->cv);
        pthread_mutex_unlock(&sw->mu);
        for (int k = 0; k < sw->nnodes; k++) {
            if (sw->nodes[k].th_up)
                pthread_join(sw->nodes[k].th, NULL);
            PQfinish(sw->nodes[k].conn);
        }
        pthread_mutex_destroy(&sw->mu);
        pthread_cond_destroy(&sw->cv);
    }
    for (int b = 0; b < 2; b++) {
        for (int i = 0; sw->bufs[b] && i < sw->nshards; i++)
            copybuf_free(&sw->bufs[b][i]);
        free(sw->bufs[b]);
    }
    free(sw->nodes);
    free(sw->ranges);
    free(sw->names);
    memset(sw, 0, sizeof *sw);
}

/* ---- opening ------------------------------------------------------------------------------ */

static int node_of(struct shardwriter *sw, const char *host, int port)
{
    for (int k = 0; k < sw->nnodes; k++)
        if (sw->nodes[k].port == port && strcmp(sw->nodes[k].host, host) == 0)
            return k;
    struct shard_node *nd = &sw->nodes[sw->nnodes];
    memset(nd, 0, sizeof *nd);
    nd->sw = sw;
    nd->index = sw->nnodes;
    nd->job = -1;
    snprintf(nd->host, sizeof nd->host, "%s", host);
    nd->port = port;
    return sw->nnodes++;
}

/* The shard map; 0 when reading_day is not hash-distributed or a shard has several
 * placements (replicated shards are for Citus to write). */
static int read_map(struct shardwriter *sw, struct mo_err *err)
{
    PGresult *res = db_query(sw->coord, SQL_LOAD_SHARDS, 0, NULL, err);
    if (!res)
        return -1;
    int n = PQntuples(res);
    for (int i = 1; i < n; i++)
        if (strcmp(PQgetvalue(res, i, 0), PQgetvalue(res, i - 1, 0)) == 0)
            n = 0;
    if (n == 0) {
        PQclear(res);
        return 0;
    }
    sw->ranges = calloc((size_t)n, sizeof *sw->ranges);
    sw->names = calloc((size_t)n, sizeof *sw->names);
    sw->nodes = calloc((size_t)n, sizeof *sw->nodes);
    for (int b = 0; b < 2; b++)
        sw->bufs[b] = calloc((size_t)n, sizeof *sw->bufs[b]);
    if (!sw->ranges || !sw->names || !sw->nodes || !sw->bufs[0] || !sw->bufs[1]) {
        PQclear(res);
        return mo_err_set(err, "out_of_memory", "out of memory");
    }
    sw->nshards = n;
    for (int i = 0; i < n; i++) {
        sw->ranges[i].lo = (int32_t)strtol(PQgetvalue(res, i, 1), NULL, 10);
        sw->ranges[i].hi = (int32_t)strtol(PQgetvalue(res, i, 2), NULL, 10);
        sw->ranges[i].node = node_of(sw, PQgetvalue(res, i, 3), atoi(PQgetvalue(res, i, 4)));
        snprintf(sw->names[i], sizeof sw->names[i], "%s", PQgetvalue(res, i, 5));
        copybuf_init(&sw->bufs[0][i]);
        copybuf_init(&sw->bufs[1][i]);
    }
    PQclear(res);
    return 1;
}

static int node_of(struct shardwriter *sw, const char *host, int port);
static void *node_main(void *arg);

/* A worker the attempt writes to: connected (waiting for it), its transaction open, its
 * sender thread started. settle: leftovers of crashed loaders settled first (not when the
 * coordinator's transaction is open: load_prepared_decide locks other files' rows). */
static int node_start(struct shardwriter *sw, struct shard_node *nd, int settle, struct mo_err *err)
{
    if (connect_wait(sw, nd, err) < 0 || (settle && settle_node(sw, nd, err) < 0) ||
        db_exec(nd->conn, SQL_TX_BEGIN, 0, NULL, err) < 0) {
        if (nd->conn)
            node_error(nd, err);
        return -1;
    }
    nd->in_tx = 1;
    nd->th_up = pthread_create(&nd->th, NULL, node_main, nd) == 0;
    if (!nd->th_up)
        return mo_err_set(err, "out_of_memory", "cannot start a worker's COPY thread");
    return 0;
}

int shardwriter_lock(struct shardwriter *sw, struct mo_err *err)
{
    if (db_exec(sw->coord, SQL_LOAD_SHARDS_LOCK, 0, NULL, err) < 0)
        return -1;
    PGresult *res = db_query(sw->coord, SQL_LOAD_SHARDS, 0, NULL, err);
    if (!res)
        return -1;
    if (PQntuples(res) != sw->nshards) {
        PQclear(res);
        return mo_err_set(err, "citus_shards", "the shards of reading_day changed (a split?); "
                          "the file is loaded again with the new map");
    }
    /* Shards moved between the map read at open and the lock (a rebalance running):
     * nothing is written yet, so the map read under the lock is taken as it is, a worker
     * new to this attempt joining it. */
    int rc = 0;
    for (int i = 0; rc == 0 && i < sw->nshards; i++) {
        const char *host = PQgetvalue(res, i, 3);
        int port = atoi(PQgetvalue(res, i, 4)), was = sw->nnodes;
        int k = node_of(sw, host, port);
        sw->ranges[i].lo = (int32_t)strtol(PQgetvalue(res, i, 1), NULL, 10);
        sw->ranges[i].hi = (int32_t)strtol(PQgetvalue(res, i, 2), NULL, 10);
        sw->ranges[i].node = k;
        snprintf(sw->names[i], sizeof sw->names[i], "%s", PQgetvalue(res, i, 5));
        if (sw->nnodes > was)
            rc = node_start(sw, &sw->nodes[k], 0, err);
    }
    PQclear(res);
    return rc;
}

int shardwriter_open(struct shardwriter *sw, PGconn *coord, int64_t file_id, int attempt,
                     size_t first, size_t most, struct mo_err *err)
{
    memset(sw, 0, sizeof *sw);
    sw->coord = coord;
    sw->file_id = file_id;
    sw->attempt = attempt;
    sw->limit = first ? first : BATCH_FIRST;
    sw->limit_max = most ? most : BATCH_MAX;
    if (sw->limit_max < sw->limit)
        sw->limit_max = sw->limit;
    pthread_mutex_init(&sw->mu, NULL);
    pthread_cond_init(&sw->cv, NULL);
    int m = read_map(sw, err);
    if (m <= 0) {
        shardwriter_close(sw);
        return m;
    }
    for (int k = 0; k < sw->nnodes; k++)
        if (node_start(sw, &sw->nodes[k], 1, err) < 0)
            return -1;
    sw->active = 1;
    return 1;
}
