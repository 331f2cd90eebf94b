/* fetch_dashboard_sync.h - the dashboard of fetch_dashboard.h read over a blocking libpq
 * connection, for `meterops status`. Apart from fetch_dashboard.h so that the console,
 * which only ever sees plain structs, never reaches libpq through it. */
#ifndef MO_FETCH_DASHBOARD_SYNC_H
#define MO_FETCH_DASHBOARD_SYNC_H

#include <libpq-fe.h>

#include "backend/fetch_dashboard.h"

/* Fills a new dashboard (never NULL unless out of memory); the parts that failed are
 * missing from parts_ok and the first failure is in d->err. */
struct dashboard *dashboard_fetch_sync(PGconn *conn, const struct dash_params *p, unsigned parts);

#endif
