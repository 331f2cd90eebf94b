/* fetch_migration.h - a move to another server (`meterops migrate`) as the console's
 * Migration view shows it, from both sides: the newest move recorded on the source
 * (queries/move/latest.sql), the queue and the migration slot's lag on either side
 * (move/source_status.sql: on the target the lag is unknown), each relation's row
 * estimate (move/sizes.sql, reading_day per partition) and, on the target, the
 * subscription's initial copy per relation (move/target_status.sql). */
#ifndef MO_FETCH_MIGRATION_H
#define MO_FETCH_MIGRATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/err.h"
#include "backend/strpool.h"

struct dba;

/* The subscription (and slot) `migrate start` creates: used when no move is recorded. */
#define MIGRATION_DEFAULT_NAME "meterops_move"

struct mig_record {
    bool found;                 /* false: no move was ever recorded here */
    int64_t id;
    const char *target, *subscription, *state;
    const char *started_at, *finished_at; /* "YYYY-MM-DD HH:MM:SS" UTC ("" none) */
    int64_t pause_ms;           /* cutover's write pause, -1 unknown */
    struct strpool pool;
};

struct mig_side {
    int64_t lag_bytes;          /* the slot's unconfirmed WAL, -1 unknown (no slot) */
    double lag_s;               /* the subscriber's replay lag, < 0 unknown */
    int slot_active;            /* -1 no slot */
    int64_t loading, queued;
    const char *last_loaded;    /* "" none */
    struct strpool pool;
};

struct mig_rel {
    const char *relation;
    int64_t est_rows, bytes;
};

struct mig_sizes {
    struct mig_rel *rows;
    size_t n;
    struct strpool pool;
};

struct mig_copy_rel {
    const char *relation, *state; /* init, copying, copied, synced, ready */
    int64_t copied_rows;        /* rows a COPY in progress has done, -1 none */
};

struct mig_copy {
    struct mig_copy_rel *rows;
    size_t n;
    struct strpool pool;
};

void mig_record_free(struct mig_record *r);
void mig_side_free(struct mig_side *s);
void mig_sizes_free(struct mig_sizes *s);
void mig_copy_free(struct mig_copy *c);

typedef void (*mig_record_fn)(void *ctx, uint64_t tag, struct mig_record *r, const struct mo_err *err);
typedef void (*mig_side_fn)(void *ctx, uint64_t tag, struct mig_side *s, const struct mo_err *err);
typedef void (*mig_sizes_fn)(void *ctx, uint64_t tag, struct mig_sizes *s, const struct mo_err *err);
typedef void (*mig_copy_fn)(void *ctx, uint64_t tag, struct mig_copy *c, const struct mo_err *err);

/* On the source. */
int mig_record_fetch(struct dba *db, mig_record_fn done, void *ctx, uint64_t tag, struct mo_err *err);
/* On either side; name is the subscription (= the slot on the source). */
int mig_side_fetch(struct dba *db, const char *name, mig_side_fn done, void *ctx, uint64_t tag,
                   struct mo_err *err);
int mig_sizes_fetch(struct dba *db, mig_sizes_fn done, void *ctx, uint64_t tag, struct mo_err *err);
/* On either side, on demand: exact row counts (console/migration_counts.sql, a scan of
 * every relation), in est_rows; bytes 0. */
int mig_counts_fetch(struct dba *db, mig_sizes_fn done, void *ctx, uint64_t tag, struct mo_err *err);
/* On the target: no row when it has no such subscription. */
int mig_copy_fetch(struct dba *db, const char *name, mig_copy_fn done, void *ctx, uint64_t tag,
                   struct mo_err *err);

#endif
