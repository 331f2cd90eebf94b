/* halfhour.h - civil dates, timestamps and the UK/Irish clock, without libc time zones
 * (localtime_r takes a lock and reads TZ; the loader converts millions of stamps a second).
 * Times are seconds since 1970-01-01 00:00 UTC; days are days since that date.
 * Europe/London and Europe/Dublin follow the EU rule since 1996: summer time from the last
 * Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC. */
#ifndef MO_HALFHOUR_H
#define MO_HALFHOUR_H

#include <stddef.h>
#include <stdint.h>

int64_t days_from_civil(int y, int m, int d);
void civil_from_days(int64_t days, int *y, int *m, int *d);
int days_in_month(int y, int m);

/* Floor division that works for negative times. */
static inline int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Parses "YYYY-MM-DD[T ]HH:MM[:SS[.fraction]]" followed by "Z", "+HH:MM", "+HHMM", "+HH"
 * (or their '-' forms). need_zone: a stamp without a zone is an error (returns -1);
 * otherwise it is taken as UTC. Returns 0 and the UTC time, or -1 with *col set to the
 * 1-based character where it went wrong. Fractions must be zero (readings start on whole
 * seconds). */
int ts_parse(const char *s, size_t len, int need_zone, int64_t *out, int *col);

/* Parses "YYYY-MM-DD" to a day number; -1 on error. */
int date_parse(const char *s, size_t len, int64_t *day);

/* Parses "DD-MM-YYYY HH:MM" or "DD/MM/YYYY HH:MM" (ESB) as a naive local time. */
int ts_parse_dmy(const char *s, size_t len, int64_t *local, int *col);

/* UK/IE offset from UTC in seconds (0 or 3600) at UTC time t. */
int uk_utc_offset(int64_t t);
/* Local (naive) time to UTC. In the autumn hour that happens twice *ambiguous is set and
 * the earlier (summer time) instant is returned; add 3600 for the later one. A local time
 * in the spring gap does not exist: returns -1. */
int uk_local_to_utc(int64_t local, int64_t *utc, int *ambiguous);

/* Formats t as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 32 bytes). */
void ts_format_utc(int64_t t, char *buf);
/* Formats day as "YYYY-MM-DD" into buf (at least 16 bytes). */
void date_format(int64_t day, char *buf);

#endif
