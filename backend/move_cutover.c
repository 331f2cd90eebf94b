/* move_cutover.c - `meterops migrate cutover`: every relation verified with loads still
 * running, then the source's queue paused, the files in hand finished, the target caught
 * up and the relations commits changed since the first verify (read from the delta slot
 * start made) verified again, sequences copied, the subscription removed. The write pause (no loader can write anywhere) is from the moment the last file
 * in hand is committed to the moment the target is ready; it is measured and recorded. */
#include "backend/move_delta.h"
#include "backend/move_int.h"

#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <time.h>

int move_catch_up(PGconn *src, PGconn *dst, double seconds, struct mo_err *err)
{
    char token[24], seen[24];
    if (move_value(src, SQL_MOVE_MARKER_BUMP, 0, NULL, token, sizeof token, err) < 0)
        return -1;
    double until = move_now() + seconds;
    for (;;) {
        if (move_value(dst, SQL_MOVE_MARKER, 0, NULL, seen, sizeof seen, err) < 0)
            return -1;
        if (atoll(seen) >= atoll(token))
            return 0;
        if (move_now() > until)
            return mo_err_set(err, "move_lag", "the target has not caught up after %.0f s "
                              "(initial copy still running, or the subscription stopped: see migrate status)",
                              seconds);
        move_nap_ms(10);
    }
}

/* Files a live loader holds on the source; they finish, no new one starts. */
static int drain(PGconn *src, FILE *out, struct mo_err *err)
{
    char n[24];
    long said = -1;
    for (;;) {
        if (move_value(src, SQL_MOVE_IN_HAND, 0, NULL, n, sizeof n, err) < 0)
            return -1;
        long k = atol(n);
        if (k == 0)
            return 0;
        if (k != said)
            fprintf(out, "waiting for %ld file(s) in hand on the source to finish\n", k);
        fflush(out);
        said = k;
        move_nap_ms(50);
    }
}

static int copy_sequences(PGconn *src, PGconn *dst, FILE *out, struct mo_err *err)
{
    PGresult *r = db_query(src, SQL_MOVE_SEQUENCES, 0, NULL, err);
    if (!r)
        return -1;
    const char *p[1] = { PQgetvalue(r, 0, 0) };
    char n[24];
    int rc = move_value(dst, SQL_MOVE_SEQUENCES_SET, 1, p, n, sizeof n, err);
    PQclear(r);
    if (rc == 0)
        fprintf(out, "%s sequence value(s) copied\n", n);
    return rc;
}

/* Before the pause, loads running: every relation once, then what changed during the
 * previous round (move_delta.c), until no partition is due whole and a round took less
 * than a second, 4 rounds at most: the pause then holds what changed during the last
 * round only. */
#define VERIFY_ROUNDS 4

static int verify_before_pause(PGconn *src, PGconn *dst, FILE *out, struct move_delta *d,
                               struct mo_err *err)
{
    if (move_delta_begin(src, d, err) < 0)
        return -1;
    double secs = 0;
    int rc = 0;
    for (int round = 0; rc == 0 && round < VERIFY_ROUNDS; round++) {
        rc = move_delta_round(src, dst, out, d, &secs, err);
        bool whole_due = false; /* tables are small; the marker changes every round */
        for (int i = 0; i < d->nparts; i++)
            whole_due = whole_due || d->parts[i].whole;
        if (rc == 0 && !whole_due && secs < 1.0)
            break;
    }
    return rc;
}

/* The steps after the pause; -1 with err, 1 when verify found differences. */
static int switch_over(PGconn *src, PGconn *dst, const struct move_rec *rec, FILE *out,
                       struct move_delta *d, double *verify_s, struct mo_err *err)
{
    char made[24];
    if (move_value(src, SQL_MOVE_SYNC_PARTITIONS, 0, NULL, made, sizeof made, err) < 0)
        return -1;
    if (move_catch_up(src, dst, 600.0, err) < 0)
        return -1;
    fprintf(out, "the target holds every commit of the source (lag 0)\n");
    int differ = move_delta_pause(src, dst, out, d, verify_s, err);
    if (differ != 0)
        return differ < 0 ? -1 : 1;
    if (copy_sequences(src, dst, out, err) < 0)
        return -1;
    const char *sub[1] = { rec->subscription };
    if (move_exec_built(dst, SQL_MOVE_SUB_DROP, 1, sub, err) < 0)
        return -1;
    fprintf(out, "target: subscription %s removed\n", rec->subscription);
    const char *delta[2] = { MOVE_DELTA_SLOT, NULL };
    if (move_value(src, SQL_MOVE_SLOT_DROP, 2, delta, made, sizeof made, err) < 0)
        return -1;
    return 0;
}

int move_cutover(const struct move_args *a, FILE *out, struct mo_err *err)
{
    PGconn *src, *dst;
    struct move_rec rec;
    if (move_open(a, "copying cutover", &src, &dst, &rec, err) < 0)
        return -1;
    int rc = -1;
    struct move_delta d = { .round = 0 };
    rc = verify_before_pause(src, dst, out, &d, err);
    if (rc != 0)
        goto done;
    rc = -1;
    double t0 = move_now();
    if (move_set_state(src, rec.id, "cutover", -1, -1, err) < 0)
        goto done;
    fprintf(out, "source: queue paused (loaders finish the file in hand and take no new one)\n");
    fflush(out);
    if (drain(src, out, err) < 0)
        goto done;
    double t1 = move_now(), verify_s = 0;
    rc = switch_over(src, dst, &rec, out, &d, &verify_s, err);
    if (rc != 0) {
        struct mo_err e2;
        mo_err_clear(&e2);
        /* Nothing was switched: the source's queue opens again and the move goes on. */
        if (move_set_state(src, rec.id, "copying", -1, -1, &e2) == 0)
            fprintf(out, "cutover stopped; the source's queue is open again\n");
        goto done;
    }
    double t2 = move_now();
    long long pause_ms = (long long)((t2 - t1) * 1000), drain_ms = (long long)((t1 - t0) * 1000);
    const char *pub[1] = { rec.publication }, *evt[1] = { rec.event_trigger };
    if (move_exec_built(src, SQL_MOVE_PUB_DROP, 1, pub, err) < 0 ||
        move_exec_built(src, SQL_MOVE_EVT_DROP, 1, evt, err) < 0 ||
        (rec.made_dblink && db_exec(src, SQL_MOVE_DBLINK_DROP, 0, NULL, err) < 0) ||
        move_set_state(src, rec.id, "done", pause_ms, drain_ms, err) < 0) {
        rc = -1;
        goto done;
    }
    fprintf(out, "source: publication and event trigger removed; its queue stays paused\n");
    fprintf(out, "write pause: %.2f s (verify of what changed %.2f s of it); before it, %.2f s for files in hand\n",
            t2 - t1, verify_s, t1 - t0);
    fprintf(out, "use from now on: %s\n", rec.target);
done:
    move_delta_free(&d);
    db_close(dst);
    db_close(src);
    return rc;
}
