/* move_verify.c - `meterops migrate verify`: the same checksums (move/checksums.sql) on
 * both servers at once, compared relation by relation. A relation missing on one side
 * counts as empty there, so an empty partition made on one side only is not a difference. */
#include "backend/move_int.h"

#include <stdlib.h>
#include <string.h>

struct sums {
    char relation[128];
    char rows[24], wh[48], digest[64];
};

/* Sends the checksums on a connection without waiting for them. */
static int send_checksums(PGconn *c, bool with_wh, const char *only, struct mo_err *err)
{
    const char *p[2] = { with_wh ? "true" : "false", only };
    bool all = only == NULL;
    if (!PQsendQueryParams(c, sql_text(all ? SQL_MOVE_CHECKSUMS : SQL_MOVE_CHECKSUMS_OF), all ? 1 : 2,
                           NULL, p, NULL, NULL, 0))
        return db_err_from_result(NULL, c, err), -1;
    return 0;
}

static struct sums *take_checksums(PGconn *c, int *n, struct mo_err *err)
{
    PGresult *r, *last = NULL;
    while ((r = PQgetResult(c)) != NULL) {
        PQclear(last);
        last = r;
    }
    if (!last || PQresultStatus(last) != PGRES_TUPLES_OK) {
        db_err_from_result(last, c, err);
        PQclear(last);
        return NULL;
    }
    *n = PQntuples(last);
    struct sums *s = calloc((size_t)*n + 1, sizeof *s);
    for (int i = 0; s && i < *n; i++) {
        snprintf(s[i].relation, sizeof s[i].relation, "%s", PQgetvalue(last, i, 0));
        snprintf(s[i].rows, sizeof s[i].rows, "%s", PQgetvalue(last, i, 1));
        snprintf(s[i].wh, sizeof s[i].wh, "%s", PQgetisnull(last, i, 2) ? "-" : PQgetvalue(last, i, 2));
        snprintf(s[i].digest, sizeof s[i].digest, "%s", PQgetvalue(last, i, 3));
    }
    PQclear(last);
    if (!s)
        mo_err_set(err, "out_of_memory", "out of memory");
    return s;
}

static const struct sums *find(const struct sums *s, int n, const char *relation)
{
    for (int i = 0; i < n; i++)
        if (strcmp(s[i].relation, relation) == 0)
            return &s[i];
    return NULL;
}

static const struct sums empty = { "", "0", "0", "0" };

static bool same(const struct sums *a, const struct sums *b)
{
    bool wh_known = strcmp(a->wh, "-") != 0 && strcmp(b->wh, "-") != 0;
    return strcmp(a->rows, b->rows) == 0 && strcmp(a->digest, b->digest) == 0 &&
           (!wh_known || strcmp(a->wh, b->wh) == 0);
}

static int report(FILE *out, char *names, size_t len, const char *relation, const struct sums *a,
                  const struct sums *b)
{
    bool eq = same(a, b);
    if (!eq && names) {
        size_t used = strlen(names);
        snprintf(names + used, len - used, "%s%s", used ? " " : "", relation);
    }
    if (!eq && out)
        fprintf(out, "%-40s %s  rows %s / %s  wh %s / %s\n", relation, eq ? "same   " : "DIFFERS",
                a->rows, b->rows, a->wh, b->wh);
    return eq ? 0 : 1;
}

/* Takes the answers of the same query sent on both sides and compares them relation by
 * relation. */
static int compare_sent(PGconn *src, PGconn *dst, FILE *out, char *names, size_t len, struct mo_err *err)
{
    int ns = 0, nd = 0;
    struct mo_err derr;
    mo_err_clear(&derr);
    struct sums *s = take_checksums(src, &ns, err);
    struct sums *d = take_checksums(dst, &nd, &derr);
    int differ = -1;
    if (!s || !d) {
        if (s && err)
            *err = derr;
        goto done;
    }
    differ = 0;
    for (int i = 0; i < ns; i++) {
        const struct sums *t = find(d, nd, s[i].relation);
        differ += report(out, names, len, s[i].relation, &s[i], t ? t : &empty);
    }
    for (int i = 0; i < nd; i++)
        if (!find(s, ns, d[i].relation))
            differ += report(out, names, len, d[i].relation, &empty, &d[i]);
done:
    free(s);
    free(d);
    return differ;
}

int move_compare(PGconn *src, PGconn *dst, FILE *out, bool with_wh, const char *only,
                 char *names, size_t len, struct mo_err *err)
{
    if (names && len)
        names[0] = '\0';
    if (send_checksums(src, with_wh, only, err) < 0)
        return -1;
    if (send_checksums(dst, with_wh, only, err) < 0) {
        db_drain(src);
        return -1;
    }
    return compare_sent(src, dst, out, names, len, err);
}

static int send_rows(PGconn *c, const char *ids, const char *days, const char *rels, struct mo_err *err)
{
    const char *p[3] = { ids, days, rels };
    if (!PQsendQueryParams(c, sql_text(SQL_MOVE_ROWS_HASH), 3, NULL, p, NULL, NULL, 0))
        return db_err_from_result(NULL, c, err), -1;
    return 0;
}

int move_compare_rows(PGconn *src, PGconn *dst, FILE *out, const char *ids, const char *days,
                      const char *rels, char *names, size_t len, struct mo_err *err)
{
    if (names && len)
        names[0] = '\0';
    if (send_rows(src, ids, days, rels, err) < 0)
        return -1;
    if (send_rows(dst, ids, days, rels, err) < 0) {
        db_drain(src);
        return -1;
    }
    return compare_sent(src, dst, out, names, len, err);
}

int move_verify(const struct move_args *a, FILE *out, struct mo_err *err)
{
    PGconn *src, *dst;
    struct move_rec rec;
    if (move_open(a, "copying cutover done", &src, &dst, &rec, err) < 0)
        return -1;
    double t0 = move_now();
    int differ = -1;
    /* What the source committed before now must be on the target first, or the
     * comparison would only measure the lag. */
    if (strcmp(rec.state, "done") == 0 || move_catch_up(src, dst, 60.0, err) == 0)
        differ = move_compare(src, dst, out, true, NULL, NULL, 0, err);
    if (differ > 0)
        fprintf(out, "%d relation(s) differ between the source and the target (%.1f s)\n", differ,
                move_now() - t0);
    else if (differ == 0)
        fprintf(out, "source and target hold the same rows (%.1f s)\n", move_now() - t0);
    db_close(dst);
    db_close(src);
    return differ < 0 ? -1 : differ > 0;
}
