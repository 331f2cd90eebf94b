/* gen_out.h - buffered output for the generator: lines are formatted by hand straight
 * into a large buffer that goes out with write() in big blocks (no stdio, no printf per
 * value), and the number formats the readings files use. */
#ifndef MO_GEN_OUT_H
#define MO_GEN_OUT_H

#include <stddef.h>
#include <stdint.h>

#include "backend/err.h"

/* Room every formatter may assume after gen_out_reserve(): the longest line a fault can
 * write (a wide row with a value in every cell, one of them absurd) plus the slack that
 * fixed-size copies of prefixes run over. */
#define GEN_OUT_LINE_MAX 1024

struct gen_out {
    int fd;
    char *buf;
    size_t len, cap;
    uint64_t bytes;       /* written so far, including what is still buffered */
    int err_no;           /* first write error, 0 if none */
};

/* Creates (truncates) path for writing with a buffer of cap bytes. */
int gen_out_open(struct gen_out *o, const char *path, size_t cap, struct mo_err *err);
/* Writes out what is buffered. */
int gen_out_flush(struct gen_out *o);
/* Flushes and closes; err names path when anything failed since open. */
int gen_out_close(struct gen_out *o, const char *path, struct mo_err *err);

/* A pointer where at least GEN_OUT_LINE_MAX bytes may be written; call gen_out_commit
 * with the end of what was written. */
static inline char *gen_out_reserve(struct gen_out *o)
{
    if (o->len + GEN_OUT_LINE_MAX > o->cap)
        gen_out_flush(o);
    return o->buf + o->len;
}

static inline void gen_out_commit(struct gen_out *o, char *end)
{
    size_t n = (size_t)(end - (o->buf + o->len));
    o->len += n;
    o->bytes += n;
}

/* Watt-hours as kWh with three decimals ("0.219", "-1.050", "219000.000"). */
static inline char *gen_fmt_kwh(char *p, int64_t wh)
{
    if (wh < 0) {
        *p++ = '-';
        wh = -wh;
    }
    uint64_t i = (uint64_t)wh / 1000, f = (uint64_t)wh % 1000;
    if (i < 10) {
        *p++ = (char)('0' + i);
    } else if (i < 100) {
        p[0] = (char)('0' + i / 10);
        p[1] = (char)('0' + i % 10);
        p += 2;
    } else {
        char tmp[24];
        int n = 0;
        while (i) {
            tmp[n++] = (char)('0' + i % 10);
            i /= 10;
        }
        while (n)
            *p++ = tmp[--n];
    }
    p[0] = '.';
    p[1] = (char)('0' + f / 100);
    p[2] = (char)('0' + f / 10 % 10);
    p[3] = (char)('0' + f % 10);
    return p + 4;
}

#endif
