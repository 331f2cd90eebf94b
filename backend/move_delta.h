/* move_delta.h - cutover's verify in rounds (move_delta.c): while loads run, each round
 * compares what changed since the previous one; inside the pause, what changed since the
 * last round, reading_day partitions by the keys of the rows changed. Backend-only. */
#ifndef MO_MOVE_DELTA_H
#define MO_MOVE_DELTA_H

#include "backend/move_int.h"

#define MOVE_DELTA_NAME 128

struct move_delta_part {
    char name[MOVE_DELTA_NAME]; /* meterops.reading_day_YYYY_MM */
    int since;                  /* verified as of this round: its keys from then on are due */
    bool whole;                 /* no round found it the same yet: verified whole */
};

struct move_delta {
    char tables[8192];          /* text[] literal: tables changed in the last round */
    struct move_delta_part *parts;
    int nparts, cap;
    int round;
    bool oom;
};

/* The session's key table, and the changes so far read and dropped (round -1). */
int move_delta_begin(PGconn *src, struct move_delta *d, struct mo_err *err);
/* One round with the target caught up first (round 0: every relation). 1 when a relation
 * no commit changed since the round began differs (named on out); -1 with err. */
int move_delta_round(PGconn *src, PGconn *dst, FILE *out, struct move_delta *d, double *secs,
                     struct mo_err *err);
/* Inside the pause, nothing writing and the target caught up: what changed since the last
 * round. 1 when anything differs. */
int move_delta_pause(PGconn *src, PGconn *dst, FILE *out, struct move_delta *d, double *secs,
                     struct mo_err *err);
void move_delta_free(struct move_delta *d);

#endif
