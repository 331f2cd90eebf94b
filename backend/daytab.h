/* daytab.h - the open meter-days of one file: where readings wait until their day is
 * written as one reading_day row.
 *
 * Each open day keeps, per interval, the value and the line that gave it, so a second
 * reading for the same meter+interval is told apart as identical or conflicting and the
 * message can name the earlier line (check 9). The table is bounded by a memory budget:
 * when it is full the caller evicts the least recently used day (a file grouped by meter
 * finishes its days one after another, so the oldest is done). Days are allocated from
 * per-size free lists, so a running load allocates nothing per row. */
#ifndef MO_DAYTAB_H
#define MO_DAYTAB_H

#include <stddef.h>
#include <stdint.h>

struct day {
    struct day *prev, *next;    /* least recently used first */
    uint32_t meter;             /* the file's meter index */
    int32_t day;                /* days since 1970-01-01 (UTC) */
    int64_t first_line;         /* lines are stored relative to this */
    uint64_t set[2], est[2];    /* interval i has a value / is estimated */
    uint16_t nslots, nset;
    uint8_t cls;                /* size class */
    uint8_t replayed;           /* phase 2: already written once by this file */
    int32_t v[];                /* nslots values, then nslots uint32 line offsets */
};

struct daytab {
    struct day **slots;
    size_t mask, n;
    struct day lru;             /* sentinel of the use-order list */
    size_t bytes, budget;
    struct day *free[3];
};

static inline uint32_t *day_lines(struct day *d)
{
    return (uint32_t *)(d->v + d->nslots);
}

static inline int day_has(const struct day *d, int slot)
{
    return (int)((d->set[slot >> 6] >> (slot & 63)) & 1u);
}

/* budget: bytes the open days may take (at least one day always fits). */
int daytab_init(struct daytab *t, size_t budget);
void daytab_free(struct daytab *t);
struct day *daytab_find(const struct daytab *t, uint32_t meter, int32_t day);
/* A new empty day (not yet open: the caller checks daytab_full first). NULL = no memory. */
struct day *daytab_open(struct daytab *t, uint32_t meter, int32_t day, int nslots,
                        int64_t first_line);
/* Marks d most recently used. */
static inline void daytab_touch(struct daytab *t, struct day *d)
{
    if (d->next == &t->lru)
        return;
    d->prev->next = d->next;
    d->next->prev = d->prev;
    d->prev = t->lru.prev;
    d->next = &t->lru;
    t->lru.prev->next = d;
    t->lru.prev = d;
}
/* Takes d out of the table and recycles its memory. */
void daytab_remove(struct daytab *t, struct day *d);
/* The least recently used day, or NULL when empty. */
static inline struct day *daytab_oldest(const struct daytab *t)
{
    return t->lru.next == &t->lru ? NULL : t->lru.next;
}
/* Memory one open day of nslots intervals takes. */
size_t daytab_day_bytes(int nslots);
/* Whether opening a day of nslots intervals would go over the budget. */
int daytab_full(const struct daytab *t, int nslots);

/* Stores a value; returns 0, or 1 when the interval already has one (*old_wh, *old_line
 * get it; nothing is changed). A line more than 2^32 lines after the day's first cannot
 * be stored relative to it: returns -1 and the caller closes the day first. */
int day_put(struct day *d, int slot, int32_t wh, char quality, int64_t line,
            int32_t *old_wh, int64_t *old_line);

#endif
