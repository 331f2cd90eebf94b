/* fetch_errors.h - one file's validation errors for the file detail view: the groups by
 * code with their true counts, and the first rows of each code (line, column, code,
 * message, raw line), which the view expands and searches. */
#ifndef MO_FETCH_ERRORS_H
#define MO_FETCH_ERRORS_H

#include <stddef.h>
#include <stdint.h>

#include "backend/err.h"
#include "backend/strpool.h"

struct dba;

struct error_group {
    const char *code, *columns;
    int64_t count, first_line, last_line;
    size_t first_row, nrows;             /* its rows in error_list.rows (nrows <= count) */
};

struct error_row {
    int64_t line_no;
    const char *code, *column, *message, *raw;
};

/* One attempt of the file (load_attempt), newest first. */
struct file_attempt {
    int attempt;
    int64_t started_at, finished_at;     /* seconds since 1970; finished 0 while open */
    const char *claimed_by, *status, *message;
    int64_t rows_total, rows_loaded, rows_rejected, readings;
};

struct error_list {
    struct error_group *groups;
    size_t ngroups;
    struct error_row *rows;              /* ordered by code, then line */
    size_t nrows;
    int64_t total;                       /* all errors of the file */
    int per_code_limit;
    struct file_attempt *attempts;
    size_t nattempts;
    struct strpool pool;
};

void error_list_free(struct error_list *l);
/* How many rows of each code are kept when some code has more errors than rows (the
 * loader's --keep-errors, or the view's own limit): the most rows of such a code; -1 when
 * every error is kept. */
int64_t errors_kept_per_code(const struct error_list *l);

typedef void (*error_list_fn)(void *ctx, uint64_t tag, struct error_list *l, const struct mo_err *err);
/* The three queries (groups, rows up to per_code_limit for each code, the file's
 * attempts); done is called once
 * with the assembled list (the callee owns it) or the first error. */
int errors_fetch(struct dba *db, int64_t file_id, int per_code_limit, error_list_fn done,
                 void *ctx, uint64_t tag, struct mo_err *err);

#endif
