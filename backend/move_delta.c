/* move_delta.c - what cutover verifies, round by round, while loads run and inside the
 * pause. A round compares what changed since the previous one; the changes are read from
 * the test_decoding slot start made (move/delta_collect.sql), which also keeps the keys of
 * the reading_day rows they touched. A partition verified whole once is from then on
 * verified by those keys only: inside the pause that is the rows loaded during the last
 * round and the files in hand, not the partition, so the pause does not grow with the
 * month's size. A relation that differs is a real difference only if no commit changed it
 * since the round began (otherwise the next round, or the pause, looks again). */
#include "backend/move_delta.h"

#include <stdlib.h>
#include <string.h>

#define PART_PREFIX "meterops.reading_day_"

/* Calls fn for each name of a text[] literal "{a,b}" (names need no quoting). */
static void each_name(const char *literal, void (*fn)(struct move_delta *, const char *), struct move_delta *d)
{
    char name[MOVE_DELTA_NAME];
    for (const char *p = literal + (literal[0] == '{'); *p && *p != '}';) {
        size_t w = strcspn(p, ",}");
        snprintf(name, sizeof name, "%.*s", (int)w, p);
        if (w)
            fn(d, name);
        p += w;
        if (*p == ',')
            p++;
    }
}

static void add_to(char *literal, size_t len, const char *name)
{
    size_t used = strlen(literal);
    if (used < 2)
        snprintf(literal, len, "{}"), used = 2;
    if (move_listed(literal, name) || used + strlen(name) + 2 >= len)
        return;
    snprintf(literal + used - 1, len - (used - 1), "%s%s}", used > 2 ? "," : "", name);
}

static struct move_delta_part *part_of(struct move_delta *d, const char *name)
{
    for (int i = 0; i < d->nparts; i++)
        if (strcmp(d->parts[i].name, name) == 0)
            return &d->parts[i];
    if (d->nparts == d->cap) {
        int cap = d->cap ? d->cap * 2 : 32;
        struct move_delta_part *p = realloc(d->parts, (size_t)cap * sizeof *p);
        if (!p)
            return NULL;
        d->parts = p;
        d->cap = cap;
    }
    struct move_delta_part *p = &d->parts[d->nparts++];
    snprintf(p->name, sizeof p->name, "%s", name);
    p->since = d->round;
    p->whole = false;
    return p;
}

/* A name of the changes just read: a table is verified whole next time; a partition not
 * followed yet by its keys from this round on (its rows before were verified, or it had
 * none). */
static void note_changed(struct move_delta *d, const char *name)
{
    if (strncmp(name, PART_PREFIX, strlen(PART_PREFIX)) == 0) {
        if (!part_of(d, name))
            d->oom = true;
    } else
        add_to(d->tables, sizeof d->tables, name);
}

void move_delta_free(struct move_delta *d)
{
    free(d->parts);
    memset(d, 0, sizeof *d);
}

static int collect(PGconn *src, struct move_delta *d, char *changed, size_t len, struct mo_err *err)
{
    char round[16];
    snprintf(round, sizeof round, "%d", d->round);
    const char *p[2] = { MOVE_DELTA_SLOT, round };
    return move_value(src, SQL_MOVE_DELTA_COLLECT, 2, p, changed, len, err);
}

int move_delta_begin(PGconn *src, struct move_delta *d, struct mo_err *err)
{
    memset(d, 0, sizeof *d);
    snprintf(d->tables, sizeof d->tables, "{}");
    char discard[16384];
    d->round = -1;
    if (db_exec(src, SQL_MOVE_DELTA_KEYS_TABLE, 0, NULL, err) < 0 || collect(src, d, discard, sizeof discard, err) < 0)
        return -1;
    d->round = 0;
    return 0;
}

/* The partitions followed by key, with keys kept since their round: a bigint[] and a date[]
 * literal in *r (columns 0 and 1, count in 2); the partitions a keyless change (TRUNCATE)
 * touched become whole. NULL result and 0: no such partition. */
static int keys_to_verify(PGconn *src, struct move_delta *d, PGresult **r, struct mo_err *err)
{
    *r = NULL;
    size_t cap = 64;
    for (int i = 0; i < d->nparts; i++)
        cap += strlen(d->parts[i].name) + 16;
    char *rels = malloc(cap), *since = malloc(cap);
    if (!rels || !since) {
        free(rels);
        free(since);
        return mo_err_set(err, "out_of_memory", "out of memory");
    }
    snprintf(rels, cap, "{");
    snprintf(since, cap, "{");
    int n = 0;
    for (int i = 0; i < d->nparts; i++) {
        if (d->parts[i].whole)
            continue;
        snprintf(rels + strlen(rels), cap - strlen(rels), "%s%s", n ? "," : "", d->parts[i].name);
        snprintf(since + strlen(since), cap - strlen(since), "%s%d", n ? "," : "", d->parts[i].since);
        n++;
    }
    strcat(rels, "}");
    strcat(since, "}");
    int rc = 0;
    if (n > 0) {
        const char *p[2] = { rels, since };
        if (!(*r = db_query(src, SQL_MOVE_DELTA_KEYS, 2, p, err)))
            rc = -1;
        else if (!PQgetisnull(*r, 0, 3))
            for (int i = 0; i < d->nparts; i++)
                if (move_listed(PQgetvalue(*r, 0, 3), d->parts[i].name))
                    d->parts[i].whole = true;
    }
    free(rels);
    free(since);
    return rc;
}

/* What one comparison covered, for the report. */
struct due {
    char whole[8192]; /* text[] literal: tables and partitions compared whole */
    char keyed[4096]; /* partitions compared by key, space separated */
    long nkeys;
};

/* One comparison of what is due: the tables changed and the partitions to verify whole
 * (every relation when all), and the other partitions' rows by key. The differing
 * relations go space separated into differ. */
static int compare_due(PGconn *src, PGconn *dst, struct move_delta *d, bool all, char *differ,
                       size_t len, struct due *u, struct mo_err *err)
{
    differ[0] = '\0';
    u->nkeys = 0;
    u->keyed[0] = '\0';
    PGresult *k = NULL;
    if (!all && keys_to_verify(src, d, &k, err) < 0)
        return -1;
    snprintf(u->whole, sizeof u->whole, "%s", d->tables);
    for (int i = 0; i < d->nparts; i++)
        if (d->parts[i].whole)
            add_to(u->whole, sizeof u->whole, d->parts[i].name);
    int rc = 0;
    if (all || strcmp(u->whole, "{}") != 0)
        rc = move_compare(src, dst, NULL, false, all ? NULL : u->whole, differ, len, err);
    if (rc >= 0 && k && atol(PQgetvalue(k, 0, 2)) > 0) {
        u->nkeys = atol(PQgetvalue(k, 0, 2));
        snprintf(u->keyed, sizeof u->keyed, "%s", PQgetvalue(k, 0, 4));
        char more[4096];
        int r2 = move_compare_rows(src, dst, NULL, PQgetvalue(k, 0, 0), PQgetvalue(k, 0, 1),
                                   PQgetvalue(k, 0, 5), more, sizeof more, err);
        if (r2 > 0)
            snprintf(differ + strlen(differ), len - strlen(differ), "%s%s", differ[0] ? " " : "", more);
        rc = r2 < 0 ? -1 : rc + r2;
    }
    PQclear(k);
    return rc;
}

static int collect_noted_names(struct move_delta *d, const char *changed)
{
    each_name(changed, note_changed, d);
    return d->oom ? -1 : 0;
}

static int collect_noted(PGconn *src, struct move_delta *d, char *changed, size_t len, struct mo_err *err)
{
    if (collect(src, d, changed, len, err) < 0)
        return -1;
    return collect_noted_names(d, changed) < 0 ? mo_err_set(err, "out_of_memory", "out of memory") : 0;
}

int move_delta_round(PGconn *src, PGconn *dst, FILE *out, struct move_delta *d, double *secs,
                     struct mo_err *err)
{
    char differ[8192], changed[16384];
    struct due u;
    bool all = d->round == 0;
    if (move_catch_up(src, dst, 600.0, err) < 0)
        return -1;
    double t = move_now();
    if (compare_due(src, dst, d, all, differ, sizeof differ, &u, err) < 0 ||
        collect(src, d, changed, sizeof changed, err) < 0)
        return -1;
    *secs = move_now() - t;
    int real = 0;
    char name[MOVE_DELTA_NAME];
    for (const char *p = differ; *p;) {
        size_t w = strcspn(p, " ");
        snprintf(name, sizeof name, "%.*s", (int)w, p);
        if (w && !move_listed(changed, name)) {
            fprintf(out, "%-40s DIFFERS (and no commit changed it since the verify began)\n", name);
            real++;
        }
        p += w + (p[w] == ' ');
    }
    if (real)
        return 1;
    if (all)
        fprintf(out, "verified before the pause, loads running: every table and partition (%.2f s); "
                "changed since it began: %s\n", *secs, changed);
    else
        fprintf(out, "verified before the pause, loads running: %s whole, %ld reading_day row(s) by key "
                "(%.2f s); changed since it began: %s\n", u.whole, u.nkeys, *secs, changed);
    fflush(out);
    /* Each partition followed found the same is followed from this round's keys on; one
     * that differed (and changed) keeps what it had: whole, or its older keys. */
    for (int i = 0; i < d->nparts; i++)
        if (!move_listed(differ, d->parts[i].name)) {
            d->parts[i].whole = false;
            d->parts[i].since = d->round;
        }
    snprintf(d->tables, sizeof d->tables, "{}");
    if (collect_noted_names(d, changed) < 0)
        return mo_err_set(err, "out_of_memory", "out of memory");
    if (all)
        for (int i = 0; i < d->nparts; i++)
            d->parts[i].whole = move_listed(differ, d->parts[i].name);
    d->round++;
    return 0;
}

int move_delta_pause(PGconn *src, PGconn *dst, FILE *out, struct move_delta *d, double *secs,
                     struct mo_err *err)
{
    char differ[8192], changed[16384];
    struct due u;
    double t = move_now();
    if (collect_noted(src, d, changed, sizeof changed, err) < 0 ||
        compare_due(src, dst, d, false, differ, sizeof differ, &u, err) < 0)
        return -1;
    *secs = move_now() - t;
    if (differ[0]) {
        fprintf(out, "DIFFERS inside the pause, nothing writing: %s (compared whole: %s; by the keys of "
                "%ld row(s) changed: %s)\n", differ, u.whole, u.nkeys, u.keyed[0] ? u.keyed : "none");
        return 1;
    }
    fprintf(out, "verified inside the pause: the relations changed since the verify before it, "
            "the same on both sides (%.2f s): %s; by the rows changed: %ld reading_day row(s) of %s\n",
            *secs, u.whole, u.nkeys, u.keyed[0] ? u.keyed : "none");
    return 0;
}
