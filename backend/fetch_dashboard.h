/* fetch_dashboard.h - the facts the console's dashboard and `meterops status` show: file
 * counts, throughput, files loading now (with progress estimates), COPYs in flight, meter
 * counts and database health. Each part is one queries/console/dash_*.sql; a part that fails
 * (a role without the right, a timeout) leaves its fields unset and its bit out of parts_ok,
 * and the others still arrive. */
#ifndef MO_FETCH_DASHBOARD_H
#define MO_FETCH_DASHBOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/db_limits.h"
#include "backend/err.h"
#include "backend/strpool.h"

struct dba;

enum {
    DASH_FILES = 1 << 0,
    DASH_THROUGHPUT = 1 << 1,
    DASH_LOADING = 1 << 2,
    DASH_COPY = 1 << 3,
    DASH_METERS = 1 << 4,
    DASH_HEALTH = 1 << 5,
    DASH_LOADERS = 1 << 6,              /* loader processes, live and gone lately */
    DASH_WAITING = 1 << 7,              /* files waiting for a loader (ids) */
    DASH_PROBLEMS = 1 << 8,             /* latest failed or rejected files */
    DASH_ALL = (1 << 9) - 1,
};

struct dash_files {
    int64_t queued, loading;            /* the queue as it stands */
    int64_t loaded, rejected, failed;   /* finished in the last 24 h */
    int64_t oldest_queued_s;            /* -1: nothing queued */
    int64_t expired_leases;             /* loading files whose loader stopped renewing */
    int64_t readings_24h, rows_rejected_24h;
};

struct dash_loading {
    int64_t file_id, job_id, bytes, progress_rows;
    int64_t rows_estimate;              /* -1: no basis for an estimate yet */
    int64_t elapsed_s;
    bool lease_expired;
    const char *path, *format, *claimed_by;
};

struct dash_copy {
    int pid;
    const char *relation, *command, *type, *application;
    int64_t bytes_processed, bytes_total, tuples_processed, tuples_excluded, running_s;
    int64_t file_id;                    /* a loader's COPY: the file it loads, else 0 */
    const char *path;                   /* that file's path, else "" */
};

struct dash_meters {
    int64_t total, elec, gas, reporting_today, silent;
};

struct dash_health {
    int connections, max_connections, waiting_on_locks, replicas;
    double cache_hit_pct;               /* -1: no blocks read yet */
    int64_t longest_xact_s;             /* -1: no transaction open */
    double replica_lag_s;               /* -1: no replica */
    int64_t db_bytes;
    const char *server_version;
};

struct dash_loader {
    int64_t loader_id, job_id, running_s;
    int pid, files_in_hand;
    double heartbeat_age_s;
    bool live;                          /* heartbeat younger than its lease */
    const char *host, *kind;            /* kind: "once" or "daemon" */
};

struct dash_waiting {
    int64_t file_id;
    bool abandoned;                     /* loading, lease expired: its loader is gone */
};

struct dash_problem {
    int64_t file_id, age_s;             /* age: since it finished */
    bool acked;                         /* acknowledged since it finished */
    const char *status, *path, *code, *message, *acked_by, *ack_reason;
};

struct dashboard {
    unsigned parts_asked, parts_ok;
    struct mo_err err;                  /* the first part's failure, if any */
    struct dash_files files;
    double readings_per_s;
    struct dash_loading *loading;
    size_t nloading;
    struct dash_copy *copies;
    size_t ncopies;
    struct dash_meters meters;
    int silent_days;
    struct dash_health health;
    struct dash_loader *loaders;
    size_t nloaders, live_loaders;
    struct dash_waiting *waiting;       /* queued first, then abandoned */
    size_t nwaiting;
    struct dash_problem *problems;
    size_t nproblems;
    int64_t unacked_failed, unacked_rejected; /* in the 24 h, all of them */
    struct strpool pool;
};

struct dash_params {
    int silent_days;                    /* meters with no reading for longer are silent */
    int max_loading;                    /* how many loading files to list */
    int max_problems;                   /* failed/rejected files to list (0: 50) */
};

void dashboard_free(struct dashboard *d); /* frees what it holds and d itself */

/* Blocking, for `meterops status`: opens a DB_STATUS connection (db.h) with these limits,
 * reads the parts and closes it. NULL with err filled when it cannot connect (code
 * "db_connect" or the setup's SQLSTATE) or runs out of memory ("out_of_memory"); else the
 * parts that failed are missing from parts_ok and the first failure is in d->err. */
struct dashboard *dashboard_fetch_once(const char *conninfo, const struct db_limits *limits,
                                      const struct dash_params *p, unsigned parts,
                                      struct mo_err *err);

/* Asynchronous: submits the parts and calls done once with the dashboard (the callee owns
 * it) when all have answered; err is set when the first submission already failed (not
 * connected), and then done is not called. */
typedef void (*dashboard_done_fn)(void *ctx, uint64_t tag, struct dashboard *d);
int dashboard_fetch(struct dba *db, const struct dash_params *p, unsigned parts,
                    dashboard_done_fn done, void *ctx, uint64_t tag, struct mo_err *err);

/* Progress helpers shared by the views and `status`: fraction 0..1 (or -1 unknown), rows
 * per second since the file started (0 unknown) and seconds left (-1 unknown). */
double dash_loading_fraction(const struct dash_loading *l);
double dash_loading_rate(const struct dash_loading *l);
int64_t dash_loading_eta_s(const struct dash_loading *l);

#endif
