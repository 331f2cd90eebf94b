/* health.h - what counts as healthy, as a warning or as critical: the checks that
 * `meterops status` turns into its exit code (0, 1, 2) and the console's header shows.
 * Pure: it judges a fetched dashboard against thresholds, nothing else. The thresholds and
 * their defaults are documented in `meterops status --help` and doc/console.md. */
#ifndef MO_HEALTH_H
#define MO_HEALTH_H

#include <stdint.h>

#include "backend/fetch_dashboard.h"

enum health_level { HEALTH_OK = 0, HEALTH_WARNING = 1, HEALTH_CRITICAL = 2 };

struct health_thresholds {
    int queue_warn_min, queue_crit_min;  /* oldest queued file older than this */
    int conn_warn_pct, conn_crit_pct;    /* connections in use, % of max_connections */
    int lag_warn_s, lag_crit_s;          /* largest replica replay lag */
    int xact_warn_s;                     /* longest open transaction */
};

enum { HEALTH_MAX_IDS = 20 };

struct health_check {
    const char *name;                    /* stable, for --json consumers */
    enum health_level level;
    double value;
    char message[200];
    int64_t file_ids[HEALTH_MAX_IDS];    /* the files behind the level (the first ones) */
    int nfile_ids;
};

enum { HEALTH_MAX_CHECKS = 12 };

void health_defaults(struct health_thresholds *t);
/* Fills out (room for HEALTH_MAX_CHECKS) and returns how many checks; *overall is the
 * worst level. A part of the dashboard that could not be read is itself a warning. */
int health_evaluate(const struct dashboard *d, const struct health_thresholds *t,
                    struct health_check *out, enum health_level *overall);
const char *health_level_name(enum health_level l); /* "ok", "warning", "critical" */

#endif
