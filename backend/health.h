/* health.h - what counts as healthy, as a warning or as critical: the checks that
 * `meterops status` turns into its exit code (0, 1, 2; --nagios also 3) and the console's
 * header shows. Pure: it judges a fetched dashboard against thresholds, nothing else.
 *
 * Two kinds of check: the load's (files failed, rejected, abandoned, queued with no
 * loader: fixed rules) and the thresholded ones, each with a warning and a critical
 * threshold (table below, doc/meterops.1 "STATUS CHECKS"): a value above the warning
 * threshold warns, above the critical one is critical; a threshold may be off. The
 * defaults are health_defaults'; status.conf (health_conf.h) and the command line change
 * them. */
#ifndef MO_HEALTH_H
#define MO_HEALTH_H

#include <stddef.h>
#include <stdint.h>

#include "backend/fetch_dashboard.h"

enum health_level { HEALTH_OK = 0, HEALTH_WARNING = 1, HEALTH_CRITICAL = 2 };

/* The thresholded checks. Their names are health_defs[id].name. */
enum health_id {
    HC_QUEUE_AGE, HC_CONNECTIONS, HC_XACT, HC_IDLE_XACT, HC_BLOCKED, HC_LOCK_WAIT, HC_XID,
    HC_REPL_LAG_S, HC_REPL_LAG_BYTES, HC_SLOT_RETAINED, HC_SLOTS_INACTIVE, HC_ARCHIVE_FAILING,
    HC_ARCHIVE_READY, HC_CHECKPOINTS_REQ, HC_NODES_DOWN, HC_COUNT
};

/* Units of a check's value: what its thresholds are written in, and how --nagios and
 * --prometheus label it. */
enum health_unit { HU_COUNT, HU_SECONDS, HU_MINUTES, HU_BYTES, HU_PERCENT, HU_PER_HOUR };

struct health_def {
    const char *name;                   /* stable: --json, --nagios, --prometheus, status.conf */
    enum health_unit unit;
    unsigned part;                      /* the DASH_* part its value comes from */
    double warning, critical;           /* defaults; HEALTH_OFF: none */
    const char *what;                   /* one line for --help and the documentation */
};
extern const struct health_def health_defs[HC_COUNT];

#define HEALTH_OFF (-1.0)               /* a threshold that is off never raises the level */

struct health_thresholds {
    double warning[HC_COUNT], critical[HC_COUNT];
};

enum { HEALTH_MAX_IDS = 20 };

struct health_check {
    const char *name;                   /* stable, for --json consumers */
    const char *subject;                /* the standby or slot it is about, else NULL */
    enum health_level level;
    double value;
    int id;                             /* enum health_id, or -1 for a fixed rule */
    unsigned part;                      /* the DASH_* part it comes from (0: several) */
    char message[200];
    int64_t file_ids[HEALTH_MAX_IDS];    /* the files behind the level (the first ones) */
    int nfile_ids;
};

enum { HEALTH_MAX_CHECKS = 25 + 2 * DASH_MAX_STANDBYS + DASH_MAX_SLOTS };

void health_defaults(struct health_thresholds *t);
/* Fills out (room for HEALTH_MAX_CHECKS) and returns how many checks; *overall is the
 * worst level. A part of the dashboard that could not be read is itself a warning (the
 * check "unreadable"). */
int health_evaluate(const struct dashboard *d, const struct health_thresholds *t,
                    struct health_check *out, enum health_level *overall);
const char *health_level_name(enum health_level l); /* "ok", "warning", "critical" */
const char *health_unit_name(enum health_unit u);   /* "", "s", "min", "bytes", "%", "/h" */
/* A threshold as status.conf takes it ("off", "75%", "300s", "30min", "4GB": a size in
 * the largest unit that divides it). */
void health_threshold_text(char *buf, size_t len, double v, enum health_unit u);

#endif
