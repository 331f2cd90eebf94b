/* fetch_jobs.h - recent load jobs with their files counted by status, for the Jobs view. */
#ifndef MO_FETCH_JOBS_H
#define MO_FETCH_JOBS_H

#include <stddef.h>
#include <stdint.h>

#include "backend/err.h"
#include "backend/strpool.h"

struct dba;

struct job_row {
    int64_t job_id, started_at, finished_at; /* Unix seconds; finished 0: still running */
    int pid;
    int64_t files, queued, loading, loaded, rejected, failed, readings;
    const char *host, *db_user, *args, *status;
};

struct job_list {
    struct job_row *rows;
    size_t n;
    struct strpool pool;
};

void job_list_free(struct job_list *l);

typedef void (*job_list_fn)(void *ctx, uint64_t tag, struct job_list *l, const struct mo_err *err);
int jobs_fetch(struct dba *db, int limit, job_list_fn done, void *ctx, uint64_t tag,
               struct mo_err *err);

#endif
