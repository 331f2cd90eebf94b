/* status_monitor.h - `meterops status --nagios` and `--prometheus`: the same checks as the
 * text and --json outputs, in the two formats monitoring systems read. */
#ifndef MO_STATUS_MONITOR_H
#define MO_STATUS_MONITOR_H

#include <stdio.h>

#include "backend/health.h"

enum { NAGIOS_OK = 0, NAGIOS_WARNING = 1, NAGIOS_CRITICAL = 2, NAGIOS_UNKNOWN = 3 };

/* One line, "METEROPS STATE - summary | perfdata" (the Nagios plugin guidelines' format);
 * returns the state, which is the exit code: CRITICAL when a check is, else UNKNOWN when
 * part of the facts is unknown (unreadable, or not answered within the budget), else
 * WARNING when a check is, else OK. d NULL: no connection, why says so (CRITICAL). */
int nagios_print(FILE *out, const struct dashboard *d, const struct health_check *checks, int n,
                 const struct health_thresholds *t, const char *why);
/* A status line for a run that could not start (bad usage or configuration): UNKNOWN. */
int nagios_unknown(FILE *out, const char *why);

/* The text exposition format (node_exporter's textfile collector): meterops_up, the
 * overall level, one meterops_part_up per part of the facts (0: unknown, its checks absent),
 * and per check its level, value and thresholds. d NULL: meterops_up 0 only. */
void prometheus_print(FILE *out, const struct dashboard *d, const struct health_check *checks, int n,
                      const struct health_thresholds *t, enum health_level overall, double seconds);

#endif
