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
#include "backend/fetch_checks.h"
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
    /* The server checks of `meterops status` (fetch_checks.h); the console asks none. */
    DASH_ACTIVITY = 1 << 9,             /* idle in transaction, lock waits */
    DASH_XID = 1 << 10,                 /* transaction ID age */
    DASH_REPLICATION = 1 << 11,         /* standbys and their lag */
    DASH_SLOTS = 1 << 12,               /* replication slots */
    DASH_SERVER = 1 << 13,              /* archiver, checkpoints */
    DASH_NODES = 1 << 14,               /* a Citus cluster's nodes, the shard rebalance */
    DASH_ALL = (1 << 15) - 1,
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

/* One file or COPY in a throughput sample (queries/console/dash_throughput.sql). */
struct dash_sample_item {
    char kind;                          /* 'l' loading file, 'f' finished file, 'c' COPY */
    int64_t id;                         /* file_id, or the COPY's pid */
    double readings;                    /* readings so far (a COPY: tuples processed) */
    double bytes_done;                  /* a file's bytes loaded so far, estimated */
    int64_t bytes;                      /* a file's size; a COPY: the file id it loads */
    double elapsed_s;                   /* a file: since it started (to its end when finished) */
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
    /* DASH_THROUGHPUT: a sample, and what one sample tells: the loading files' rates
     * since each started (what `status` reports), bytes loaded and left. */
    double readings_per_s;              /* sum of the loading files' average rates */
    double sample_at;                   /* the server's clock, epoch seconds */
    struct dash_sample_item *sample;
    size_t nsample;
    double bytes_done, bytes_total;     /* loading files done (estimated) / loading + queued */
    double bytes_per_s;                 /* the loading files' average byte rates */
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
    struct dash_activity activity;
    struct dash_xid xid;
    struct dash_standby standbys[DASH_MAX_STANDBYS];
    size_t nstandbys;
    struct dash_slot slots[DASH_MAX_SLOTS];
    size_t nslots;                      /* listed; slots_total, slots_inactive: all of them */
    int64_t slots_total, slots_inactive;
    struct dash_server server;
    struct dash_node nodes[DASH_MAX_NODES];
    size_t nnodes;                      /* listed; nodes_down: of all of them */
    int64_t nodes_down;
    struct dash_rebalance rebalance;
    struct strpool pool;
};

/* The longest --silent-days: dash_meters.sql ORs one bitmap per day, fuel and chunk of
 * the window (108 a day at 3.5M meters), so the window bounds its cost; the loader's
 * meter_seen is backfilled 40 days (009_meter_counts.sql). */
#define MAX_SILENT_DAYS 31

struct dash_params {
    int silent_days;                    /* meters with no reading for longer are silent
                                         * (1 .. MAX_SILENT_DAYS) */
    int max_loading;                    /* how many loading files to list */
    int budget_ms;                      /* dashboard_fetch_once: the whole run; 0 none */
    double throughput_since;            /* the previous sample's time (dash_rate.at); 0 none */
    int max_problems;                   /* failed/rejected files to list (0: 50) */
};

/* "files", "throughput", "loading", "copy", "meters", "database", "loaders", "waiting",
 * "problems", "activity", "xid", "replication", "slots", "server", "nodes" for one DASH_* bit. */
const char *dash_part_name(unsigned bit);

void dashboard_free(struct dashboard *d); /* frees what it holds and d itself */

/* Copies into `into` the fields of the parts `from` holds (from->parts_ok), sharing its
 * strings and arrays: `into` is a view for health_evaluate over answers that arrived
 * separately, valid while they live, never passed to dashboard_free. */
void dashboard_merge(struct dashboard *into, const struct dashboard *from);

/* Blocking, for `meterops status`: opens a DB_STATUS connection (db.h) with these limits,
 * reads the parts and closes it. NULL with err filled when it cannot connect (code
 * "db_connect" or the setup's SQLSTATE) or runs out of memory ("out_of_memory"); else the
 * parts that failed are missing from parts_ok and the first failure is in d->err.
 *
 * With p->budget_ms the whole of it, connecting included, ends by that deadline whatever
 * is slow or locked: the connection is polled against the deadline, and before each part
 * statement_timeout is set to the time left and lock_timeout to its fair share of it (the
 * time left over the parts left), so one lock costs its share, not the rest of the run.
 * What has not answered by the deadline is left out of parts_ok (unknown). */
struct dashboard *dashboard_fetch_once(const char *conninfo, const struct db_limits *limits,
                                      const struct dash_params *p, unsigned parts,
                                      struct mo_err *err);

/* Asynchronous: submits the parts (one dashboard section asks for its own, see
 * ui/view_dashboard.c) and calls done once with the dashboard (the callee owns
 * it) when all have answered; err is set when the first submission already failed (not
 * connected), and then done is not called. */
typedef void (*dashboard_done_fn)(void *ctx, uint64_t tag, struct dashboard *d);
int dashboard_fetch(struct dba *db, const struct dash_params *p, unsigned parts,
                    dashboard_done_fn done, void *ctx, uint64_t tag, struct mo_err *err);

/* The load's rate now, from two throughput samples a few seconds apart: what each file's
 * readings and bytes and each loader COPY's tuples gained between them (a file that
 * finished in between counts up to its final figure, one that started counts from 0).
 * The console keeps one per dashboard; `status` takes one sample and uses the dashboard's
 * since-start figures instead. */
struct dash_rate {
    double at;                          /* the previous sample's time (0: none yet) */
    struct dash_sample_item *prev;
    size_t nprev;
    bool known;                         /* two samples seen: the rates below hold */
    double readings_per_s, copy_tuples_per_s, bytes_per_s;
    double bytes_done, bytes_total;     /* of the loading and queued files, from the last sample */
    double fraction;                    /* bytes_done / bytes_total, -1 nothing to load */
    int64_t eta_s;                      /* -1 unknown */
};
/* Takes d's sample (d->parts_ok has DASH_THROUGHPUT); 0, or -1 out of memory. */
int dash_rate_update(struct dash_rate *r, const struct dashboard *d);
void dash_rate_free(struct dash_rate *r);

/* Progress helpers shared by the views and `status`: fraction 0..1 (or -1 unknown), rows
 * per second since the file started (0 unknown) and seconds left (-1 unknown). */
double dash_loading_fraction(const struct dash_loading *l);
double dash_loading_rate(const struct dash_loading *l);
int64_t dash_loading_eta_s(const struct dash_loading *l);

#endif
