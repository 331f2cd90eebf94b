/* seenmap.h - the meter-days one file writes, as bitmaps for meterops.meter_seen
 * (queries/schema/009_meter_counts.sql): one bitmap per (day, fuel, chunk), where chunk =
 * meter_id >> 16 and bit meter_id & 65535 is set, counted from the most significant bit of
 * the first byte (PostgreSQL's bit string order, get_bit()).
 *
 * The assembler marks every meter-day it hands to the writer, direct or correction path
 * (a corrected day marks its bit again: OR is idempotent, so nobody needs to know whether
 * the row was new). Bitmaps are allocated when a first meter of theirs is marked, 8 KB
 * each: a national day (3.5M meters, 2 fuels) is 108 of them, under 1 MB. At commit
 * seen_send ORs them all into meter_seen (in statements of 256 bitmaps, in their sorted
 * order: the text stays within 4 MB), in the file's transaction, so
 * a file that rolls back leaves no bit, and the row locks are held only from that
 * statement to COMMIT. Marking costs a hash probe only when the (day, fuel, chunk) differs
 * from the previous meter-day's. */
#ifndef MO_SEENMAP_H
#define MO_SEENMAP_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/err.h"

#define SEEN_CHUNK_BITS 65536
#define SEEN_CHUNK_BYTES (SEEN_CHUNK_BITS / 8)

struct seen_chunk {
    int32_t day;        /* days since 1970-01-01 */
    uint8_t gas;
    uint32_t chunk;
    uint8_t *bits;      /* SEEN_CHUNK_BYTES */
};

struct seenmap {
    struct seen_chunk *e;
    size_t n, cap;
    uint32_t *slots;    /* entry index + 1; 0 = empty */
    size_t mask;
    size_t last;        /* entry of the previous mark + 1 (0: none) */
};

void seen_init(struct seenmap *s);
void seen_free(struct seenmap *s);
/* Forgets every mark (the transaction was rolled back). */
void seen_reset(struct seenmap *s);
/* Marks meter_id as seen on day. -1 when out of memory or meter_id is out of range
 * (negative, or beyond 2^47). */
int seen_mark(struct seenmap *s, int32_t day, int gas, int64_t meter_id);
/* Whether meter_id is marked on day (tests). */
int seen_has(const struct seenmap *s, int32_t day, int gas, int64_t meter_id);
/* Sorts the bitmaps by (day, fuel, chunk), the order meter_seen's rows are locked in.
 * -1 when out of memory (the map is then emptied). */
int seen_sort(struct seenmap *s);
/* The statement's four parameters: days since 1970, fuels, chunks, bit strings (hex, as
 * bit_in reads 'X...'), as PostgreSQL array literals; malloc'd, the caller frees each.
 * Sorts first. -1 when out of memory. */
int seen_params(struct seenmap *s, char *out[4]);
/* ORs the bitmaps into meterops.meter_seen (queries/load/seen.sql) on conn, inside the
 * caller's transaction; nothing is sent when nothing was marked. */
int seen_send(struct seenmap *s, PGconn *conn, struct mo_err *err);

#endif
