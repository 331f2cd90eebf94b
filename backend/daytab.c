#include "backend/daytab.h"

#include <stdlib.h>
#include <string.h>

#include "backend/zalloc.h"

static const int class_slots[3] = { 24, 48, 96 };

static int class_of(int nslots)
{
    return nslots <= 24 ? 0 : nslots <= 48 ? 1 : 2;
}

static size_t class_bytes(int cls)
{
    return sizeof(struct day) + (size_t)class_slots[cls] * 8;
}

size_t daytab_day_bytes(int nslots)
{
    return class_bytes(class_of(nslots));
}

static inline size_t key_hash(uint32_t meter, int32_t day, size_t mask)
{
    uint64_t k = ((uint64_t)meter << 32) | (uint32_t)day;
    k *= 0x9E3779B97F4A7C15ULL;
    return (size_t)(k >> 24) & mask;
}

int daytab_init(struct daytab *t, size_t budget)
{
    memset(t, 0, sizeof *t);
    t->budget = budget;
    t->lru.prev = t->lru.next = &t->lru;
    /* a quarter full at most when the budget is spent on the smallest days */
    size_t want = 64;
    while (want < 4 * (budget / class_bytes(0)) && want < ((size_t)1 << 26))
        want *= 2;
    t->slots = zalloc(want, sizeof *t->slots);
    if (!t->slots)
        return -1;
    t->mask = want - 1;
    return 0;
}

void daytab_free(struct daytab *t)
{
    for (struct day *d = t->lru.next; d && d != &t->lru;) {
        struct day *next = d->next;
        free(d);
        d = next;
    }
    for (int c = 0; c < 3; c++)
        for (struct day *d = t->free[c]; d;) {
            struct day *next = d->next;
            free(d);
            d = next;
        }
    free(t->slots);
    memset(t, 0, sizeof *t);
}

struct day *daytab_find(const struct daytab *t, uint32_t meter, int32_t day)
{
    size_t k = key_hash(meter, day, t->mask);
    for (;;) {
        struct day *d = t->slots[k];
        if (!d)
            return NULL;
        if (d->meter == meter && d->day == day)
            return d;
        k = (k + 1) & t->mask;
    }
}

int daytab_full(const struct daytab *t, int nslots)
{
    if (t->n == 0)
        return 0;
    return t->bytes + class_bytes(class_of(nslots)) > t->budget;
}

/* Doubles the hash when it is half full (phase 2 may hold more days than the budget). */
static int grow_slots(struct daytab *t)
{
    size_t n = (t->mask + 1) * 2;
    struct day **s = zalloc(n, sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i <= t->mask; i++) {
        struct day *d = t->slots[i];
        if (!d)
            continue;
        size_t k = key_hash(d->meter, d->day, n - 1);
        while (s[k])
            k = (k + 1) & (n - 1);
        s[k] = d;
    }
    free(t->slots);
    t->slots = s;
    t->mask = n - 1;
    return 0;
}

struct day *daytab_open(struct daytab *t, uint32_t meter, int32_t day, int nslots,
                        int64_t first_line)
{
    if ((t->n + 1) * 2 > t->mask + 1 && grow_slots(t) < 0)
        return NULL;
    int cls = class_of(nslots);
    struct day *d = t->free[cls];
    if (d) {
        t->free[cls] = d->next;
    } else {
        d = malloc(class_bytes(cls));
        if (!d)
            return NULL;
    }
    memset(d, 0, sizeof *d);
    d->meter = meter;
    d->day = day;
    d->first_line = first_line;
    d->nslots = (uint16_t)nslots;
    d->cls = (uint8_t)cls;
    size_t k = key_hash(meter, day, t->mask);
    while (t->slots[k])
        k = (k + 1) & t->mask;
    t->slots[k] = d;
    t->n++;
    t->bytes += class_bytes(cls);
    d->prev = t->lru.prev;
    d->next = &t->lru;
    t->lru.prev->next = d;
    t->lru.prev = d;
    return d;
}

void daytab_remove(struct daytab *t, struct day *d)
{
    size_t k = key_hash(d->meter, d->day, t->mask);
    while (t->slots[k] != d)
        k = (k + 1) & t->mask;
    /* backward-shift deletion keeps every probe chain unbroken without tombstones */
    size_t hole = k;
    for (;;) {
        k = (k + 1) & t->mask;
        struct day *e = t->slots[k];
        if (!e)
            break;
        size_t home = key_hash(e->meter, e->day, t->mask);
        /* e may move into the hole when its home is not in (hole, k] cyclically */
        if (((k - home) & t->mask) >= ((k - hole) & t->mask)) {
            t->slots[hole] = e;
            hole = k;
        }
    }
    t->slots[hole] = NULL;
    t->n--;
    t->bytes -= class_bytes(d->cls);
    d->prev->next = d->next;
    d->next->prev = d->prev;
    d->next = t->free[d->cls];
    t->free[d->cls] = d;
}

int day_put(struct day *d, int slot, int32_t wh, char quality, int64_t line,
            int32_t *old_wh, int64_t *old_line)
{
    uint32_t *lines = day_lines(d);
    uint64_t bit = UINT64_C(1) << (slot & 63);
    if (d->set[slot >> 6] & bit) {
        *old_wh = d->v[slot];
        *old_line = d->first_line + lines[slot];
        return 1;
    }
    int64_t rel = line - d->first_line;
    if (rel < 0 || rel > (int64_t)UINT32_MAX)
        return -1;
    d->set[slot >> 6] |= bit;
    if (quality == 'E')
        d->est[slot >> 6] |= bit;
    d->v[slot] = wh;
    lines[slot] = (uint32_t)rel;
    d->nset++;
    return 0;
}
