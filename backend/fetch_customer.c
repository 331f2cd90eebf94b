/* fetch_customer.c - runs queries/customer/ files and copies the rows into the plain
 * structs of fetch_customer.h. No SQL text here: only names of embedded files and
 * parameters. */
#include "backend/fetch_customer.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/db.h"
#include "backend/fetch_customer_parse.h"

struct customer_db {
    PGconn *conn;
};

struct customer_db *customer_open(const char *conninfo, struct mo_err *err)
{
    struct customer_db *db = malloc(sizeof *db);
    if (!db) {
        mo_err_set(err, "out_of_memory", "out of memory");
        return NULL;
    }
    const struct db_session s = { .kind = DB_CUSTOMER, .app_name = "meterops customer" };
    db->conn = db_connect(conninfo, &s, err);
    if (!db->conn) {
        free(db);
        return NULL;
    }
    return db;
}

void customer_close(struct customer_db *db)
{
    if (!db)
        return;
    db_close(db->conn);
    free(db);
}

/* The value at (row, col) copied, or NULL for SQL NULL. *oom is set when a copy fails. */
static char *dup_value(const PGresult *res, int row, int col, int *oom)
{
    if (PQgetisnull(res, row, col))
        return NULL;
    char *s = strdup(PQgetvalue(res, row, col));
    if (!s)
        *oom = 1;
    return s;
}

static int int_value(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? 0 : atoi(PQgetvalue(res, row, col));
}

static long long_value(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? 0 : strtol(PQgetvalue(res, row, col), NULL, 10);
}

static int oom_error(struct mo_err *err)
{
    return mo_err_set(err, "out_of_memory", "out of memory reading the customer's data");
}

/* A result with fewer columns than the code reads means the SQL file and this code
 * disagree: report it instead of reading past the row. */
static int check_columns(const PGresult *res, enum sql_query name, int want, struct mo_err *err)
{
    if (PQnfields(res) < want)
        return mo_err_set(err, "sql_shape", "queries/%s.sql returned %d columns, expected %d",
                          sql_name(name),
                          PQnfields(res), want);
    return 0;
}

static void ident_free(struct customer_ident *c)
{
    free(c->account_no);
    free(c->name);
    free(c->postcode);
    free(c->email);
    free(c->phone);
    free(c->matched_by);
    free(c->fuels);
}

void customer_matches_free(struct customer_matches *m)
{
    for (int i = 0; i < m->n; i++)
        ident_free(&m->items[i]);
    free(m->items);
    memset(m, 0, sizeof *m);
}

int customer_find(struct customer_db *db, const char *ref, const char *after, const char *before, int page,
                  struct customer_matches *out, struct mo_err *err)
{
    char pagebuf[16];
    snprintf(pagebuf, sizeof pagebuf, "%d", page);
    const char *params[4] = { ref, after, before, pagebuf };
    memset(out, 0, sizeof *out);
    PGresult *res = db_query(db->conn, SQL_CUSTOMER_FIND, 4, params, err);
    if (!res)
        return -1;
    int rc = customer_parse_find(res, SQL_CUSTOMER_FIND, out, err);
    PQclear(res);
    return rc;
}

int customer_parse_find(const PGresult *res, enum sql_query name, struct customer_matches *out, struct mo_err *err)
{
    memset(out, 0, sizeof *out);
    if (check_columns(res, name, 12, err) < 0)
        return -1;
    int rows = PQntuples(res), oom = 0;
    bool with_fuels = PQnfields(res) >= 13;
    if (rows > 0) {
        out->items = calloc((size_t)rows, sizeof *out->items);
        if (!out->items)
            return oom_error(err);
    }
    for (int r = 0; r < rows; r++) {
        struct customer_ident *c = &out->items[r];
        c->account_no = dup_value(res, r, 0, &oom);
        c->name = dup_value(res, r, 1, &oom);
        c->postcode = dup_value(res, r, 2, &oom);
        c->email = dup_value(res, r, 3, &oom);
        c->phone = dup_value(res, r, 4, &oom);
        c->matched_by = dup_value(res, r, 5, &oom);
        c->meters = int_value(res, r, 6);
        c->masked = strcmp(PQgetvalue(res, r, 7), "t") == 0;
        out->total = int_value(res, r, 8);
        out->capped = strcmp(PQgetvalue(res, r, 9), "t") == 0;
        out->more_before = strcmp(PQgetvalue(res, r, 10), "t") == 0;
        out->more_after = strcmp(PQgetvalue(res, r, 11), "t") == 0;
        if (with_fuels)
            c->fuels = dup_value(res, r, 12, &oom);
        out->n = r + 1;
    }
    if (oom) {
        customer_matches_free(out);
        return oom_error(err);
    }
    return 0;
}

static void meter_free(struct customer_meter *m)
{
    free(m->mpxn);
    free(m->fuel);
    free(m->tariff_code);
    free(m->tariff_name);
    free(m->installed_on);
    free(m->removed_on);
    free(m->direction);
    for (int i = 0; i < m->ndays; i++) {
        struct customer_day *d = &m->days[i];
        free(d->date);
        free(d->weekday);
        free(d->kwh);
        free(d->cost_p);
        free(d->cost_gbp);
        free(d->standing_p);
    }
    free(m->days);
    for (int i = 0; i < m->ntariffs; i++) {
        struct customer_tariff_period *t = &m->tariffs[i];
        free(t->tariff_code);
        free(t->tariff_name);
        free(t->from_day);
        free(t->to_day);
        free(t->kwh);
        free(t->cost_p);
        free(t->cost_gbp);
    }
    free(m->tariffs);
    for (int i = 0; i < m->nregister_reads; i++) {
        struct customer_register_read *r = &m->register_reads[i];
        free(r->meter_serial);
        free(r->register_id);
        free(r->read_at);
        free(r->reading);
        free(r->reading_type);
        free(r->reading_flag);
        free(r->reading_method);
    }
    free(m->register_reads);
    free(m->kwh);
    free(m->cost_p);
    free(m->cost_gbp);
}

void customer_view_free(struct customer_view *v)
{
    free(v->from_day);
    free(v->to_day);
    for (int i = 0; i < v->nmeters; i++)
        meter_free(&v->meters[i]);
    free(v->meters);
    free(v->cost_p);
    free(v->cost_gbp);
    free(v->elec_import_kwh);
    free(v->elec_export_kwh);
    free(v->elec_net_kwh);
    for (int i = 0; i < v->ninsights; i++) {
        free(v->insights[i].kind);
        free(v->insights[i].message);
    }
    free(v->insights);
    memset(v, 0, sizeof *v);
}

int customer_parse_period(const PGresult *res, struct customer_view *v, struct mo_err *err)
{
    int oom = 0;
    if (check_columns(res, SQL_CUSTOMER_PERIOD, 2, err) < 0)
        return -1;
    if (PQntuples(res) != 1)
        return mo_err_set(err, "sql_shape", "queries/customer/period.sql returned no row");
    v->from_day = dup_value(res, 0, 0, &oom);
    v->to_day = dup_value(res, 0, 1, &oom);
    return oom ? oom_error(err) : 0;
}

int customer_parse_meters(const PGresult *res, struct customer_view *v, struct mo_err *err)
{
    if (check_columns(res, SQL_CUSTOMER_METERS, 8, err) < 0)
        return -1;
    int rows = PQntuples(res), oom = 0;
    if (rows > 0 && !(v->meters = calloc((size_t)rows, sizeof *v->meters)))
        return oom_error(err);
    for (int r = 0; r < rows; r++) {
        struct customer_meter *m = &v->meters[r];
        m->mpxn = dup_value(res, r, 0, &oom);
        m->fuel = dup_value(res, r, 1, &oom);
        m->interval_minutes = int_value(res, r, 2);
        m->tariff_code = dup_value(res, r, 3, &oom);
        m->tariff_name = dup_value(res, r, 4, &oom);
        m->installed_on = dup_value(res, r, 5, &oom);
        m->removed_on = dup_value(res, r, 6, &oom);
        m->direction = dup_value(res, r, 7, &oom);
        m->export = m->direction && strcmp(m->direction, "export") == 0;
        v->nmeters = r + 1;
    }
    return oom ? oom_error(err) : 0;
}

static struct customer_meter *meter_by_mpxn(struct customer_view *v, const char *mpxn)
{
    for (int i = 0; i < v->nmeters; i++)
        if (v->meters[i].mpxn && strcmp(v->meters[i].mpxn, mpxn) == 0)
            return &v->meters[i];
    return NULL;
}

/* Columns of queries/customer/daily.sql. */
enum { D_MPXN, D_DAY, D_WEEKDAY, D_KWH, D_COST, D_COST_GBP, D_STANDING, D_INTERVALS, D_EXPECTED,
       D_METER_KWH, D_METER_COST, D_METER_COST_GBP, D_METER_INTERVALS, D_METER_EXPECTED,
       D_TOTAL_COST, D_TOTAL_COST_GBP, D_ELEC_IMPORT, D_ELEC_EXPORT, D_ELEC_NET, D_NCOLS };

int customer_parse_daily(const PGresult *res, struct customer_view *v, struct mo_err *err)
{
    if (check_columns(res, SQL_CUSTOMER_DAILY, D_NCOLS, err) < 0)
        return -1;
    int rows = PQntuples(res), oom = 0;
    /* Rows come grouped by meter, days in order: size each meter's array first. */
    for (int r = 0; r < rows; r++) {
        struct customer_meter *m = meter_by_mpxn(v, PQgetvalue(res, r, D_MPXN));
        if (m)
            m->ndays++;
    }
    for (int i = 0; i < v->nmeters; i++) {
        struct customer_meter *m = &v->meters[i];
        if (m->ndays > 0 && !(m->days = calloc((size_t)m->ndays, sizeof *m->days)))
            oom = 1;
        m->ndays = 0;
    }
    for (int r = 0; r < rows && !oom; r++) {
        struct customer_meter *m = meter_by_mpxn(v, PQgetvalue(res, r, D_MPXN));
        if (!m)
            continue; /* a meter added between the two queries: shown next time */
        struct customer_day *d = &m->days[m->ndays++];
        d->date = dup_value(res, r, D_DAY, &oom);
        d->weekday = dup_value(res, r, D_WEEKDAY, &oom);
        d->kwh = dup_value(res, r, D_KWH, &oom);
        d->kwh_value = d->kwh ? strtod(d->kwh, NULL) : 0;
        d->cost_p = dup_value(res, r, D_COST, &oom);
        d->cost_gbp = dup_value(res, r, D_COST_GBP, &oom);
        d->standing_p = dup_value(res, r, D_STANDING, &oom);
        d->intervals = int_value(res, r, D_INTERVALS);
        d->expected = int_value(res, r, D_EXPECTED);
        if (m->ndays == 1) {
            m->kwh = dup_value(res, r, D_METER_KWH, &oom);
            m->cost_p = dup_value(res, r, D_METER_COST, &oom);
            m->cost_gbp = dup_value(res, r, D_METER_COST_GBP, &oom);
            m->intervals = long_value(res, r, D_METER_INTERVALS);
            m->expected = long_value(res, r, D_METER_EXPECTED);
        }
        if (r == 0) {
            v->cost_p = dup_value(res, r, D_TOTAL_COST, &oom);
            v->cost_gbp = dup_value(res, r, D_TOTAL_COST_GBP, &oom);
            v->elec_import_kwh = dup_value(res, r, D_ELEC_IMPORT, &oom);
            v->elec_export_kwh = dup_value(res, r, D_ELEC_EXPORT, &oom);
            v->elec_net_kwh = dup_value(res, r, D_ELEC_NET, &oom);
        }
    }
    return oom ? oom_error(err) : 0;
}

/* Columns of queries/customer/tariffs.sql. */
enum { T_MPXN, T_CODE, T_NAME, T_FROM, T_TO, T_KWH, T_COST, T_COST_GBP, T_NCOLS };

int customer_parse_tariffs(const PGresult *res, struct customer_view *v, struct mo_err *err)
{
    if (check_columns(res, SQL_CUSTOMER_TARIFFS, T_NCOLS, err) < 0)
        return -1;
    int rows = PQntuples(res), oom = 0;
    for (int r = 0; r < rows; r++) {
        struct customer_meter *m = meter_by_mpxn(v, PQgetvalue(res, r, T_MPXN));
        if (m)
            m->ntariffs++;
    }
    for (int i = 0; i < v->nmeters; i++) {
        struct customer_meter *m = &v->meters[i];
        if (m->ntariffs > 0 && !(m->tariffs = calloc((size_t)m->ntariffs, sizeof *m->tariffs)))
            oom = 1;
        m->ntariffs = 0;
    }
    for (int r = 0; r < rows && !oom; r++) {
        struct customer_meter *m = meter_by_mpxn(v, PQgetvalue(res, r, T_MPXN));
        if (!m)
            continue;
        struct customer_tariff_period *t = &m->tariffs[m->ntariffs++];
        t->tariff_code = dup_value(res, r, T_CODE, &oom);
        t->tariff_name = dup_value(res, r, T_NAME, &oom);
        t->from_day = dup_value(res, r, T_FROM, &oom);
        t->to_day = dup_value(res, r, T_TO, &oom);
        t->kwh = dup_value(res, r, T_KWH, &oom);
        t->cost_p = dup_value(res, r, T_COST, &oom);
        t->cost_gbp = dup_value(res, r, T_COST_GBP, &oom);
    }
    return oom ? oom_error(err) : 0;
}

int customer_parse_insights(const PGresult *res, struct customer_view *v, struct mo_err *err)
{
    if (check_columns(res, SQL_CUSTOMER_INSIGHTS, 2, err) < 0)
        return -1;
    int rows = PQntuples(res), oom = 0;
    if (rows > 0 && !(v->insights = calloc((size_t)rows, sizeof *v->insights)))
        return oom_error(err);
    for (int r = 0; r < rows; r++) {
        v->insights[r].kind = dup_value(res, r, 0, &oom);
        v->insights[r].message = dup_value(res, r, 1, &oom);
        v->ninsights = r + 1;
    }
    return oom ? oom_error(err) : 0;
}

/* Columns of queries/customer/register_reads.sql. */
enum { R_MPXN, R_SERIAL, R_REGISTER, R_READ_AT, R_READING, R_TYPE, R_FLAG, R_METHOD, R_NCOLS };

int customer_parse_register_reads(const PGresult *res, struct customer_view *v, struct mo_err *err)
{
    if (check_columns(res, SQL_CUSTOMER_REGISTER_READS, R_NCOLS, err) < 0)
        return -1;
    int rows = PQntuples(res), oom = 0;
    for (int r = 0; r < rows; r++) {
        struct customer_meter *m = meter_by_mpxn(v, PQgetvalue(res, r, R_MPXN));
        if (m)
            m->nregister_reads++;
    }
    for (int i = 0; i < v->nmeters; i++) {
        struct customer_meter *m = &v->meters[i];
        if (m->nregister_reads > 0 &&
            !(m->register_reads = calloc((size_t)m->nregister_reads, sizeof *m->register_reads)))
            oom = 1;
        m->nregister_reads = 0;
    }
    for (int r = 0; r < rows && !oom; r++) {
        struct customer_meter *m = meter_by_mpxn(v, PQgetvalue(res, r, R_MPXN));
        if (!m || !m->register_reads)
            continue; /* a meter added between the queries: shown next time */
        struct customer_register_read *x = &m->register_reads[m->nregister_reads++];
        x->meter_serial = dup_value(res, r, R_SERIAL, &oom);
        x->register_id = dup_value(res, r, R_REGISTER, &oom);
        x->read_at = dup_value(res, r, R_READ_AT, &oom);
        x->reading = dup_value(res, r, R_READING, &oom);
        x->reading_type = dup_value(res, r, R_TYPE, &oom);
        x->reading_flag = dup_value(res, r, R_FLAG, &oom);
        x->reading_method = dup_value(res, r, R_METHOD, &oom);
    }
    return oom ? oom_error(err) : 0;
}

/* Runs one query of the view and hands its result to parse. */
static int run(PGconn *conn, enum sql_query q, int nparams, const char *const *params,
               int (*parse)(const PGresult *, struct customer_view *, struct mo_err *),
               struct customer_view *v, struct mo_err *err)
{
    PGresult *res = db_query(conn, q, nparams, params, err);
    if (!res)
        return -1;
    int rc = parse(res, v, err);
    PQclear(res);
    return rc;
}

int customer_fetch(struct customer_db *db, const char *account_no, const char *to_day, int days,
                   struct customer_view *out, struct mo_err *err)
{
    PGconn *conn = db->conn;
    memset(out, 0, sizeof *out);
    char ndays[16];
    snprintf(ndays, sizeof ndays, "%d", days);
    const char *period[2] = { to_day, ndays };
    if (run(conn, SQL_CUSTOMER_PERIOD, 2, period, customer_parse_period, out, err) < 0) {
        customer_view_free(out);
        return -1;
    }
    const char *acct[3] = { account_no, out->from_day, out->to_day };
    if (run(conn, SQL_CUSTOMER_METERS, 1, acct, customer_parse_meters, out, err) < 0 ||
        run(conn, SQL_CUSTOMER_DAILY, 3, acct, customer_parse_daily, out, err) < 0 ||
        run(conn, SQL_CUSTOMER_TARIFFS, 3, acct, customer_parse_tariffs, out, err) < 0 ||
        run(conn, SQL_CUSTOMER_INSIGHTS, 3, acct, customer_parse_insights, out, err) < 0 ||
        run(conn, SQL_CUSTOMER_REGISTER_READS, 1, acct, customer_parse_register_reads, out, err) < 0) {
        customer_view_free(out);
        return -1;
    }
    return 0;
}
