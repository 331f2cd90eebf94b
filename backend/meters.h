/* meters.h - the meter registry as a file load sees it: every meter id as written (MPAN
 * core, full MPAN, MPRN) with its meter_id and interval, in an open-addressing hash
 * loaded once per file from meterops.meter, with each meter's fuel (one bit a meter: the
 * loader's seen bitmaps, seenmap.h, are kept per fuel). After loading it is only read, so
 * every parse thread shares one; the meter check (contract check 6, parse.c) looks ids up
 * in it, and the assembler keeps the meters a file registers (--create-meters) in a second
 * one. */
#ifndef MO_METERS_H
#define MO_METERS_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/err.h"

struct meter_table {
    size_t n, cap;          /* entries */
    uint32_t *id32;         /* meter_id, while every id fits in 32 bits (4 bytes a meter) */
    int64_t *id64;          /* meter_id, once one does not (id32 is then NULL) */
    uint8_t *interval;      /* minutes: 15, 30 or 60 */
    uint8_t *gas;           /* bit i % 8 of byte i / 8: meter i is gas (else electricity) */
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

static inline int meters_gas(const struct meter_table *t, size_t i)
{
    return (t->gas[i >> 3] >> (i & 7)) & 1;
}
static inline void meters_set_gas(struct meter_table *t, size_t i, int gas)
{
    if (gas)
        t->gas[i >> 3] |= (uint8_t)(1u << (i & 7));
    else
        t->gas[i >> 3] &= (uint8_t)~(1u << (i & 7));
}

/* Frees the unused capacity (after loading). meters_add still works afterwards. */
void meters_shrink(struct meter_table *t);
/* Index of the meter, or -1. */
long meters_find(const struct meter_table *t, const char *mpxn, size_t len);
/* Replaces the table's contents with meterops.meter (streamed with COPY, so a registry of
 * millions of meters never sits in a PGresult). */
int meters_load(PGconn *conn, struct meter_table *t, struct mo_err *err);

#endif
