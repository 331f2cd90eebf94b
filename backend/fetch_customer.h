/* fetch_customer.h - one customer as the support desk sees it, returned as plain structs
 * for `meterops customer` and the console. Everything comes from the stored functions
 * (meterops.customer_find, customer_meters, meter_cost_daily, customer_insights,
 * customer_register_reads) through
 * queries/customer/ files, so a support login with no table rights can use it, and personal
 * data arrives already masked unless the database user is an operator.
 *
 * Numbers stay as the database printed them (exact decimals such as "9.812"); the
 * *_value doubles are only for scaling bars. A string field is NULL where the database
 * returned NULL. */
#ifndef MO_FETCH_CUSTOMER_H
#define MO_FETCH_CUSTOMER_H

#include "backend/err.h"

/* A connection set up for customer lookups (DB_CUSTOMER: 30 s statement timeout). */
struct customer_db;
struct customer_db *customer_open(const char *conninfo, struct mo_err *err);
void customer_close(struct customer_db *db);

struct customer_ident {
    char *account_no;
    char *name, *postcode, *email, *phone; /* masked unless masked == 0 */
    char *matched_by;                      /* account_no, mpxn, postcode or name */
    int meters;
    int masked;
    char *fuels; /* "elec elec+exp gas" (the console's search only; NULL otherwise) */
};

/* One page of matches, in the order (strength of match, name, account_no). */
struct customer_matches {
    struct customer_ident *items;
    int n;        /* rows returned (at most the page size asked for) */
    int total;    /* customers that matched, counted up to CUSTOMER_FIND_CAP */
    int capped;   /* more than CUSTOMER_FIND_CAP matched: total is the cap ("200+") */
    int more_before, more_after; /* a page lies that way (customer_find's before / after) */
};

/* What meterops.customer_find counts up to (customer_find_cap there), and its page size. */
#define CUSTOMER_FIND_CAP 200
#define CUSTOMER_FIND_PAGE 50

struct customer_day {
    char *date;    /* YYYY-MM-DD, a Europe/London day */
    char *weekday; /* Mon .. Sun */
    char *kwh;
    double kwh_value;
    char *cost_p;     /* unit cost + standing charge, pence to 0.01; NULL: not priced */
    char *cost_gbp;   /* the same in pounds to the penny (rounded once, from the exact cost) */
    char *standing_p; /* NULL: no tariff valid that day */
    int intervals;    /* readings present */
    int expected;     /* readings the meter should have sent */
};

/* One tariff a meter was on during the days shown (meterops.meter_tariff_periods). */
struct customer_tariff_period {
    char *tariff_code, *tariff_name; /* NULL: no tariff in that period */
    char *from_day, *to_day;         /* YYYY-MM-DD, within the days shown */
    char *kwh;
    char *cost_p, *cost_gbp; /* unit cost + standing charge of the period; NULL: not priced */
};

/* The latest read of one register of a meter (UK D0010 flows: meterops.register_read). */
struct customer_register_read {
    char *meter_serial, *register_id;
    char *read_at;        /* YYYY-MM-DD HH:MM:SS, UK clock time */
    char *reading;        /* exact, as the database printed it */
    char *reading_type;   /* the 028's reading type; NULL when the flow gave none */
    char *reading_flag, *reading_method;
};

struct customer_meter {
    char *mpxn, *fuel, *tariff_code, *tariff_name, *installed_on, *removed_on;
    char *direction; /* import or export */
    int export;      /* direction is export: its kWh are not use, its cost is a credit (< 0) */
    int interval_minutes;
    struct customer_day *days;
    int ndays;
    char *kwh;     /* total of the days */
    char *cost_p;  /* total, NULL when any day is not priced */
    char *cost_gbp;
    long intervals, expected;
    struct customer_tariff_period *tariffs; /* in date order; two or more: a tariff change */
    int ntariffs;
    /* the latest read of each register (serial, register order); none for most meters */
    struct customer_register_read *register_reads;
    int nregister_reads;
};

struct customer_insight {
    char *kind, *message;
};

struct customer_view {
    char *from_day, *to_day;
    struct customer_meter *meters;
    int nmeters;
    char *cost_p; /* all meters, all days; NULL when anything is not priced or no meter */
    char *cost_gbp;
    /* electricity of all meters and days by direction, and import less export; NULL when
     * there are no days */
    char *elec_import_kwh, *elec_export_kwh, *elec_net_kwh;
    struct customer_insight *insights;
    int ninsights;
};

/* One page of the customers that ref names (account number, MPAN/MPRN, postcode or name):
 * the first page when after and before are NULL; else the page after the account_no after
 * (the last row shown) or before the account_no before (the first row shown) - keyset
 * paging, so a page costs the same wherever it is. page: 1..200 rows. 0 or -1 with err
 * filled (err->code is the SQLSTATE of a database error). */
int customer_find(struct customer_db *db, const char *ref, const char *after, const char *before, int page,
                  struct customer_matches *out, struct mo_err *err);
void customer_matches_free(struct customer_matches *m);

/* Meters, daily usage and cost, and insights of one account for `days` local days ending
 * on to_day (YYYY-MM-DD), or ending yesterday (Europe/London) when to_day is NULL. */
int customer_fetch(struct customer_db *db, const char *account_no, const char *to_day, int days,
                   struct customer_view *out, struct mo_err *err);
void customer_view_free(struct customer_view *v);

#endif
