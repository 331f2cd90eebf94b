/* fetch_customer_parse.h - private to backend/: turning the results of the customer
 * queries into the structs of fetch_customer.h, shared by the blocking path (`meterops
 * customer`, fetch_customer.c) and the console's asynchronous one (fetch_custview.c), so
 * both read the stored functions' rows the same way. Each returns 0, or -1 with err set
 * (a result of the wrong shape, no memory); none clears res. */
#ifndef MO_FETCH_CUSTOMER_PARSE_H
#define MO_FETCH_CUSTOMER_PARSE_H

#include <libpq-fe.h>

#include "backend/fetch_customer.h"
#include "backend/sql.h"

/* The customer/find.sql columns; a 13th column (fuels) fills customer_ident.fuels. */
int customer_parse_find(const PGresult *res, enum sql_query name, struct customer_matches *out,
                        struct mo_err *err);
int customer_parse_period(const PGresult *res, struct customer_view *v, struct mo_err *err);
int customer_parse_meters(const PGresult *res, struct customer_view *v, struct mo_err *err);
/* needs the meters parsed first: days are matched to them by mpxn */
int customer_parse_daily(const PGresult *res, struct customer_view *v, struct mo_err *err);
/* needs the meters parsed first: a meter's tariff periods are matched to it by mpxn */
int customer_parse_tariffs(const PGresult *res, struct customer_view *v, struct mo_err *err);
int customer_parse_insights(const PGresult *res, struct customer_view *v, struct mo_err *err);
/* queries/customer/register_reads.sql (D0010); needs the meters parsed first, as daily */
int customer_parse_register_reads(const PGresult *res, struct customer_view *v, struct mo_err *err);

#endif
