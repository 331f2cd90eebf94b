/* fetch_checks_parse.h - internal to backend/: the parsers of the check parts
 * (fetch_checks.c) that fetch_dashboard.c's table of parts runs. */
#ifndef MO_FETCH_CHECKS_PARSE_H
#define MO_FETCH_CHECKS_PARSE_H

#include <libpq-fe.h>

struct dashboard;

int parse_check_activity(const PGresult *r, struct dashboard *d);
int parse_check_xid(const PGresult *r, struct dashboard *d);
int parse_check_replication(const PGresult *r, struct dashboard *d);
int parse_check_slots(const PGresult *r, struct dashboard *d);
int parse_check_nodes(const PGresult *r, struct dashboard *d);
int parse_check_server(const PGresult *r, struct dashboard *d);

#endif
