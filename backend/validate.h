/* validate.h - the registry-aware checks 6-9 of the validation contract.
 *
 * Readers check a row on its own (checks 1-5). What needs the registry or the rest of the
 * file is here:
 *  6. the meter is registered (meter_table, loaded once per file from meterops.meter);
 *  7. the interval start lies on a multiple of the meter's interval, in UTC;
 *  8. the interval ends before the load started;
 *  9. the meter+interval was not already given on an earlier line of the file (the open
 *     meter-days of daytab.h hold each value with the line that gave it).
 * The plausible-range check (5) is repeated here scaled to the meter's interval for
 * formats whose rows do not say how long their interval is (long).
 *
 * The meter table is an open-addressing hash of the meter ids as written (MPAN core, full
 * MPAN, MPRN); after loading it is only read, so every parse thread shares one. */
#ifndef MO_VALIDATE_H
#define MO_VALIDATE_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/err.h"
#include "backend/reader.h"

struct meter_table {
    size_t n, cap;          /* entries */
    uint32_t *id32;         /* meter_id, while every id fits in 32 bits (4 bytes a meter) */
    int64_t *id64;          /* meter_id, once one does not (id32 is then NULL) */
    uint8_t *interval;      /* minutes: 15, 30 or 60 */
    uint32_t *off;          /* mpxn text in pool */
    uint8_t *len;
    char *pool;
    size_t pool_used, pool_cap;
    uint32_t *slots;        /* entry index + 1; 0 = empty */
    size_t mask;
};

void meters_init(struct meter_table *t);
void meters_free(struct meter_table *t);
/* Adds a meter; returns its index, or -1 when out of memory. The caller makes sure the
 * id is not there yet. */
long meters_add(struct meter_table *t, const char *mpxn, size_t len, int64_t id, int interval);
static inline int64_t meters_id(const struct meter_table *t, size_t i)
{
    return t->id64 ? t->id64[i] : (int64_t)t->id32[i];
}

/* Frees the unused capacity (after loading). meters_add still works afterwards. */
void meters_shrink(struct meter_table *t);
/* Index of the meter, or -1. */
long meters_find(const struct meter_table *t, const char *mpxn, size_t len);
/* Replaces the table's contents with meterops.meter (streamed with COPY, so a registry of
 * millions of meters never sits in a PGresult). */
int meters_load(PGconn *conn, struct meter_table *t, struct mo_err *err);

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

/* Check 5, scaled: wh is plausible for an interval of `minutes`. */
static inline int validate_in_range(int64_t wh, int minutes)
{
    return wh >= 0 && wh <= (int64_t)MO_MAX_WH_PER_HOUR * minutes / 60;
}

/* Whether a meter id not in the registry may be registered by --create-meters, and as
 * which fuel: an MPAN (core or full) is electricity, a 6-10 digit MPRN gas, an 11-digit
 * Irish MPRN electricity. Returns NULL for ids that are no meter number (LCL household
 * ids, masked ESB MPRNs): those need --meter. */
const char *validate_fuel(const char *mpxn, size_t len);

#endif
