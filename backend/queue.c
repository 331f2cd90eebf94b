#include "backend/queue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/db.h"
#include "backend/mpan.h"
#include "backend/sql.h"

int queue_job_start(PGconn *conn, const char *host, int pid, const char *args, int64_t *job_id,
                    struct mo_err *err)
{
    char spid[16];
    snprintf(spid, sizeof spid, "%d", pid);
    const char *p[3] = { host, spid, args };
    PGresult *res = db_query(conn, SQL_LOAD_JOB_START, 3, p, err);
    if (!res)
        return -1;
    *job_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return 0;
}

int queue_job_finish(PGconn *conn, int64_t job_id, const char *status, struct mo_err *err)
{
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", (long long)job_id);
    const char *p[2] = { sid, status };
    PGresult *res = db_query(conn, SQL_LOAD_JOB_FINISH, 2, p, err);
    if (!res)
        return -1;
    PQclear(res);
    return 0;
}

int queue_size_seen(PGconn *conn, int64_t bytes, struct mo_err *err)
{
    char sbytes[24];
    snprintf(sbytes, sizeof sbytes, "%lld", (long long)bytes);
    const char *p[1] = { sbytes };
    PGresult *res = db_query(conn, SQL_LOAD_ENQUEUE_SIZE, 1, p, err);
    if (!res)
        return -1;
    int seen = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    return seen;
}

/* A meter option as compared: its one spelling (mpan.h), "" when not given. */
static void one_spelling(const char *id, char *buf, size_t n)
{
    struct mpxn_id m;
    if (!id || !*id)
        snprintf(buf, n, "%s", "");
    else if (!mpxn_parse(id, strlen(id), &m))
        snprintf(buf, n, "%.*s", (int)m.len, m.id);
    else
        snprintf(buf, n, "%s", id);
}

int queue_enqueue(PGconn *conn, int64_t job_id, const char *path, const char *sha256,
                  int64_t bytes, const char *format, int stage, const struct queue_options *opt,
                  struct enqueue_result *out, struct mo_err *err)
{
    memset(out, 0, sizeof *out);
    if (db_exec(conn, SQL_TX_BEGIN, 0, NULL, err) < 0)
        return -1;
    const char *p1[1] = { sha256 };
    PGresult *res;
    if (!sha256)
        goto add;
    res = db_query(conn, SQL_LOAD_ENQUEUE_LOCK, 1, p1, err);
    if (!res)
        goto fail;
    PQclear(res);
    res = db_query(conn, SQL_LOAD_ENQUEUE_FIND, 1, p1, err);
    if (!res)
        goto fail;
    if (PQntuples(res) > 0) {
        out->file_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        snprintf(out->status, sizeof out->status, "%s", PQgetvalue(res, 0, 1));
        snprintf(out->when, sizeof out->when, "%s", PQgetvalue(res, 0, 2));
        out->outcome = strcmp(out->status, "loaded") == 0 ? ENQUEUE_SKIPPED : ENQUEUE_ADOPTED;
        /* The same bytes with another meter are other readings: not a copy */
        one_spelling(PQgetvalue(res, 0, 4), out->old_meter, sizeof out->old_meter);
        one_spelling(PQgetvalue(res, 0, 5), out->old_export_meter, sizeof out->old_export_meter);
        one_spelling(opt->meter, out->new_meter, sizeof out->new_meter);
        one_spelling(opt->export_meter, out->new_export_meter, sizeof out->new_export_meter);
        if (strcmp(out->new_meter, out->old_meter) != 0 ||
            strcmp(out->new_export_meter, out->old_export_meter) != 0)
            out->outcome = ENQUEUE_CONFLICT;
        PQclear(res);
        return db_exec(conn, SQL_TX_COMMIT, 0, NULL, err);
    }
    PQclear(res);
add:;
    char sjob[24], sbytes[24], sratio[32], sstage[12], smargin[16], scv[32];
    snprintf(smargin, sizeof smargin, "%d", opt->future_margin);
    snprintf(scv, sizeof scv, "%.17g", opt->calorific_value);
    snprintf(sjob, sizeof sjob, "%lld", (long long)job_id);
    snprintf(sstage, sizeof sstage, "%d", stage);
    snprintf(sbytes, sizeof sbytes, "%lld", (long long)bytes);
    snprintf(sratio, sizeof sratio, "%.17g", opt->max_reject_ratio);
    const char *p[15] = { sjob, path, sha256, sbytes, format, opt->meter, opt->export_meter,
                          opt->create_meters ? "true" : NULL, sratio, sstage, opt->not_before,
                          opt->future_margin ? smargin : NULL, opt->unit,
                          opt->calorific_value > 0 ? scv : NULL, opt->xsd ? "true" : NULL };
    res = db_query(conn, SQL_LOAD_ENQUEUE, 15, p, err);
    if (!res)
        goto fail;
    out->outcome = ENQUEUE_ADDED;
    out->file_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return db_exec(conn, SQL_TX_COMMIT, 0, NULL, err);
fail:
    PQclear(PQexec(conn, sql_text(SQL_TX_ROLLBACK)));
    return -1;
}

void queue_id_array(const int64_t *ids, size_t n, char *buf)
{
    char *o = buf;
    *o++ = '{';
    for (size_t i = 0; i < n; i++)
        o += sprintf(o, "%s%lld", i ? "," : "", (long long)ids[i]);
    *o++ = '}';
    *o = '\0';
}

static char *dup_or_null(const PGresult *res, int col)
{
    return PQgetisnull(res, 0, col) ? NULL : strdup(PQgetvalue(res, 0, col));
}

int queue_claim(PGconn *conn, const char *owner, int lease_seconds, const int64_t *ids,
                size_t nids, struct claimed_file *out, struct mo_err *err)
{
    memset(out, 0, sizeof *out);
    char lease[16];
    snprintf(lease, sizeof lease, "%d", lease_seconds);
    char *arr = NULL;
    if (ids) {
        arr = malloc(nids * 21 + 3);
        if (!arr)
            return mo_err_set(err, "out_of_memory", "out of memory");
        queue_id_array(ids, nids, arr);
    }
    const char *p[3] = { owner, lease, arr };
    PGresult *res = db_query(conn, SQL_LOAD_CLAIM, 3, p, err);
    free(arr);
    if (!res)
        return -1;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return 0;
    }
    out->file_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    out->path = strdup(PQgetvalue(res, 0, 1));
    snprintf(out->sha256, sizeof out->sha256, "%s", PQgetvalue(res, 0, 2));
    out->bytes = strtoll(PQgetvalue(res, 0, 3), NULL, 10);
    snprintf(out->format, sizeof out->format, "%s", PQgetvalue(res, 0, 4));
    out->attempt = atoi(PQgetvalue(res, 0, 5));
    out->now = strtoll(PQgetvalue(res, 0, 6), NULL, 10);
    out->meter = dup_or_null(res, 7);
    out->export_meter = dup_or_null(res, 8);
    out->create_meters = PQgetvalue(res, 0, 9)[0] == 't';
    out->max_reject_ratio = strtod(PQgetvalue(res, 0, 10), NULL);
    out->not_before = dup_or_null(res, 11);
    out->future_margin = atoi(PQgetvalue(res, 0, 12));
    snprintf(out->unit, sizeof out->unit, "%s", PQgetvalue(res, 0, 13));
    out->calorific_value = strtod(PQgetvalue(res, 0, 14), NULL);
    out->xsd = PQgetvalue(res, 0, 15)[0] == 't';
    PQclear(res);
    if (!out->path) {
        queue_claimed_free(out);
        return mo_err_set(err, "out_of_memory", "out of memory");
    }
    return 1;
}

void queue_claimed_free(struct claimed_file *f)
{
    free(f->path);
    free(f->meter);
    free(f->export_meter);
    free(f->not_before);
    memset(f, 0, sizeof *f);
}

int queue_reclaim(PGconn *conn, struct claimed_file *f, const char *owner, int lease_seconds,
                  struct mo_err *err)
{
    char sid[24], lease[16];
    snprintf(sid, sizeof sid, "%lld", (long long)f->file_id);
    snprintf(lease, sizeof lease, "%d", lease_seconds);
    const char *p[3] = { sid, owner, lease };
    PGresult *res = db_query(conn, SQL_LOAD_RECLAIM, 3, p, err);
    if (!res)
        return -1;
    int got = PQntuples(res) > 0;
    if (got) {
        f->attempt = atoi(PQgetvalue(res, 0, 0));
        f->now = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
    }
    PQclear(res);
    return got;
}

int queue_renew(PGconn *conn, int64_t file_id, const char *owner, int attempt,
                int lease_seconds, int64_t progress_rows, struct mo_err *err)
{
    char sid[24], lease[16], prog[24], satt[16];
    snprintf(sid, sizeof sid, "%lld", (long long)file_id);
    snprintf(lease, sizeof lease, "%d", lease_seconds);
    snprintf(prog, sizeof prog, "%lld", (long long)progress_rows);
    snprintf(satt, sizeof satt, "%d", attempt);
    const char *p[5] = { sid, owner, lease, prog, satt };
    PGresult *res = db_query(conn, SQL_LOAD_RENEW, 5, p, err);
    if (!res)
        return -1;
    int got = PQntuples(res) > 0;
    PQclear(res);
    return got;
}

/* "{a,b,c}" of one field of held[0..n): 0 file ids, 1 attempts, 2 rows. */
static char *held_array(const struct held_file *held, int n, int which)
{
    char *buf = malloc((size_t)n * 22 + 3), *p = buf;
    if (!buf)
        return NULL;
    *p++ = '{';
    for (int i = 0; i < n; i++) {
        long long v = which == 0 ? held[i].file_id : which == 1 ? held[i].attempt : held[i].rows;
        p += sprintf(p, "%s%lld", i ? "," : "", v);
    }
    *p++ = '}';
    *p = '\0';
    return buf;
}

int queue_renew_all(PGconn *conn, const char *owner, int lease_seconds, int64_t loader_id,
                    const struct held_file *held, int n, int *lost, struct mo_err *err)
{
    char lease[16], lid[24];
    snprintf(lease, sizeof lease, "%d", lease_seconds);
    snprintf(lid, sizeof lid, "%lld", (long long)loader_id);
    char *ids = held_array(held, n, 0), *att = held_array(held, n, 1), *rows = held_array(held, n, 2);
    int nlost = -1;
    if (!ids || !att || !rows) {
        mo_err_set(err, "out_of_memory", "out of memory");
        goto out;
    }
    const char *p[6] = { owner, lease, lid, ids, att, rows };
    PGresult *res = db_query(conn, SQL_LOAD_RENEW_ALL, 6, p, err);
    if (!res)
        goto out;
    nlost = 0;
    for (int r = 0; r < PQntuples(res); r++) {
        int64_t id = strtoll(PQgetvalue(res, r, 0), NULL, 10);
        for (int i = 0; i < n; i++)
            if (held[i].file_id == id)
                lost[nlost++] = i;
    }
    PQclear(res);
out:
    free(ids);
    free(att);
    free(rows);
    return nlost;
}

int queue_loader_register(PGconn *conn, const char *host, int pid, const char *owner,
                          const char *kind, int64_t job_id, int lease_seconds,
                          int64_t *loader_id, struct mo_err *err)
{
    char spid[16], sjob[24], lease[16];
    snprintf(spid, sizeof spid, "%d", pid);
    snprintf(sjob, sizeof sjob, "%lld", (long long)job_id);
    snprintf(lease, sizeof lease, "%d", lease_seconds);
    const char *p[6] = { host, spid, owner, kind, job_id > 0 ? sjob : NULL, lease };
    PGresult *res = db_query(conn, SQL_LOAD_LOADER_REGISTER, 6, p, err);
    if (!res)
        return -1;
    *loader_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return 0;
}

int queue_loader_stop(PGconn *conn, int64_t loader_id, struct mo_err *err)
{
    char lid[24];
    snprintf(lid, sizeof lid, "%lld", (long long)loader_id);
    const char *p[1] = { lid };
    return db_exec(conn, SQL_LOAD_LOADER_STOP, 1, p, err) < 0 ? -1 : 0;
}

static int end_claim(PGconn *conn, enum sql_query name, int64_t file_id, const char *owner,
                     const char *message, struct mo_err *err)
{
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", (long long)file_id);
    const char *p[3] = { sid, owner, message };
    PGresult *res = db_query(conn, name, 3, p, err);
    if (!res)
        return -1;
    int ended = PQntuples(res) > 0;
    PQclear(res);
    return ended;
}

int queue_fail(PGconn *conn, int64_t file_id, const char *owner, const char *message,
               struct mo_err *err)
{
    return end_claim(conn, SQL_LOAD_FAIL, file_id, owner, message, err);
}

int queue_release(PGconn *conn, int64_t file_id, const char *owner, const char *message,
                  struct mo_err *err)
{
    return end_claim(conn, SQL_LOAD_RELEASE, file_id, owner, message, err);
}
