/* fetch_checks.h - the facts behind `meterops status`'s server checks (check_postgres's
 * list): sessions idle in transaction or waiting on locks, transaction ID age, standbys
 * and their lag, replication slots and the WAL they retain, the archiver and the
 * checkpointer, and a Citus cluster's nodes. Each is one part of the dashboard (fetch_dashboard.h: DASH_ACTIVITY ...
 * DASH_SERVER), read from statistics views and catalogs only (pg_monitor is enough), one
 * queries/checks/NAME.sql each; backend/health.c judges them. */
#ifndef MO_FETCH_CHECKS_H
#define MO_FETCH_CHECKS_H

#include <stdbool.h>
#include <stdint.h>

struct dash_activity {
    double idle_xact_s;                 /* longest idle in transaction; -1 none */
    int idle_xact_pid;
    int64_t blocked;                    /* sessions waiting on a heavyweight lock */
    double longest_wait_s;              /* -1 none */
    int longest_wait_pid;
};

struct dash_xid {
    const char *datname;                /* the database with the oldest datfrozenxid */
    int64_t age, freeze_max_age;
};

struct dash_standby {
    const char *name, *state, *sync_state;
    double lag_bytes;                   /* -1 unknown (nothing replayed yet) */
    double lag_s;
};

struct dash_slot {
    const char *name, *type, *wal_status;
    bool active;
    double retained_bytes;              /* -1: retains none */
};

struct dash_server {
    bool archiving;                     /* archive_mode is not off */
    int64_t ready;                      /* WAL segments waiting to be archived */
    int64_t failed_count;
    double failing_s;                   /* the last attempt failed: since the last success */
    const char *last_failed_wal;
    int64_t checkpoints_timed, checkpoints_req;
    double stats_hours;                 /* since pg_stat_bgwriter was reset */
};

/* A Citus node (meterops.cluster_nodes(): queries/functions/cluster.sql), and the latest
 * shard rebalance. On plain PostgreSQL there are none. */
struct dash_node {
    const char *name, *role;            /* host (or socket dir); coordinator or worker */
    int port;
    bool active, reachable;
    int64_t shards;                     /* shard placements it holds */
    int64_t shard_bytes;                /* -1: unknown (some node did not answer) */
    int64_t connections;                /* client backends; -1: it did not answer */
};

struct dash_rebalance {
    const char *state;                  /* "" none ever started; else citus_rebalance_status */
    int moves_done, moves_total;
};

/* The most standbys, slots and nodes listed (the worst first). */
enum { DASH_MAX_STANDBYS = 16, DASH_MAX_SLOTS = 16, DASH_MAX_NODES = 32 };

#endif
