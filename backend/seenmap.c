/* seenmap.c - see seenmap.h. */
#include "backend/seenmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/db.h"
#include "backend/sql.h"
#include "backend/zalloc.h"

#define MAX_CHUNK (INT64_C(1) << 31)   /* chunk is an int column */

void seen_init(struct seenmap *s)
{
    memset(s, 0, sizeof *s);
}

void seen_free(struct seenmap *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->e[i].bits);
    free(s->e);
    free(s->slots);
    memset(s, 0, sizeof *s);
}

void seen_reset(struct seenmap *s)
{
    seen_free(s);
}

static uint64_t key_hash(int32_t day, int gas, uint32_t chunk)
{
    uint64_t h = ((uint64_t)(uint32_t)day << 32 | chunk) ^ ((uint64_t)gas << 63);
    h *= 0xFF51AFD7ED558CCDULL;
    return h ^ (h >> 32);
}

static int rehash(struct seenmap *s, size_t nslots)
{
    uint32_t *t = zalloc(nslots, sizeof *t);
    if (!t)
        return -1;
    free(s->slots);
    s->slots = t;
    s->mask = nslots - 1;
    for (size_t i = 0; i < s->n; i++) {
        const struct seen_chunk *c = &s->e[i];
        size_t k = key_hash(c->day, c->gas, c->chunk) & s->mask;
        while (t[k])
            k = (k + 1) & s->mask;
        t[k] = (uint32_t)(i + 1);
    }
    return 0;
}

/* The entry of (day, gas, chunk) + 1, or 0. */
static size_t find(const struct seenmap *s, int32_t day, int gas, uint32_t chunk)
{
    if (!s->slots)
        return 0;
    for (size_t k = key_hash(day, gas, chunk) & s->mask;; k = (k + 1) & s->mask) {
        uint32_t e = s->slots[k];
        if (!e)
            return 0;
        const struct seen_chunk *c = &s->e[e - 1];
        if (c->day == day && c->gas == gas && c->chunk == chunk)
            return e;
    }
}

static size_t add(struct seenmap *s, int32_t day, int gas, uint32_t chunk)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        struct seen_chunk *e = realloc(s->e, cap * sizeof *e);
        if (!e)
            return 0;
        s->e = e;
        s->cap = cap;
    }
    if (!s->slots || (s->n + 1) * 2 > s->mask + 1) {
        size_t want = s->slots ? (s->mask + 1) * 2 : 64;
        if (rehash(s, want) < 0)
            return 0;
    }
    uint8_t *bits = zalloc(SEEN_CHUNK_BYTES, 1);
    if (!bits)
        return 0;
    struct seen_chunk *c = &s->e[s->n];
    c->day = day;
    c->gas = (uint8_t)gas;
    c->chunk = chunk;
    c->bits = bits;
    size_t k = key_hash(day, gas, chunk) & s->mask;
    while (s->slots[k])
        k = (k + 1) & s->mask;
    s->slots[k] = (uint32_t)(++s->n);
    return s->n;
}

int seen_mark(struct seenmap *s, int32_t day, int gas, int64_t meter_id)
{
    if (meter_id < 0 || (meter_id >> 16) >= MAX_CHUNK)
        return -1;
    gas = gas ? 1 : 0;
    uint32_t chunk = (uint32_t)(meter_id >> 16);
    size_t e = s->last;
    if (!e || s->e[e - 1].day != day || s->e[e - 1].gas != gas || s->e[e - 1].chunk != chunk) {
        e = find(s, day, gas, chunk);
        if (!e && !(e = add(s, day, gas, chunk)))
            return -1;
        s->last = e;
    }
    uint32_t bit = (uint32_t)(meter_id & 0xFFFF);
    s->e[e - 1].bits[bit >> 3] |= (uint8_t)(0x80u >> (bit & 7));
    return 0;
}

int seen_has(const struct seenmap *s, int32_t day, int gas, int64_t meter_id)
{
    if (meter_id < 0 || (meter_id >> 16) >= MAX_CHUNK)
        return 0;
    size_t e = find(s, day, gas ? 1 : 0, (uint32_t)(meter_id >> 16));
    uint32_t bit = (uint32_t)(meter_id & 0xFFFF);
    return e && (s->e[e - 1].bits[bit >> 3] & (0x80u >> (bit & 7)));
}

static int cmp_chunk(const void *a, const void *b)
{
    const struct seen_chunk *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    if (x->gas != y->gas)
        return x->gas < y->gas ? -1 : 1;     /* 'elec' < 'gas' */
    return x->chunk < y->chunk ? -1 : x->chunk > y->chunk;
}

int seen_sort(struct seenmap *s)
{
    if (s->n < 2)
        return 0;
    qsort(s->e, s->n, sizeof *s->e, cmp_chunk);
    s->last = 0;
    if (rehash(s, s->mask + 1) < 0) {
        /* the slots point at moved entries: a map that cannot find is a failed one */
        seen_free(s);
        return -1;
    }
    return 0;
}

/* The four array literals of bitmaps [from, to) (sorted already). */
static int params_range(const struct seenmap *s, size_t from, size_t to, char *out[4])
{
    static const char hex[] = "0123456789abcdef";
    size_t n = to > from ? to - from : 1;
    out[0] = malloc(n * 12 + 3);
    out[1] = malloc(n * 5 + 3);
    out[2] = malloc(n * 12 + 3);
    out[3] = malloc(n * (SEEN_CHUNK_BYTES * 2 + 2) + 3);
    if (!out[0] || !out[1] || !out[2] || !out[3]) {
        for (int i = 0; i < 4; i++)
            free(out[i]), out[i] = NULL;
        return -1;
    }
    char *p[4] = { out[0], out[1], out[2], out[3] };
    for (int i = 0; i < 4; i++)
        *p[i]++ = '{';
    for (size_t i = from; i < to; i++) {
        const struct seen_chunk *c = &s->e[i];
        const char *sep = i > from ? "," : "";
        p[0] += sprintf(p[0], "%s%ld", sep, (long)c->day);
        p[1] += sprintf(p[1], "%s%s", sep, c->gas ? "gas" : "elec");
        p[2] += sprintf(p[2], "%s%lu", sep, (unsigned long)c->chunk);
        if (i > from)
            *p[3]++ = ',';
        *p[3]++ = 'X';
        for (size_t b = 0; b < SEEN_CHUNK_BYTES; b++) {
            *p[3]++ = hex[c->bits[b] >> 4];
            *p[3]++ = hex[c->bits[b] & 15];
        }
    }
    for (int i = 0; i < 4; i++) {
        *p[i]++ = '}';
        *p[i] = '\0';
    }
    return 0;
}

int seen_params(struct seenmap *s, char *out[4])
{
    if (seen_sort(s) < 0)
        return -1;
    return params_range(s, 0, s->n, out);
}

/* Bitmaps per statement: their text (16 kB each in hex) stays within 4 MB however many
 * days and meters the file wrote. The batches go in the sorted order, so locks on
 * meter_seen's rows are still taken in one order by every loader. */
#define SEEN_PER_STATEMENT 256

int seen_send(struct seenmap *s, PGconn *conn, struct mo_err *err)
{
    if (s->n == 0)
        return 0;
    if (seen_sort(s) < 0)
        return mo_err_set(err, "out_of_memory", "out of memory for the seen bitmaps");
    for (size_t from = 0; from < s->n; from += SEEN_PER_STATEMENT) {
        size_t to = s->n - from > SEEN_PER_STATEMENT ? from + SEEN_PER_STATEMENT : s->n;
        char *par[4];
        if (params_range(s, from, to, par) < 0)
            return mo_err_set(err, "out_of_memory", "out of memory for the seen bitmaps");
        const char *p[4] = { par[0], par[1], par[2], par[3] };
        PGresult *res = db_query(conn, SQL_LOAD_SEEN, 4, p, err);
        for (int i = 0; i < 4; i++)
            free(par[i]);
        if (!res)
            return -1;
        PQclear(res);
    }
    return 0;
}
