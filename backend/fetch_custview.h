/* fetch_custview.h - the console's Customer view, fetched without blocking on the views'
 * connection (dbasync.h): the same stored functions as `meterops customer`
 * (fetch_customer.h, whose structs it returns), plus what only the view shows - each match's
 * fuels, a meter's half-hours for the heatmap, the cost by month - and what the login may
 * see (the role query that hides views the support desk cannot read). */
#ifndef MO_FETCH_CUSTVIEW_H
#define MO_FETCH_CUSTVIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "backend/err.h"
#include "backend/fetch_customer.h"

struct dba;

/* One page of the customers REF names, as customer_find (after / before: the account_no of
 * the last / first row shown, or NULL for the first page), with customer_ident.fuels filled. */
typedef void (*custview_find_fn)(void *ctx, uint64_t tag, struct customer_matches *m, const struct mo_err *err);
int custview_find(struct dba *db, const char *ref, const char *after, const char *before, int page,
                  custview_find_fn done, void *ctx, uint64_t tag, struct mo_err *err);

struct custview_month {
    char month[8];                   /* YYYY-MM */
    int days;                        /* days of the period in it */
    char *elec_import_kwh, *elec_export_kwh, *gas_kwh;
    char *cost_gbp;                  /* NULL: some day could not be priced */
};

/* One customer's card: what customer_fetch returns, and the months of the period. */
struct custview_card {
    struct customer_view v;
    struct custview_month *months;
    int nmonths;
};
void custview_card_free(struct custview_card *c);

/* The card of account for `days` local days ending on to_day (NULL: yesterday in
 * Europe/London). Several queries, one after another on the connection; done is called
 * once, with the card or an error. */
typedef void (*custview_card_fn)(void *ctx, uint64_t tag, struct custview_card *c, const struct mo_err *err);
int custview_card_fetch(struct dba *db, const char *account_no, const char *to_day, int days,
                        custview_card_fn done, void *ctx, uint64_t tag, struct mo_err *err);

/* One meter's half-hours over local days, in day then slot order. */
struct custview_halfhour {
    char day[11];                    /* YYYY-MM-DD */
    int slot;                        /* 0 at local midnight */
    char local_start[6];             /* HH:MM; on the October day 01:00 comes twice */
    int wh;
    bool missing;
};
struct custview_halfhours {
    char mpxn[32], from_day[11], to_day[11];
    struct custview_halfhour *hh;
    int n;
};
void custview_halfhours_free(struct custview_halfhours *h);
typedef void (*custview_halfhours_fn)(void *ctx, uint64_t tag, struct custview_halfhours *h,
                                      const struct mo_err *err);
int custview_halfhours_fetch(struct dba *db, const char *mpxn, const char *from_day, const char *to_day,
                             custview_halfhours_fn done, void *ctx, uint64_t tag, struct mo_err *err);

/* What the login is: an operator (or superuser) sees every view; a support login only
 * the Customer view. An error (the roles do not exist) is reported as such. */
typedef void (*custview_role_fn)(void *ctx, uint64_t tag, bool operator_, bool support, const struct mo_err *err);
int custview_role_fetch(struct dba *db, custview_role_fn done, void *ctx, uint64_t tag, struct mo_err *err);

#endif
