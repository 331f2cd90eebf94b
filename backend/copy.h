/* copy.h - PostgreSQL binary COPY encoding of reading_day rows.
 *
 * Binary COPY is what lets the server take a meter-day with no parsing at all: the row
 * (meter_id int8, day date, wh int4[], flags bytea, file_id int8) goes over the wire in
 * the server's own representation. The encoder appends to a growing buffer that the
 * caller hands to PQputCopyData; nothing is allocated per row once the buffer has grown
 * to a batch's size. */
#ifndef MO_COPY_H
#define MO_COPY_H

#include <stddef.h>
#include <stdint.h>

struct copybuf {
    unsigned char *p;
    size_t len, cap;
    int oom;            /* an allocation failed; the buffer is unusable */
};

/* Most intervals a day can have (15-minute meters). */
#define COPY_MAX_SLOTS 96

/* Days between 1970-01-01 (our day numbers) and 2000-01-01 (PostgreSQL's date zero). */
#define COPY_PG_EPOCH_DAYS 10957

void copybuf_init(struct copybuf *b);
void copybuf_free(struct copybuf *b);
void copybuf_reset(struct copybuf *b);
/* Makes room for `more` bytes beyond len now, so that appending that much moves nothing
 * (another thread may be reading the bytes already written). */
int copybuf_reserve(struct copybuf *b, size_t more);
/* The 19-byte signature and header of a binary COPY stream. */
void copybuf_header(struct copybuf *b);
/* The end-of-data marker. */
void copybuf_trailer(struct copybuf *b);

/* One reading_day row. day: days since 1970-01-01. Slot i holds wh[i] when bit i of set is
 * on, else NULL. flags is written as NULL when no set slot is estimated (bit i of est),
 * else as one byte per slot: 'E' estimated, 'A' actual, 'M' missing. */
void copybuf_day(struct copybuf *b, int64_t meter_id, int64_t day, int nslots,
                 const int32_t *wh, const uint64_t set[2], const uint64_t est[2],
                 int64_t file_id);

#endif
