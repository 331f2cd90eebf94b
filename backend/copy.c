#include "backend/copy.h"

#include <stdlib.h>
#include <string.h>

#define INT4OID 23

void copybuf_init(struct copybuf *b)
{
    memset(b, 0, sizeof *b);
}

void copybuf_free(struct copybuf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

void copybuf_reset(struct copybuf *b)
{
    b->len = 0;
}

static int reserve(struct copybuf *b, size_t more)
{
    if (b->len + more <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 1 << 16;
    while (cap < b->len + more)
        cap *= 2;
    unsigned char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = 1;
        return -1;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

int copybuf_reserve(struct copybuf *b, size_t more)
{
    return reserve(b, more);
}

static inline unsigned char *put16(unsigned char *o, int16_t v)
{
    uint16_t u = __builtin_bswap16((uint16_t)v);
    memcpy(o, &u, 2);
    return o + 2;
}

static inline unsigned char *put32(unsigned char *o, int32_t v)
{
    uint32_t u = __builtin_bswap32((uint32_t)v);
    memcpy(o, &u, 4);
    return o + 4;
}

static inline unsigned char *put64(unsigned char *o, int64_t v)
{
    uint64_t u = __builtin_bswap64((uint64_t)v);
    memcpy(o, &u, 8);
    return o + 8;
}

void copybuf_header(struct copybuf *b)
{
    static const unsigned char sig[11] = { 'P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xFF, '\r', '\n', 0 };
    if (reserve(b, 19) < 0)
        return;
    unsigned char *o = b->p + b->len;
    memcpy(o, sig, sizeof sig);
    o = put32(o + sizeof sig, 0); /* flags: no OIDs */
    o = put32(o, 0);              /* no header extension */
    b->len = (size_t)(o - b->p);
}

void copybuf_trailer(struct copybuf *b)
{
    if (reserve(b, 2) < 0)
        return;
    put16(b->p + b->len, -1);
    b->len += 2;
}

/* Without -mpopcnt, __builtin_popcountll is a library call; this is a few instructions. */
static inline int popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return (int)((x * 0x0101010101010101ULL) >> 56);
}

static inline int bit(const uint64_t m[2], int i)
{
    return (int)((m[i >> 6] >> (i & 63)) & 1u);
}

void copybuf_day(struct copybuf *b, int64_t meter_id, int64_t day, int nslots,
                 const int32_t *wh, const uint64_t set[2], const uint64_t est[2],
                 int64_t file_id)
{
    int nset = popcount64(set[0]) + popcount64(set[1]);
    int any_est = (est[0] & set[0]) || (est[1] & set[1]);
    int32_t arrlen = 20 + nset * 8 + (nslots - nset) * 4;
    size_t need = 2 + 12 + 8 + 4 + (size_t)arrlen + 4 + (any_est ? (size_t)nslots : 0) + 12;
    if (reserve(b, need) < 0)
        return;
    unsigned char *o = b->p + b->len;
    o = put16(o, 5);
    o = put32(o, 8);
    o = put64(o, meter_id);
    o = put32(o, 4);
    o = put32(o, (int32_t)(day - COPY_PG_EPOCH_DAYS));
    /* int4[]: ndim, has-nulls, element type, (size, lower bound), then the elements */
    o = put32(o, arrlen);
    o = put32(o, 1);
    o = put32(o, nset < nslots);
    o = put32(o, INT4OID);
    o = put32(o, nslots);
    o = put32(o, 1);
    if (nset == nslots) {
        for (int i = 0; i < nslots; i++) {
            o = put32(o, 4);
            o = put32(o, wh[i]);
        }
    } else {
        for (int i = 0; i < nslots; i++) {
            if (bit(set, i)) {
                o = put32(o, 4);
                o = put32(o, wh[i]);
            } else {
                o = put32(o, -1);
            }
        }
    }
    if (any_est) {
        o = put32(o, nslots);
        for (int i = 0; i < nslots; i++)
            *o++ = !bit(set, i) ? 'M' : bit(est, i) ? 'E' : 'A';
    } else {
        o = put32(o, -1);
    }
    o = put32(o, 8);
    o = put64(o, file_id);
    b->len = (size_t)(o - b->p);
}
