/* fetch_custview.c - see fetch_custview.h. The card's queries are queued together once the
 * period is known; the connection runs them in order and the last answer delivers. */
#include "backend/fetch_custview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/dbasync_query.h"
#include "backend/fetch.h"
#include "backend/fetch_customer_parse.h"

static void oom(struct mo_err *e, const char *what)
{
    mo_err_set(e, "out_of_memory", "out of memory reading %s", what);
}

/* --- search ------------------------------------------------------------------------ */

static void find_answer(const PGresult *res, const struct mo_err *err, dba_any_fn done, void *ctx, uint64_t tag)
{
    custview_find_fn fn = (custview_find_fn)done;
    if (!res) {
        fn(ctx, tag, NULL, err);
        return;
    }
    struct customer_matches *m = calloc(1, sizeof *m);
    struct mo_err e;
    if (!m) {
        oom(&e, "the matches");
        fn(ctx, tag, NULL, &e);
        return;
    }
    if (customer_parse_find(res, SQL_CONSOLE_CUSTOMER_FIND, m, &e) < 0) {
        free(m);
        fn(ctx, tag, NULL, &e);
        return;
    }
    fn(ctx, tag, m, NULL);
}

int custview_find(struct dba *db, const char *ref, const char *after, const char *before, int page,
                  custview_find_fn done, void *ctx, uint64_t tag, struct mo_err *err)
{
    char pagebuf[16];
    snprintf(pagebuf, sizeof pagebuf, "%d", page);
    const char *params[4] = { ref, after, before, pagebuf };
    return dba_submit(db, SQL_CONSOLE_CUSTOMER_FIND, 4, params, find_answer, (dba_any_fn)done, ctx, tag, err);
}

/* --- the card ------------------------------------------------------------------------ */

void custview_card_free(struct custview_card *c)
{
    if (!c)
        return;
    customer_view_free(&c->v);
    for (int i = 0; i < c->nmonths; i++) {
        free(c->months[i].elec_import_kwh);
        free(c->months[i].elec_export_kwh);
        free(c->months[i].gas_kwh);
        free(c->months[i].cost_gbp);
    }
    free(c->months);
    free(c);
}

struct card_req {
    struct dba *db;
    struct custview_card *card;
    char account[128];
    custview_card_fn fn;
    void *ctx;
    uint64_t tag;
    int pending;                /* queries still to answer */
    bool failed;
    struct mo_err err;
};

static void card_finish(struct card_req *q)
{
    if (q->failed) {
        custview_card_free(q->card);
        q->fn(q->ctx, q->tag, NULL, &q->err);
    } else {
        q->fn(q->ctx, q->tag, q->card, NULL);
    }
    free(q);
}

static char *dup_or_null(const PGresult *res, int r, int c, bool *bad)
{
    if (PQgetisnull(res, r, c))
        return NULL;
    char *s = strdup(PQgetvalue(res, r, c));
    if (!s)
        *bad = true;
    return s;
}

static int parse_months(const PGresult *res, struct custview_card *c, struct mo_err *err)
{
    int n;
    if (PQnfields(res) < 6)
        return mo_err_set(err, "sql_shape", "queries/console/customer_monthly.sql returned %d columns, expected 6",
                          PQnfields(res));
    c->months = res_calloc_rows(res, sizeof *c->months, &n);
    if (!c->months && n) {
        oom(err, "the months");
        return -1;
    }
    bool bad = false;
    for (int i = 0; i < n; i++) {
        struct custview_month *m = &c->months[i];
        snprintf(m->month, sizeof m->month, "%s", res_str(res, i, 0));
        m->days = (int)res_i64(res, i, 1, 0);
        m->elec_import_kwh = dup_or_null(res, i, 2, &bad);
        m->elec_export_kwh = dup_or_null(res, i, 3, &bad);
        m->gas_kwh = dup_or_null(res, i, 4, &bad);
        m->cost_gbp = dup_or_null(res, i, 5, &bad);
        c->nmonths = i + 1;
    }
    if (bad) {
        oom(err, "the months");
        return -1;
    }
    return 0;
}

/* One answer of the card's queries: parse it unless an earlier one failed. */
static void card_part(const PGresult *res, const struct mo_err *err, struct card_req *q,
                      int (*parse)(const PGresult *, struct custview_card *, struct mo_err *))
{
    if (!q->failed && !res) {
        q->failed = true;
        q->err = *err;
    } else if (!q->failed && parse(res, q->card, &q->err) < 0) {
        q->failed = true;
    }
    if (--q->pending == 0)
        card_finish(q);
}

static int p_meters(const PGresult *r, struct custview_card *c, struct mo_err *e) { return customer_parse_meters(r, &c->v, e); }
static int p_daily(const PGresult *r, struct custview_card *c, struct mo_err *e) { return customer_parse_daily(r, &c->v, e); }
static int p_insights(const PGresult *r, struct custview_card *c, struct mo_err *e) { return customer_parse_insights(r, &c->v, e); }

static void a_meters(const PGresult *r, const struct mo_err *e, dba_any_fn d, void *ctx, uint64_t t)
{
    (void)d, (void)t;
    card_part(r, e, ctx, p_meters);
}
static void a_daily(const PGresult *r, const struct mo_err *e, dba_any_fn d, void *ctx, uint64_t t)
{
    (void)d, (void)t;
    card_part(r, e, ctx, p_daily);
}
static void a_insights(const PGresult *r, const struct mo_err *e, dba_any_fn d, void *ctx, uint64_t t)
{
    (void)d, (void)t;
    card_part(r, e, ctx, p_insights);
}
static void a_months(const PGresult *r, const struct mo_err *e, dba_any_fn d, void *ctx, uint64_t t)
{
    (void)d, (void)t;
    card_part(r, e, ctx, parse_months);
}

/* The period is known: queue the rest, in the order the parsers need (meters before days). */
static void a_period(const PGresult *res, const struct mo_err *err, dba_any_fn d, void *ctx, uint64_t t)
{
    (void)d, (void)t;
    struct card_req *q = ctx;
    if (!res) {
        q->failed = true;
        q->err = *err;
        card_finish(q);
        return;
    }
    if (customer_parse_period(res, &q->card->v, &q->err) < 0) {
        q->failed = true;
        card_finish(q);
        return;
    }
    const char *params[3] = { q->account, q->card->v.from_day, q->card->v.to_day };
    static const struct {
        enum sql_query sql;
        int nparams;
        dba_parse_fn parse;
    } parts[] = {
        { SQL_CUSTOMER_METERS, 1, a_meters },
        { SQL_CUSTOMER_DAILY, 3, a_daily },
        { SQL_CUSTOMER_INSIGHTS, 3, a_insights },
        { SQL_CONSOLE_CUSTOMER_MONTHLY, 3, a_months },
    };
    q->pending = 1; /* held until every part is queued, so no answer finishes early */
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        struct mo_err e;
        if (dba_submit(q->db, parts[i].sql, parts[i].nparams, params, parts[i].parse, NULL, q, 0, &e) == 0) {
            q->pending++;
        } else if (!q->failed) {
            q->failed = true;
            q->err = e;
        }
    }
    if (--q->pending == 0)
        card_finish(q);
}

int custview_card_fetch(struct dba *db, const char *account_no, const char *to_day, int days,
                        custview_card_fn done, void *ctx, uint64_t tag, struct mo_err *err)
{
    struct card_req *q = calloc(1, sizeof *q);
    if (q)
        q->card = calloc(1, sizeof *q->card);
    if (!q || !q->card) {
        free(q);
        oom(err, "the card");
        return -1;
    }
    q->db = db;
    snprintf(q->account, sizeof q->account, "%s", account_no);
    q->fn = done;
    q->ctx = ctx;
    q->tag = tag;
    char ndays[16];
    snprintf(ndays, sizeof ndays, "%d", days);
    const char *params[2] = { to_day, ndays };
    if (dba_submit(db, SQL_CUSTOMER_PERIOD, 2, params, a_period, NULL, q, 0, err) < 0) {
        free(q->card);
        free(q);
        return -1;
    }
    return 0;
}

/* --- half-hours ------------------------------------------------------------------------ */

void custview_halfhours_free(struct custview_halfhours *h)
{
    if (!h)
        return;
    free(h->hh);
    free(h);
}

static void hh_answer(const PGresult *res, const struct mo_err *err, dba_any_fn done, void *ctx, uint64_t tag)
{
    custview_halfhours_fn fn = (custview_halfhours_fn)done;
    if (!res) {
        fn(ctx, tag, NULL, err);
        return;
    }
    struct custview_halfhours *h = calloc(1, sizeof *h);
    int n = 0;
    if (h)
        h->hh = res_calloc_rows(res, sizeof *h->hh, &n);
    if (!h || (!h->hh && n)) {
        free(h);
        struct mo_err e;
        oom(&e, "the half-hours");
        fn(ctx, tag, NULL, &e);
        return;
    }
    for (int i = 0; i < n; i++) {
        struct custview_halfhour *x = &h->hh[i];
        snprintf(x->day, sizeof x->day, "%s", res_str(res, i, 0));
        x->slot = (int)res_i64(res, i, 1, 0);
        snprintf(x->local_start, sizeof x->local_start, "%s", res_str(res, i, 2));
        x->missing = PQgetisnull(res, i, 3);
        x->wh = (int)res_i64(res, i, 3, 0);
    }
    h->n = n;
    fn(ctx, tag, h, NULL);
}

int custview_halfhours_fetch(struct dba *db, const char *mpxn, const char *from_day, const char *to_day,
                             custview_halfhours_fn done, void *ctx, uint64_t tag, struct mo_err *err)
{
    const char *params[3] = { mpxn, from_day, to_day };
    return dba_submit(db, SQL_CONSOLE_CUSTOMER_HALFHOURS, 3, params, hh_answer, (dba_any_fn)done, ctx, tag, err);
}

/* --- role -------------------------------------------------------------------------------- */

static void role_answer(const PGresult *res, const struct mo_err *err, dba_any_fn done, void *ctx, uint64_t tag)
{
    custview_role_fn fn = (custview_role_fn)done;
    if (!res || PQntuples(res) != 1) {
        struct mo_err e;
        if (!res)
            e = *err;
        else
            mo_err_set(&e, "sql_shape", "queries/console/role.sql returned no row");
        fn(ctx, tag, false, false, &e);
        return;
    }
    fn(ctx, tag, res_bool(res, 0, 0), res_bool(res, 0, 1), NULL);
}

int custview_role_fetch(struct dba *db, custview_role_fn done, void *ctx, uint64_t tag, struct mo_err *err)
{
    return dba_submit(db, SQL_CONSOLE_ROLE, 0, NULL, role_answer, (dba_any_fn)done, ctx, tag, err);
}
