/* fetch_errors.c - see fetch_errors.h. */
#include "backend/fetch_errors.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/dbasync_query.h"
#include "backend/fetch.h"

void error_list_free(struct error_list *l)
{
    if (!l)
        return;
    free(l->groups);
    free(l->rows);
    free(l->attempts);
    strpool_free(&l->pool);
    free(l);
}

int64_t errors_kept_per_code(const struct error_list *l)
{
    int64_t kept = -1;
    for (size_t g = 0; g < l->ngroups; g++)
        if ((int64_t)l->groups[g].nrows < l->groups[g].count && (int64_t)l->groups[g].nrows > kept)
            kept = (int64_t)l->groups[g].nrows;
    return kept;
}

struct pending {
    struct error_list *l;
    int answers;
    struct mo_err err;
    error_list_fn done;
    void *ctx;
    uint64_t tag;
};

enum { PART_GROUPS, PART_ROWS, PART_ATTEMPTS, PARTS };

static int parse_attempts(const PGresult *r, struct error_list *l)
{
    int n;
    if (!(l->attempts = res_calloc_rows(r, sizeof *l->attempts, &n)) && n)
        return -1;
    for (int i = 0; i < n; i++) {
        struct file_attempt *a = &l->attempts[i];
        a->attempt = (int)res_i64(r, i, 0, 0);
        a->started_at = res_i64(r, i, 1, 0);
        a->finished_at = res_i64(r, i, 2, 0);
        a->claimed_by = strpool_dup(&l->pool, res_str(r, i, 3));
        a->status = strpool_dup(&l->pool, res_str(r, i, 4));
        a->rows_total = res_i64(r, i, 5, 0);
        a->rows_loaded = res_i64(r, i, 6, 0);
        a->rows_rejected = res_i64(r, i, 7, 0);
        a->readings = res_i64(r, i, 8, 0);
        a->message = strpool_dup(&l->pool, res_str(r, i, 9));
        if (!a->claimed_by || !a->status || !a->message)
            return -1;
    }
    l->nattempts = (size_t)n;
    return 0;
}

static int parse_groups(const PGresult *r, struct error_list *l)
{
    int n;
    if (!(l->groups = res_calloc_rows(r, sizeof *l->groups, &n)) && n)
        return -1;
    for (int i = 0; i < n; i++) {
        struct error_group *g = &l->groups[i];
        g->code = strpool_dup(&l->pool, res_str(r, i, 0));
        g->count = res_i64(r, i, 1, 0);
        g->first_line = res_i64(r, i, 2, 0);
        g->last_line = res_i64(r, i, 3, 0);
        g->columns = strpool_dup(&l->pool, res_str(r, i, 4));
        if (!g->code || !g->columns)
            return -1;
        l->total += g->count;
    }
    l->ngroups = (size_t)n;
    return 0;
}

static int parse_rows(const PGresult *r, struct error_list *l)
{
    int n;
    if (!(l->rows = res_calloc_rows(r, sizeof *l->rows, &n)) && n)
        return -1;
    for (int i = 0; i < n; i++) {
        struct error_row *e = &l->rows[i];
        e->code = strpool_dup(&l->pool, res_str(r, i, 0));
        e->line_no = res_i64(r, i, 1, 0);
        e->column = strpool_dup(&l->pool, res_str(r, i, 2));
        e->message = strpool_dup(&l->pool, res_str(r, i, 3));
        e->raw = strpool_dup(&l->pool, res_str(r, i, 4));
        if (!e->code || !e->column || !e->message || !e->raw)
            return -1;
    }
    l->nrows = (size_t)n;
    return 0;
}

/* Rows come ordered by code; point each group at its run. */
static void link_groups(struct error_list *l)
{
    for (size_t g = 0; g < l->ngroups; g++) {
        struct error_group *grp = &l->groups[g];
        grp->nrows = 0;
        for (size_t i = 0; i < l->nrows; i++) {
            if (strcmp(l->rows[i].code, grp->code) != 0)
                continue;
            if (grp->nrows == 0)
                grp->first_row = i;
            grp->nrows++;
        }
    }
}

static void answer(const PGresult *res, const struct mo_err *err, dba_any_fn done,
                   void *ctx, uint64_t part)
{
    (void)done;
    struct pending *p = ctx;
    if (!p->err.code[0]) {
        if (!res)
            p->err = *err;
        else if ((part == PART_GROUPS ? parse_groups : part == PART_ROWS ? parse_rows
                  : parse_attempts)(res, p->l) < 0)
            mo_err_set(&p->err, "out_of_memory", "out of memory reading the errors");
    }
    if (++p->answers < PARTS)
        return;
    if (p->err.code[0]) {
        error_list_free(p->l);
        p->done(p->ctx, p->tag, NULL, &p->err);
    } else {
        link_groups(p->l);
        p->done(p->ctx, p->tag, p->l, NULL);
    }
    free(p);
}

int errors_fetch(struct dba *db, int64_t file_id, int per_code_limit, error_list_fn done,
                 void *ctx, uint64_t tag, struct mo_err *err)
{
    struct pending *p = calloc(1, sizeof *p);
    if (!p || !(p->l = calloc(1, sizeof *p->l))) {
        free(p);
        return mo_err_set(err, "out_of_memory", "out of memory");
    }
    p->l->per_code_limit = per_code_limit;
    p->done = done;
    p->ctx = ctx;
    p->tag = tag;
    char id[24], lim[24];
    snprintf(id, sizeof id, "%lld", (long long)file_id);
    snprintf(lim, sizeof lim, "%d", per_code_limit);
    const char *gparams[1] = { id };
    const char *rparams[2] = { id, lim };
    if (dba_submit(db, SQL_CONSOLE_FILE_ERROR_GROUPS, 1, gparams, answer, NULL, p, PART_GROUPS, err) < 0) {
        error_list_free(p->l);
        free(p);
        return -1;
    }
    if (dba_submit(db, SQL_CONSOLE_FILE_ERRORS, 2, rparams, answer, NULL, p, PART_ROWS, err) < 0) {
        /* The first is queued and will answer; count these as failed now. */
        struct mo_err e = *err;
        answer(NULL, &e, NULL, p, PART_ROWS);
        answer(NULL, &e, NULL, p, PART_ATTEMPTS);
        return 0;
    }
    if (dba_submit(db, SQL_CONSOLE_FILE_ATTEMPTS, 1, gparams, answer, NULL, p, PART_ATTEMPTS, err) < 0) {
        struct mo_err e = *err;
        answer(NULL, &e, NULL, p, PART_ATTEMPTS);
    }
    return 0;
}
