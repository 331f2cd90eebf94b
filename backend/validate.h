/* validate.h - the registry-aware checks 6-9 of the validation contract.
 *
 * Readers check a row on its own (checks 1-5). What needs the registry or the rest of the
 * file is here:
 *  6. the meter is registered (meters.h, loaded once per file from meterops.meter);
 *  7. the interval start lies on a multiple of the meter's interval, in UTC;
 *  8. the interval ends before the load started;
 *  9. the meter+interval was not already given on an earlier line of the file (the open
 *     meter-days of daytab.h hold each value with the line that gave it).
 * The plausible-range check (5) is repeated here scaled to the meter's interval for
 * formats whose rows do not say how long their interval is (long).
 *
 * The meter registry itself (the table check 6 looks meters up in) is meters.h. */
#ifndef MO_VALIDATE_H
#define MO_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include "backend/err.h"
#include "backend/reader.h"

/* Check 7: start (UTC seconds) is on a boundary of an interval of `minutes`. Days are
 * whole multiples of every interval, so the second of the day decides; the usual
 * intervals divide by constants (a division by a variable costs as much as the rest of
 * a row's checks). */
static inline int validate_aligned(int64_t start, int minutes)
{
    int64_t day = start >= 0 ? start / 86400 : -((-start + 86399) / 86400);
    int32_t sod = (int32_t)(start - day * 86400);
    switch (minutes) {
    case 15: return sod % 900 == 0;
    case 30: return sod % 1800 == 0;
    case 60: return sod % 3600 == 0;
    default: return sod % (minutes * 60) == 0;
    }
}

/* The interval of the day (0-based) a start on a boundary falls in. */
static inline int validate_slot(int32_t sod, int minutes)
{
    switch (minutes) {
    case 15: return sod / 900;
    case 30: return sod / 1800;
    case 60: return sod / 3600;
    default: return sod / (minutes * 60);
    }
}

/* Check 8: an interval starting at start and lasting `minutes` has ended by `now`. */
static inline int validate_not_future(int64_t start, int minutes, int64_t now)
{
    return start + (int64_t)minutes * 60 <= now;
}

/* Check 8, the whole window: the interval starts on or after `floor` (--not-before, a UTC
 * day; VALIDATE_FLOOR_DEFAULT when not given) and has ended by `now`. */
static inline int validate_in_window(int64_t start, int minutes, int64_t floor, int64_t now)
{
    return start >= floor && validate_not_future(start, minutes, now);
}

/* --not-before: the default (2000-01-01) and the earliest day it may be set to
 * (1970-01-01). doc/formats.md, "Dates", says why. */
#define VALIDATE_FLOOR_DEFAULT "2000-01-01"
#define VALIDATE_FLOOR_MIN "1970-01-01"
/* The floor in seconds from --not-before's text (NULL: the default); -1 when the text is
 * not a date YYYY-MM-DD from VALIDATE_FLOOR_MIN on. */
int64_t validate_floor(const char *not_before);

/* Check 5, scaled: wh is plausible for an interval of `minutes`. */
static inline int validate_in_range(int64_t wh, int minutes)
{
    return wh >= 0 && wh <= (int64_t)MO_MAX_WH_PER_HOUR * minutes / 60;
}

/* Whether a meter id not in the registry may be registered by --create-meters, and as
 * which fuel: the fuel of an id that passes the one rule (mpan.h: mpxn_parse), NULL for
 * anything else (LCL household ids, masked ESB MPRNs, refused ids): those need --meter.
 * Readers hand the loader ids already in their one spelling (a full MPAN as its core). */
const char *validate_fuel(const char *mpxn, size_t len);

#endif
