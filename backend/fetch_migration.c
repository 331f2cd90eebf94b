/* fetch_migration.c - see fetch_migration.h. */
#include "backend/fetch_migration.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>

#include "backend/dbasync_query.h"
#include "backend/fetch.h"

void mig_record_free(struct mig_record *r)
{
    if (!r)
        return;
    strpool_free(&r->pool);
    free(r);
}

void mig_side_free(struct mig_side *s)
{
    if (!s)
        return;
    strpool_free(&s->pool);
    free(s);
}

void mig_sizes_free(struct mig_sizes *s)
{
    if (!s)
        return;
    free(s->rows);
    strpool_free(&s->pool);
    free(s);
}

void mig_copy_free(struct mig_copy *c)
{
    if (!c)
        return;
    free(c->rows);
    strpool_free(&c->pool);
    free(c);
}

static void out_of_memory(struct mo_err *e, const char *what)
{
    mo_err_set(e, "out_of_memory", "out of memory reading %s", what);
}

/* A timestamp as the server spells it, cut to the second ("2026-12-04 18:02:11"). */
static const char *to_second(struct strpool *p, const char *ts)
{
    char buf[20];
    snprintf(buf, sizeof buf, "%s", ts);
    return strpool_dup(p, buf);
}

/* move/latest.sql: migration_id, target, publisher, publication, subscription,
 * event_trigger, state, made_dblink, made_schema, made_roles, started_at, paused_at,
 * finished_at, pause_ms, drain_ms */
static void record_answer(const PGresult *res, const struct mo_err *err, dba_any_fn done, void *ctx, uint64_t tag)
{
    mig_record_fn fn = (mig_record_fn)done;
    struct mo_err e;
    if (!res) {
        fn(ctx, tag, NULL, err);
        return;
    }
    struct mig_record *r = calloc(1, sizeof *r);
    if (r && PQntuples(res) > 0) {
        r->found = true;
        r->id = res_i64(res, 0, 0, 0);
        r->target = strpool_dup(&r->pool, res_str(res, 0, 1));
        r->subscription = strpool_dup(&r->pool, res_str(res, 0, 4));
        r->state = strpool_dup(&r->pool, res_str(res, 0, 6));
        r->started_at = to_second(&r->pool, res_str(res, 0, 10));
        r->finished_at = to_second(&r->pool, res_str(res, 0, 12));
        r->pause_ms = res_i64(res, 0, 13, -1);
        if (!r->target || !r->subscription || !r->state || !r->started_at || !r->finished_at) {
            mig_record_free(r);
            r = NULL;
        }
    }
    if (!r) {
        out_of_memory(&e, "the migration record");
        fn(ctx, tag, NULL, &e);
        return;
    }
    fn(ctx, tag, r, NULL);
}

int mig_record_fetch(struct dba *db, mig_record_fn done, void *ctx, uint64_t tag, struct mo_err *err)
{
    return dba_submit(db, SQL_MOVE_LATEST, 0, NULL, record_answer, (dba_any_fn)done, ctx, tag, err);
}

/* move/source_status.sql: lag_bytes, lag_seconds, slot_active, loading, queued, last_loaded */
static void side_answer(const PGresult *res, const struct mo_err *err, dba_any_fn done, void *ctx, uint64_t tag)
{
    mig_side_fn fn = (mig_side_fn)done;
    struct mo_err e;
    if (!res) {
        fn(ctx, tag, NULL, err);
        return;
    }
    struct mig_side *s = calloc(1, sizeof *s);
    if (s) {
        bool row = PQntuples(res) > 0;
        s->lag_bytes = row ? res_i64(res, 0, 0, -1) : -1;
        s->lag_s = row ? res_f64(res, 0, 1, -1) : -1;
        s->slot_active = row && !PQgetisnull(res, 0, 2) ? res_bool(res, 0, 2) : -1;
        s->loading = row ? res_i64(res, 0, 3, 0) : 0;
        s->queued = row ? res_i64(res, 0, 4, 0) : 0;
        s->last_loaded = strpool_dup(&s->pool, row ? res_str(res, 0, 5) : "");
        if (!s->last_loaded) {
            mig_side_free(s);
            s = NULL;
        }
    }
    if (!s) {
        out_of_memory(&e, "the replication status");
        fn(ctx, tag, NULL, &e);
        return;
    }
    fn(ctx, tag, s, NULL);
}

int mig_side_fetch(struct dba *db, const char *name, mig_side_fn done, void *ctx, uint64_t tag,
                   struct mo_err *err)
{
    const char *params[1] = { name };
    return dba_submit(db, SQL_MOVE_SOURCE_STATUS, 1, params, side_answer, (dba_any_fn)done, ctx, tag, err);
}

/* move/sizes.sql: relation, est_rows, bytes */
static void sizes_answer(const PGresult *res, const struct mo_err *err, dba_any_fn done, void *ctx, uint64_t tag)
{
    mig_sizes_fn fn = (mig_sizes_fn)done;
    struct mo_err e;
    if (!res) {
        fn(ctx, tag, NULL, err);
        return;
    }
    struct mig_sizes *s = calloc(1, sizeof *s);
    int n = 0;
    if (s && (s->rows = res_calloc_rows(res, sizeof *s->rows, &n)) == NULL && n) {
        free(s);
        s = NULL;
    }
    for (int i = 0; s && i < n; i++) {
        struct mig_rel *d = &s->rows[i];
        d->relation = strpool_dup(&s->pool, res_str(res, i, 0));
        d->est_rows = res_i64(res, i, 1, 0);
        d->bytes = res_i64(res, i, 2, 0);
        if (!d->relation) {
            mig_sizes_free(s);
            s = NULL;
            break;
        }
        s->n++;
    }
    if (!s) {
        out_of_memory(&e, "the table sizes");
        fn(ctx, tag, NULL, &e);
        return;
    }
    fn(ctx, tag, s, NULL);
}

int mig_sizes_fetch(struct dba *db, mig_sizes_fn done, void *ctx, uint64_t tag, struct mo_err *err)
{
    return dba_submit(db, SQL_MOVE_SIZES, 0, NULL, sizes_answer, (dba_any_fn)done, ctx, tag, err);
}

int mig_counts_fetch(struct dba *db, mig_sizes_fn done, void *ctx, uint64_t tag, struct mo_err *err)
{
    return dba_submit(db, SQL_CONSOLE_MIGRATION_COUNTS, 0, NULL, sizes_answer, (dba_any_fn)done, ctx, tag, err);
}

/* move/target_status.sql: relation, state, copied_rows */
static void copy_answer(const PGresult *res, const struct mo_err *err, dba_any_fn done, void *ctx, uint64_t tag)
{
    mig_copy_fn fn = (mig_copy_fn)done;
    struct mo_err e;
    if (!res) {
        fn(ctx, tag, NULL, err);
        return;
    }
    struct mig_copy *c = calloc(1, sizeof *c);
    int n = 0;
    if (c && (c->rows = res_calloc_rows(res, sizeof *c->rows, &n)) == NULL && n) {
        free(c);
        c = NULL;
    }
    for (int i = 0; c && i < n; i++) {
        struct mig_copy_rel *d = &c->rows[i];
        d->relation = strpool_dup(&c->pool, res_str(res, i, 0));
        d->state = strpool_dup(&c->pool, res_str(res, i, 1));
        d->copied_rows = res_i64(res, i, 2, -1);
        if (!d->relation || !d->state) {
            mig_copy_free(c);
            c = NULL;
            break;
        }
        c->n++;
    }
    if (!c) {
        out_of_memory(&e, "the initial copy's state");
        fn(ctx, tag, NULL, &e);
        return;
    }
    fn(ctx, tag, c, NULL);
}

int mig_copy_fetch(struct dba *db, const char *name, mig_copy_fn done, void *ctx, uint64_t tag,
                   struct mo_err *err)
{
    const char *params[1] = { name };
    return dba_submit(db, SQL_MOVE_TARGET_STATUS, 1, params, copy_answer, (dba_any_fn)done, ctx, tag, err);
}
