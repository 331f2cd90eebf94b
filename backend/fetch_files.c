/* fetch_files.c - see fetch_files.h. */
#include "backend/fetch_files.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/dbasync_query.h"
#include "backend/fetch.h"

const char *const file_statuses[5] = { "queued", "loading", "loaded", "rejected", "failed" };
const char *const file_sort_names[FILE_SORT_COUNT] = {
    "id", "job", "status", "path", "rows", "rejected", "queued", "finished",
};

bool file_status_valid(const char *s)
{
    for (int i = 0; i < 5; i++)
        if (strcmp(s, file_statuses[i]) == 0)
            return true;
    return false;
}

void file_list_free(struct file_list *l)
{
    if (!l)
        return;
    free(l->rows);
    strpool_free(&l->pool);
    free(l);
}

static int copy_strings(struct file_row *dst, const struct file_row *src, struct strpool *pool)
{
    dst->path = strpool_dup(pool, src->path);
    dst->format = strpool_dup(pool, src->format);
    dst->sha256 = strpool_dup(pool, src->sha256);
    dst->message = strpool_dup(pool, src->message);
    dst->claimed_by = strpool_dup(pool, src->claimed_by);
    return dst->path && dst->format && dst->sha256 && dst->message && dst->claimed_by ? 0 : -1;
}

static int reserve(struct file_list *l, size_t n)
{
    if (n <= l->cap)
        return 0;
    size_t cap = l->cap ? l->cap * 2 : 64;
    while (cap < n)
        cap *= 2;
    struct file_row *rows = realloc(l->rows, cap * sizeof *rows);
    if (!rows)
        return -1;
    l->rows = rows;
    l->cap = cap;
    return 0;
}

static struct file_list *list_from_result(const PGresult *r)
{
    struct file_list *l = calloc(1, sizeof *l);
    int n = PQntuples(r);
    if (!l || reserve(l, (size_t)n) < 0) {
        file_list_free(l);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        struct file_row row = { 0 };
        row.file_id = res_i64(r, i, 0, 0);
        row.job_id = res_i64(r, i, 1, 0);
        row.path = res_str(r, i, 2);
        row.format = res_str(r, i, 3);
        snprintf(row.status, sizeof row.status, "%s", res_str(r, i, 4));
        row.sha256 = res_str(r, i, 5);
        row.bytes = res_i64(r, i, 6, 0);
        row.rows_total = res_i64(r, i, 7, 0);
        row.rows_loaded = res_i64(r, i, 8, 0);
        row.rows_rejected = res_i64(r, i, 9, 0);
        row.readings_loaded = res_i64(r, i, 10, 0);
        row.progress_rows = res_i64(r, i, 11, 0);
        row.message = res_str(r, i, 12);
        row.queued_at = res_i64(r, i, 13, 0);
        row.started_at = res_i64(r, i, 14, 0);
        row.finished_at = res_i64(r, i, 15, 0);
        row.lease_until = res_i64(r, i, 16, 0);
        row.claimed_by = res_str(r, i, 17);
        row.attempts = (int)res_i64(r, i, 18, 0);
        row.requeues = (int)res_i64(r, i, 19, 0);
        l->matching = res_i64(r, i, 20, 0);
        l->rows[i] = row;
        if (copy_strings(&l->rows[i], &row, &l->pool) < 0) {
            file_list_free(l);
            return NULL;
        }
        l->n++;
    }
    return l;
}

static void files_answer(const PGresult *res, const struct mo_err *err, dba_any_fn done,
                         void *ctx, uint64_t tag)
{
    file_list_fn fn = (file_list_fn)done;
    if (!res) {
        fn(ctx, tag, NULL, err);
        return;
    }
    struct file_list *l = list_from_result(res);
    if (!l) {
        struct mo_err e;
        mo_err_set(&e, "out_of_memory", "out of memory reading the file list");
        fn(ctx, tag, NULL, &e);
        return;
    }
    fn(ctx, tag, l, NULL);
}

int files_fetch(struct dba *db, const struct file_filter *f, const int64_t *ids, size_t nids,
                int limit, file_list_fn done, void *ctx, uint64_t tag, struct mo_err *err)
{
    char job[24], lim[24];
    char *idlit = NULL;
    if (nids > 0 && !(idlit = ids_literal(ids, nids)))
        return mo_err_set(err, "out_of_memory", "out of memory");
    snprintf(job, sizeof job, "%lld", (long long)f->job_id);
    snprintf(lim, sizeof lim, "%d", limit > 0 ? limit : 1000);
    const char *params[5] = { f->status, f->text, f->job_id > 0 ? job : NULL, idlit, lim };
    int rc = dba_submit(db, SQL_CONSOLE_FILES, 5, params, files_answer, (dba_any_fn)done, ctx, tag, err);
    free(idlit);
    return rc;
}

struct file_row *file_list_find(struct file_list *l, int64_t file_id)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->rows[i].file_id == file_id)
            return &l->rows[i];
    return NULL;
}

int file_list_merge(struct file_list *into, const struct file_list *part, const int64_t *ids,
                    size_t nids)
{
    /* Asked for but not returned: gone from this view. */
    for (size_t k = 0; k < nids; k++) {
        bool back = false;
        for (size_t j = 0; j < part->n && !back; j++)
            back = part->rows[j].file_id == ids[k];
        if (back)
            continue;
        for (size_t i = 0; i < into->n; i++) {
            if (into->rows[i].file_id == ids[k]) {
                memmove(&into->rows[i], &into->rows[i + 1], (into->n - i - 1) * sizeof *into->rows);
                into->n--;
                if (into->matching > 0)
                    into->matching--;
                break;
            }
        }
    }
    for (size_t j = 0; j < part->n; j++) {
        struct file_row *row = file_list_find(into, part->rows[j].file_id);
        if (!row) {
            if (reserve(into, into->n + 1) < 0)
                return -1;
            row = &into->rows[into->n++];
            into->matching++;
        }
        *row = part->rows[j];
        if (copy_strings(row, &part->rows[j], &into->pool) < 0)
            return -1;
    }
    return 0;
}

/* qsort is not stable; the id tie-break makes the order total, which is as good. */
struct sort_by {
    enum file_sort key;
    int sign;
};

static int cmp_i64(int64_t a, int64_t b) { return a < b ? -1 : a > b; }

static int status_rank(const char *s)
{
    for (int i = 0; i < 5; i++)
        if (strcmp(s, file_statuses[i]) == 0)
            return i;
    return 5;
}

static int cmp_rows(const void *pa, const void *pb, void *arg)
{
    const struct file_row *a = pa, *b = pb;
    const struct sort_by *by = arg;
    int c = 0;
    switch (by->key) {
    case FILE_SORT_ID: c = cmp_i64(a->file_id, b->file_id); break;
    case FILE_SORT_JOB: c = cmp_i64(a->job_id, b->job_id); break;
    case FILE_SORT_STATUS: c = status_rank(a->status) - status_rank(b->status); break;
    case FILE_SORT_PATH: c = strcmp(a->path, b->path); break;
    case FILE_SORT_ROWS: c = cmp_i64(a->rows_total, b->rows_total); break;
    case FILE_SORT_REJECTED: c = cmp_i64(a->rows_rejected, b->rows_rejected); break;
    case FILE_SORT_QUEUED: c = cmp_i64(a->queued_at, b->queued_at); break;
    case FILE_SORT_FINISHED: c = cmp_i64(a->finished_at, b->finished_at); break;
    case FILE_SORT_COUNT: break;
    }
    if (c)
        return (c > 0 ? 1 : -1) * by->sign;
    return -cmp_i64(a->file_id, b->file_id);
}

void file_list_sort(struct file_list *l, enum file_sort key, bool descending)
{
    struct sort_by by = { .key = key, .sign = descending ? -1 : 1 };
    if (l->n > 1)
        qsort_r(l->rows, l->n, sizeof *l->rows, cmp_rows, &by);
}
