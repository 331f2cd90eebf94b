/* move_resync.c - `meterops migrate resync`: a table's initial copy made again. The case it
 * exists for: PostgreSQL's table-sync worker drops its slot on the source an instant before
 * it records the table synced on the target; a source stopped in between (a restart during
 * the initial copy) leaves the table in state 'copied' with no slot to catch up from, and
 * its worker failing every few seconds for ever. Nothing in PostgreSQL recovers that but
 * taking the table out of the subscription and copying it again, which is what this does. */
#include "backend/move_int.h"

#include <stdlib.h>
#include <string.h>

/* "a b c" into the text[] literal {"a","b","c"} (names made by format('%I.%I')). */
static void array_of(const char *names, char *buf, size_t len)
{
    size_t n = (size_t)snprintf(buf, len, "{");
    const char *p = names;
    while (*p && n < len) {
        size_t w = strcspn(p, " ");
        if (w)
            n += (size_t)snprintf(buf + n, len - n, "%s\"%.*s\"", n > 1 ? "," : "", (int)w, p);
        p += w;
        p += strspn(p, " ");
    }
    if (n < len)
        snprintf(buf + n, len - n, "}");
}

static void add_names(char *names, size_t len, const char *more)
{
    char one[160];
    for (const char *p = more; *p;) {
        size_t w = strcspn(p, " ");
        snprintf(one, sizeof one, "%.*s", (int)w, p);
        if (w && !move_listed(names, one))
            snprintf(names + strlen(names), len - strlen(names), "%s%s", names[0] ? " " : "", one);
        p += w;
        p += strspn(p, " ");
    }
}

/* The candidates on the target whose slot the source lacks, into names. */
static int stuck_once(PGconn *src, PGconn *dst, const char *subscription, char *names, size_t len,
                      struct mo_err *err)
{
    names[0] = '\0';
    const char *sub[1] = { subscription };
    PGresult *r = db_query(dst, SQL_MOVE_STUCK, 1, sub, err);
    if (!r)
        return -1;
    char slots[4096] = "", arr[4200], missing[4096];
    for (int i = 0; i < PQntuples(r); i++)
        add_names(slots, sizeof slots, PQgetvalue(r, i, 1));
    array_of(slots, arr, sizeof arr);
    const char *p[1] = { arr };
    if (PQntuples(r) > 0 && move_value(src, SQL_MOVE_SLOTS_MISSING, 1, p, missing, sizeof missing, err) < 0) {
        PQclear(r);
        return -1;
    }
    for (int i = 0; i < PQntuples(r); i++)
        if (move_listed(missing, PQgetvalue(r, i, 1)))
            add_names(names, len, PQgetvalue(r, i, 0));
    PQclear(r);
    return 0;
}

int move_stuck(PGconn *src, PGconn *dst, const char *subscription, char *names, size_t len,
               struct mo_err *err)
{
    char first[2048], again[2048];
    if (stuck_once(src, dst, subscription, first, sizeof first, err) < 0)
        return -1;
    names[0] = '\0';
    if (!first[0])
        return 0;
    move_nap_ms(1000);
    if (stuck_once(src, dst, subscription, again, sizeof again, err) < 0)
        return -1;
    int n = 0;
    char one[160];
    for (const char *p = first; *p;) {
        size_t w = strcspn(p, " ");
        snprintf(one, sizeof one, "%.*s", (int)w, p);
        if (move_listed(again, one)) {
            add_names(names, len, one);
            n++;
        }
        p += w;
        p += strspn(p, " ");
    }
    return n;
}

/* The relations to copy again: those named (each checked against the subscription), or
 * those stuck and those a stopped resync left out of the publication. */
static int choose(PGconn *src, PGconn *dst, const struct move_args *a, const struct move_rec *rec,
                  char *names, size_t len, FILE *out, struct mo_err *err)
{
    names[0] = '\0';
    if (a->ntables > 0) {
        char given[2048] = "", arr[2200];
        for (int i = 0; i < a->ntables; i++)
            snprintf(given + strlen(given), sizeof given - strlen(given), "%s%s", i ? " " : "", a->tables[i]);
        array_of(given, arr, sizeof arr);
        const char *p[2] = { rec->subscription, arr };
        PGresult *r = db_query(dst, SQL_MOVE_RESYNC_NAMES, 2, p, err);
        if (!r)
            return -1;
        if (!PQgetisnull(r, 0, 1)) {
            mo_err_set(err, "move_not_carried",
                       "not a table the subscription carries: %s (a reading_day partition is "
                       "copied through meterops.reading_day; the marker is the move's own)",
                       PQgetvalue(r, 0, 1));
            PQclear(r);
            return -1;
        }
        snprintf(names, len, "%s", PQgetvalue(r, 0, 0));
        PQclear(r);
        return 0;
    }
    char stuck[2048], left_out[2048];
    const char *pub[1] = { rec->publication };
    if (move_stuck(src, dst, rec->subscription, stuck, sizeof stuck, err) < 0 ||
        move_value(src, SQL_MOVE_PUB_MISSING, 1, pub, left_out, sizeof left_out, err) < 0)
        return -1;
    if (stuck[0])
        fprintf(out, "copied, but the source has lost the slot to catch up from: %s\n", stuck);
    if (left_out[0])
        fprintf(out, "out of the publication (a resync that stopped half way): %s\n", left_out);
    add_names(names, len, stuck);
    add_names(names, len, left_out);
    return 0;
}

static int resync_steps(PGconn *src, PGconn *dst, const struct move_rec *rec, const char *names,
                        FILE *out, struct mo_err *err)
{
    char arr[2200];
    array_of(names, arr, sizeof arr);
    const char *drop[3] = { rec->publication, "DROP", arr };
    const char *keep[2] = { rec->subscription, "false" };
    if (move_exec_built(src, SQL_MOVE_PUB_TABLES, 3, drop, err) < 0 ||
        move_exec_built(dst, SQL_MOVE_SUB_REFRESH, 2, keep, err) < 0)
        return -1;
    fprintf(out, "out of publication %s and subscription %s: %s\n", rec->publication,
            rec->subscription, names);
    /* Changes committed before the table left the publication may still be on their way
     * to the target: the marker, committed after, arrives after them. */
    if (move_catch_up(src, dst, 600.0, err) < 0)
        return -1;
    const char *tables[1] = { arr };
    if (move_exec_built(dst, SQL_MOVE_TARGET_EMPTY, 1, tables, err) < 0)
        return -1;
    fprintf(out, "target: emptied\n");
    return 0;
}

static int put_back(PGconn *src, PGconn *dst, const struct move_rec *rec, const char *names,
                    struct mo_err *err)
{
    char arr[2200];
    array_of(names, arr, sizeof arr);
    const char *add[3] = { rec->publication, "ADD", arr };
    const char *copy[2] = { rec->subscription, "true" };
    if (move_exec_built(src, SQL_MOVE_PUB_TABLES, 3, add, err) < 0 ||
        move_exec_built(dst, SQL_MOVE_SUB_REFRESH, 2, copy, err) < 0)
        return -1;
    return 0;
}

int move_resync(const struct move_args *a, FILE *out, struct mo_err *err)
{
    PGconn *src, *dst;
    struct move_rec rec;
    if (move_open(a, "copying", &src, &dst, &rec, err) < 0)
        return -1;
    char names[2048];
    int rc = choose(src, dst, a, &rec, names, sizeof names, out, err);
    if (rc == 0 && !names[0])
        fprintf(out, "nothing to copy again: every table's copy is going or done\n");
    else if (rc == 0) {
        /* A failure from here leaves tables out of the publication; a resync with no table
         * finds them (move/pub_missing.sql) and finishes the job. */
        if (resync_steps(src, dst, &rec, names, out, err) < 0 || put_back(src, dst, &rec, names, err) < 0) {
            fprintf(out, "stopped half way: run migrate resync again to finish\n");
            rc = -1;
        } else
            fprintf(out, "copying again: %s; follow it with migrate status\n", names);
    }
    db_close(dst);
    db_close(src);
    return rc;
}
