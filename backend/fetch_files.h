/* fetch_files.h - load_file rows for the Files view and the file detail, as plain structs:
 * a filtered list, or just the files a LISTEN event named (merged into the list the view
 * holds), and the client-side ordering the view's sort keys choose. */
#ifndef MO_FETCH_FILES_H
#define MO_FETCH_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/err.h"
#include "backend/strpool.h"

struct dba;

struct file_row {
    int64_t file_id, job_id;             /* job_id 0: none */
    int64_t bytes, rows_total, rows_loaded, rows_rejected, readings_loaded, progress_rows;
    int64_t queued_at, started_at, finished_at, lease_until; /* Unix seconds; 0: not set */
    int attempts, requeues;
    char status[12];
    const char *path, *format, *sha256, *message, *claimed_by;
};

/* files.sql counts matching files up to one more than this: above it, "1,000+". */
enum { FILES_MATCHING_CAP = 1000 };

struct file_list {
    size_t n, cap;
    struct file_row *rows;
    int64_t matching;                    /* how many match the filter in all (n may be fewer);
                                          * counted up to FILES_MATCHING_CAP + 1 only */
    struct strpool pool;
};

struct file_filter {
    char status[12];                     /* "" any */
    char text[128];                      /* path contains, case-insensitive; "" any */
    int64_t job_id;                      /* 0 any */
};

/* The five states of load_file.status, in queue order. */
extern const char *const file_statuses[5];
bool file_status_valid(const char *s);

void file_list_free(struct file_list *l); /* frees l itself too */

typedef void (*file_list_fn)(void *ctx, uint64_t tag, struct file_list *l, const struct mo_err *err);
/* The newest `limit` files matching f; with ids (n > 0) only those of them that match.
 * done gets the list (the callee owns it) or err. */
int files_fetch(struct dba *db, const struct file_filter *f, const int64_t *ids, size_t nids,
                int limit, file_list_fn done, void *ctx, uint64_t tag, struct mo_err *err);

/* Applies a partial answer (rows for `ids`) to `into`: rows present replace or join it,
 * asked-for ids that did not come back (deleted, or no longer matching) leave it. Rows
 * are copied into into's pool. Returns 0, -1 when memory ran out. */
int file_list_merge(struct file_list *into, const struct file_list *part, const int64_t *ids,
                    size_t nids);
/* The row with this id, or NULL. */
struct file_row *file_list_find(struct file_list *l, int64_t file_id);

enum file_sort {
    FILE_SORT_ID, FILE_SORT_JOB, FILE_SORT_STATUS, FILE_SORT_PATH, FILE_SORT_ROWS,
    FILE_SORT_REJECTED, FILE_SORT_QUEUED, FILE_SORT_FINISHED, FILE_SORT_COUNT
};
extern const char *const file_sort_names[FILE_SORT_COUNT];
/* Stable sort by key, file_id descending breaking ties (newest first). */
void file_list_sort(struct file_list *l, enum file_sort key, bool descending);

#endif
