/* move_int.h - what the files of `meterops migrate` (move*.c) share: the two connections,
 * the move recorded on the source, and small helpers over db.h. Backend-only. */
#ifndef MO_MOVE_INT_H
#define MO_MOVE_INT_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>

#include "backend/db.h"
#include "backend/move.h"

/* The newest row of meterops.migration (move/latest.sql). */
struct move_rec {
    bool found;
    long long id;
    char target[1024], publisher[1024];
    char publication[64], subscription[64], event_trigger[64];
    char state[16];
    bool made_dblink, made_schema;
    char made_roles[256]; /* text[] literal */
    char started_at[40], paused_at[40], finished_at[40];
    long long pause_ms, drain_ms; /* -1 unknown */
};

PGconn *move_connect(const char *conninfo, const char *side, struct mo_err *err);
/* The newest move on the source; rec->found false when none was ever recorded. */
int move_latest(PGconn *src, struct move_rec *rec, struct mo_err *err);
/* The source and, for the move recorded there, the target; -1 when there is no move in
 * one of the states `states` (space separated) or a side cannot be reached. */
int move_open(const struct move_args *a, const char *states, PGconn **src, PGconn **dst,
              struct move_rec *rec, struct mo_err *err);
/* Runs a statement whose one value is the text of another (DDL with identifiers quoted by
 * the server, move/pub_create.sql and the like) and then that text. A NULL value runs nothing. */
int move_exec_built(PGconn *conn, enum sql_query q, int nparams, const char *const *params,
                    struct mo_err *err);
/* First value of an embedded query's first row into buf ("" when no row or NULL). */
int move_value(PGconn *conn, enum sql_query q, int nparams, const char *const *params,
               char *buf, size_t len, struct mo_err *err);
int move_set_state(PGconn *src, long long id, const char *state, long long pause_ms,
                   long long drain_ms, struct mo_err *err);
/* verify's comparison, on both servers at once (with the Wh sums of the partitions when
 * with_wh), of every relation or those of `only` (a text[] literal); writes each difference
 * on out (unless NULL) and, space separated, its name into names (unless NULL). Returns the
 * number of differing relations, or -1. */
int move_compare(PGconn *src, PGconn *dst, FILE *out, bool with_wh, const char *only,
                 char *names, size_t len, struct mo_err *err);
/* move_compare for the reading_day rows of the keys given (ids a bigint[] literal, days a
 * date[] and rels a text[] literal of each key's partition, in step), per partition: what
 * cutover verifies of a partition whose other rows were verified before. */
int move_compare_rows(PGconn *src, PGconn *dst, FILE *out, const char *ids, const char *days,
                      const char *rels, char *names, size_t len, struct mo_err *err);
/* The slot start makes beside the subscription's; cutover reads what changed from it. */
#define MOVE_DELTA_SLOT "meterops_move_delta"
/* Waits (at most `seconds`) until the target has applied every commit the source made
 * before the call (a marker row, move/marker_bump.sql); -1 with err on timeout. */
int move_catch_up(PGconn *src, PGconn *dst, double seconds, struct mo_err *err);
double move_now(void); /* monotonic seconds */
void move_nap_ms(long ms);
/* Whether name is one of list's: names separated by spaces or commas, in braces or not (a
 * space-separated list, or an array literal of plain names as {a,b}). */
bool move_listed(const char *list, const char *name);
/* Relations of the subscription whose copy is done but whose table-sync slot is gone from
 * the source (seen twice, a second apart: PostgreSQL drops the slot an instant before it
 * records the table synced), space separated into names. Returns how many, or -1. */
int move_stuck(PGconn *src, PGconn *dst, const char *subscription, char *names, size_t len,
               struct mo_err *err);

#endif
