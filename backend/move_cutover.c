/* move_cutover.c - `meterops migrate cutover`: every relation verified with loads still
 * running, then the source's queue paused, the files in hand finished, the target caught
 * up and the relations commits changed since the first verify (read from the delta slot
 * start made) verified again, sequences copied, the subscription removed. The write pause (no loader can write anywhere) is from the moment the last file
 * in hand is committed to the moment the target is ready; it is measured and recorded. */
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

/* The relations commits changed since the previous read of the delta slot, as a text[]
 * literal ("{a,b}"). */
static int changed_since(PGconn *src, char *buf, size_t len, struct mo_err *err)
{
    const char *slot[1] = { MOVE_DELTA_SLOT };
    return move_value(src, SQL_MOVE_DELTA_CHANGES, 1, slot, buf, len, err);
}

static bool listed(const char *literal, const char *relation)
{
    size_t n = strlen(relation);
    for (const char *p = strstr(literal, relation); p; p = strstr(p + 1, relation))
        if ((p[-1] == '{' || p[-1] == ',') && (p[n] == ',' || p[n] == '}'))
            return true;
    return false;
}

/* Before the pause, loads still running: every relation compared once the target holds
 * what the source committed before the comparison began. A relation no commit changed
 * since then must be equal (both sides read it as of that point); one that changed is
 * compared again inside the pause, with the rest of what changes until then (*changed).
 * 1 when an unchanged relation differs (named on out). */
static int verify_round(PGconn *src, PGconn *dst, FILE *out, const char *only, char *changed,
                        size_t len, struct mo_err *err)
{
    char differing[8192];
    if (move_catch_up(src, dst, 600.0, err) < 0)
        return -1;
    double t = move_now();
    int differ = move_compare(src, dst, NULL, false, only, differing, sizeof differing, err);
    if (differ < 0 || changed_since(src, changed, len, err) < 0)
        return -1;
    int real = 0;
    for (char *name = strtok(differing, " "); name; name = strtok(NULL, " "))
        if (!listed(changed, name)) {
            fprintf(out, "%-40s DIFFERS (and no commit changed it since the verify began)\n", name);
            real++;
        }
    if (real)
        return 1;
    fprintf(out, "verified before the pause, loads running: %s (%.2f s); changed since it began: %s\n",
            only ? only : "every table and partition", move_now() - t, changed);
    fflush(out);
    return 0;
}

/* A reading_day partition is most of what a verify reads; one a load touched during a round
 * is verified again in the next, while the queue is still open, so that the pause holds
 * only what changed during the last round (the whole set when loads never stop). */
#define VERIFY_ROUNDS 4

static int verify_before_pause(PGconn *src, PGconn *dst, FILE *out, char *changed, size_t len,
                               struct mo_err *err)
{
    char discard[8192], previous[16384];
    if (changed_since(src, discard, sizeof discard, err) < 0)
        return -1;
    int rc = verify_round(src, dst, out, NULL, changed, len, err);
    for (int round = 1; rc == 0 && round < VERIFY_ROUNDS && strstr(changed, "meterops.reading_day_"); round++) {
        snprintf(previous, sizeof previous, "%s", changed);
        rc = verify_round(src, dst, out, previous, changed, len, err);
    }
    return rc;
}

/* Adds the relations of literal `more` missing from literal `all` ("{a}" + "{a,c}" = "{a,c}"). */
static void add_changed(char *all, size_t len, const char *more)
{
    if (strlen(all) <= 2) {
        snprintf(all, len, "%s", more);
        return;
    }
    char name[160];
    for (const char *p = more + 1; *p && *p != '}';) {
        size_t w = strcspn(p, ",}");
        snprintf(name, sizeof name, "%.*s", (int)w, p);
        size_t used = strlen(all);
        if (w && !listed(all, name) && used + w + 1 < len)
            snprintf(all + used - 1, len - (used - 1), ",%s}", name);
        p += w;
        if (*p == ',')
            p++;
    }
}

/* The steps after the pause; -1 with err, 1 when verify found differences. */
static int switch_over(PGconn *src, PGconn *dst, const struct move_rec *rec, FILE *out,
                       char *changed, size_t len, double *verify_s, struct mo_err *err)
{
    char made[24], more[8192];
    if (move_value(src, SQL_MOVE_SYNC_PARTITIONS, 0, NULL, made, sizeof made, err) < 0)
        return -1;
    if (move_catch_up(src, dst, 600.0, err) < 0)
        return -1;
    fprintf(out, "the target holds every commit of the source (lag 0)\n");
    if (changed_since(src, more, sizeof more, err) < 0)
        return -1;
    add_changed(changed, len, more);
    double t = move_now();
    /* the row hash covers Wh */
    int differ = move_compare(src, dst, out, false, changed, NULL, 0, err);
    *verify_s = move_now() - t;
    if (differ != 0)
        return differ < 0 ? -1 : 1;
    fprintf(out, "verified inside the pause: the relations changed since the verify before it, "
            "the same on both sides (%.2f s): %s\n", *verify_s, changed);
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
    char changed[16384];
    rc = verify_before_pause(src, dst, out, changed, sizeof changed, err);
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
    rc = switch_over(src, dst, &rec, out, changed, sizeof changed, &verify_s, err);
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
    db_close(dst);
    db_close(src);
    return rc;
}
