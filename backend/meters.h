/* meters.h - the meter registry as a file load sees it: every meter id as written (MPAN
 * core, MPRN, or any other text a registry holds) with its meter_id, interval and fuel
 * (the loader's seen bitmaps, seenmap.h, are kept per fuel). Loaded once per file from
 * meterops.meter; after loading it is only read, so every parse thread shares one; the
 * meter check (contract check 6, parse.c) looks ids up in it, and the assembler keeps the
 * meters a file registers (--create-meters) in a second one.
 *
 * Memory is what bounds the fleet a loader can take (doc/loader.md, "Memory"): 13 bytes
 * a meter and a directory of about one byte a meter. A digit id of at most 17 digits (an
 * MPAN core, an MPRN) is a 64-bit number that keeps its length, stored through a
 * reversible mix (the stored word is the key); the registry's meters sit sorted by that
 * word with a directory on its top bits, so a look-up reads a few words next to each other.
 * Ids that are no such number, and meters added after loading, live in a small tail with a
 * hash of its own. A meter's index stays what meters_add or meters_find returned. */
#ifndef MO_METERS_H
#define MO_METERS_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/err.h"

struct meter_table {
    size_t n, cap;          /* entries */
    uint64_t *key;          /* digit ids: the mixed number; text ids: pool offset */
    uint32_t *id32;         /* meter_id, while every id fits in 32 bits (4 bytes a meter) */
    int64_t *id64;          /* meter_id, once one does not (id32 is then NULL) */
    uint8_t *flags;         /* interval code, gas, text id (meters.c) */
    size_t nsorted;         /* entries [0, nsorted) sorted by key, found through dir */
    uint32_t *dir;          /* (1 << dir_bits) + 1 first indexes, by the key's top bits */
    int dir_bits;
    uint32_t *slots;        /* the tail [nsorted, n): entry index + 1; 0 = empty */
    size_t mask;
    char *pool;             /* text ids: a length byte, then the bytes */
    size_t pool_used, pool_cap;
};

void meters_init(struct meter_table *t);
void meters_free(struct meter_table *t);
/* Adds a meter; returns its index, or -1 when out of memory (or an id over 255 bytes).
 * The caller makes sure the id is not there yet. */
long meters_add(struct meter_table *t, const char *mpxn, size_t len, int64_t id, int interval);
static inline int64_t meters_id(const struct meter_table *t, size_t i)
{
    return t->id64 ? t->id64[i] : (int64_t)t->id32[i];
}

/* The meter's interval in minutes: 15, 30 or 60 (another value is kept as 30). */
static inline int meters_interval(const struct meter_table *t, size_t i)
{
    return (int)(0x1E3C0F1Eu >> (8 * (t->flags[i] & 3u)) & 0xFFu); /* 30 15 60 30 */
}
static inline int meters_gas(const struct meter_table *t, size_t i)
{
    return (t->flags[i] & 4u) != 0;
}
void meters_set_gas(struct meter_table *t, size_t i, int gas);
/* The id as written, NUL-terminated in buf (truncated to n - 1 bytes); its length. */
size_t meters_name(const struct meter_table *t, size_t i, char *buf, size_t n);

/* Frees the unused capacity (after loading). meters_add still works afterwards. */
void meters_shrink(struct meter_table *t);
/* Index of the meter, or -1. */
long meters_find(const struct meter_table *t, const char *mpxn, size_t len);
/* Bytes the table holds (its arrays), for the loader's memory figures and tests. */
size_t meters_bytes(const struct meter_table *t);
/* Replaces the table's contents with meterops.meter (streamed with COPY, so a registry of
 * millions of meters never sits in a PGresult). */
int meters_load(PGconn *conn, struct meter_table *t, struct mo_err *err);

/* Loading in bulk, as meters_load does (tests): meters_append adds a meter without
 * indexing it (a digit id only: returns 1 when it took it, 0 for another id, which the
 * caller adds with meters_add after meters_index; -1 out of memory); meters_index sorts
 * what was appended and builds the directory. No index is valid before meters_index. */
int meters_append(struct meter_table *t, const char *mpxn, size_t len, int64_t id, int interval);
int meters_index(struct meter_table *t);

#endif
