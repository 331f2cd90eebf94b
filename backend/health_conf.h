/* health_conf.h - status.conf: the thresholds of `meterops status`'s checks, changed from
 * their defaults (health.h), one per line:
 *
 *   # comment
 *   connections_pct.warning = 80
 *   slot_retained_bytes.critical = 20GB
 *   longest_transaction_s.critical = 2h
 *   inactive_slots.warning = off
 *
 * CHECK.warning or CHECK.critical, "=", a value in the check's unit: a number, for bytes
 * with B, kB, MB, GB or TB (1024-based, as PostgreSQL's settings), for times with ms, s,
 * min, h or d, for percentages with an optional %; or "off". An unknown check or key, a
 * bad value or a line that is none of these is an error naming FILE:LINE. */
#ifndef MO_HEALTH_CONF_H
#define MO_HEALTH_CONF_H

#include <stddef.h>

#include "backend/err.h"
#include "backend/health.h"

/* Reads path into t (which holds the defaults or earlier settings). 0, or -1 with err
 * (code "config", err->file and err->line set; line 0 when the file cannot be read). */
int health_conf_load(const char *path, struct health_thresholds *t, struct mo_err *err);

/* The file read when no --config is given: $XDG_CONFIG_HOME/meterops/status.conf (else
 * ~/.config/meterops/status.conf) if it exists, else /etc/meterops/status.conf if it
 * exists; else NULL (the defaults alone). buf holds the path. */
const char *health_conf_default(char *buf, size_t len);

#endif
