/* move.h - `meterops migrate`: the whole database moved to another server with
 * PostgreSQL's logical replication, while loaders keep loading on the source.
 *
 * The move is recorded on the source (meterops.migration, queries/schema/016_migration.sql):
 * every command after `start` takes only the source's conninfo and finds the target there.
 * start: the target's schema by the same migrations (migrate.h), a publication of every
 * meterops table on the source (reading_day through its root), an event trigger that makes
 * each new reading_day partition on the target too (dblink), and a subscription on the
 * target whose initial copy and streaming do the rest, and a test_decoding slot that tells
 * cutover what changed. cutover verifies everything with loads running, then pauses the
 * queue, waits for the target to hold every commit, verifies what changed since, copies
 * sequences, removes the subscription.
 * abort removes what start created, on both sides, and nothing else.
 *
 * Each function writes what it does on `out` and returns the command's exit status
 * (0 done, 1 warnings or differences), or -1 with err filled when it could not run. */
#ifndef MO_MOVE_H
#define MO_MOVE_H

#include <stdbool.h>
#include <stdio.h>

#include "backend/err.h"

struct move_args {
    const char *source;    /* conninfo; NULL: PG* variables */
    const char *target;    /* plan, start: --to */
    const char *publisher; /* start: conninfo the target reaches the source with; NULL: built
                            * from the source connection (host, port, dbname, user) */
    bool json;             /* status */
    char *const *tables;   /* resync: the relations named (NULL: those stuck) */
    int ntables;
};

/* Checks before anything is touched; 0 ready, 1 a check failed (listed). */
int move_plan(const struct move_args *a, FILE *out, struct mo_err *err);
int move_start(const struct move_args *a, FILE *out, struct mo_err *err);
/* Per table and reading_day partition: copy state and progress, rows on both sides (the
 * statistics' estimates), lag, loads still arriving on the source. */
int move_status(const struct move_args *a, FILE *out, struct mo_err *err);
/* Row counts, Wh sums and checksums on both sides; 0 equal, 1 different (each differing
 * relation named). */
int move_verify(const struct move_args *a, FILE *out, struct mo_err *err);
int move_cutover(const struct move_args *a, FILE *out, struct mo_err *err);
/* Copies tables again from the start: those named, else those whose copy PostgreSQL left
 * stuck (move_stuck in move_int.h) or that a resync stopped half way left out of the
 * publication. Each table leaves the publication and the subscription, is emptied on the
 * target, and comes back with copy_data; loads go on meanwhile. 0 started (or nothing to
 * do), -1 with err. */
int move_resync(const struct move_args *a, FILE *out, struct mo_err *err);
int move_abort(const struct move_args *a, FILE *out, struct mo_err *err);

#endif
