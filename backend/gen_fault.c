#include "backend/gen_fault.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/gen_registry.h"
#include "backend/halfhour.h"
#include "backend/reader.h"

enum { TAG_FAULT = 0x46 };

/* Unknown meters are drawn from this many ids of the pool above GEN_UNKNOWN_BASE. */
#define UNKNOWN_POOL 1000000

const char *gen_fault_code(enum gen_fault_kind k)
{
    switch (k) {
    case FAULT_CHECK_DIGIT: return RJ_MPAN_CHECK;
    case FAULT_TIMESTAMP: return RJ_TIMESTAMP;
    case FAULT_MISALIGNED: return RJ_MISALIGNED;
    case FAULT_NEGATIVE:
    case FAULT_ABSURD: return RJ_VALUE_RANGE;
    case FAULT_DUPLICATE: return RJ_DUP_CONFLICT;
    case FAULT_UNKNOWN_METER: return RJ_UNKNOWN_METER;
    case FAULT_TRUNCATED:
    case FAULT_FIELD_COUNT: return RJ_FIELD_COUNT;
    case GEN_NFAULTS: break;
    }
    return "?";
}

void gen_faults_init(struct gen_faults *f, uint64_t seed, int file_index, double rate,
                     const char *file, int wide)
{
    memset(f, 0, sizeof *f);
    prng_seed(&f->rng, prng_key(TAG_FAULT, seed, (uint64_t)file_index, 0));
    f->threshold = prng_threshold(rate);
    f->seed = seed;
    f->file = file;
    f->wide = wide;
}

void gen_faults_free(struct gen_faults *f)
{
    free(f->manifest);
    f->manifest = NULL;
}

static void manifest_add(struct gen_faults *f, long line_no, const char *column,
                         enum gen_fault_kind k)
{
    char row[256];
    int n = snprintf(row, sizeof row, "%s,%ld,%s,%s\n", f->file, line_no, column, gen_fault_code(k));
    if (f->manifest_len + (size_t)n + 1 > f->manifest_cap) {
        size_t cap = f->manifest_cap ? f->manifest_cap * 2 : 4096;
        char *b = realloc(f->manifest, cap);
        if (!b) {
            f->oom = 1;
            return;
        }
        f->manifest = b;
        f->manifest_cap = cap;
    }
    memcpy(f->manifest + f->manifest_len, row, (size_t)n);
    f->manifest_len += (size_t)n;
    f->count[k]++;
    f->total++;
}

/* mpxn with its check digit made wrong; gas lines borrow an MPAN from the unknown pool
 * (a bad check digit is refused before the registry is asked). */
static void bad_check_digit(struct gen_faults *f, const char *mpxn, int mpxn_len, char out[14])
{
    if (mpxn_len == 13)
        memcpy(out, mpxn, 14);
    else
        gen_mpan_core(f->seed, GEN_UNKNOWN_BASE + prng_below(&f->rng, UNKNOWN_POOL), out);
    int good = out[12] - '0';
    out[12] = (char)('0' + (good + 1 + (int)prng_below(&f->rng, 9)) % 10);
}

void gen_bad_timestamp(char *buf, const struct gen_day *d, int slot, int v)
{
    int y, m, dd;
    civil_from_days(d->day, &y, &m, &dd);
    int hh = slot / 2, mm = slot % 2 * 30;
    switch (v) {
    case 0: /* re-saved by a spreadsheet: day first, slashes, no seconds, no zone */
        sprintf(buf, "%02d/%02d/%04d %02d:%02d", dd, m, y, hh, mm);
        break;
    case 1: /* a day past the end of the month */
        sprintf(buf, "%04d-%02d-%02dT%02d:%02d:00Z", y, m, days_in_month(y, m) + 1, hh, mm);
        break;
    case 2: /* end-of-day written as 24:00 */
        sprintf(buf, "%04d-%02d-%02dT24:%02d:00Z", y, m, dd, mm);
        break;
    default: /* a zone abbreviation instead of an offset */
        sprintf(buf, "%04d-%02d-%02dT%02d:%02d:00 BST", y, m, dd, hh, mm);
        break;
    }
}

void gen_bad_date(char *buf, const struct gen_day *d, int v)
{
    int y, m, dd;
    civil_from_days(d->day, &y, &m, &dd);
    switch (v) {
    case 0: sprintf(buf, "%02d/%02d/%04d", dd, m, y); break;
    case 1: sprintf(buf, "%04d-%02d-%02d", y, m, days_in_month(y, m) + 1); break;
    case 2: sprintf(buf, "%04d.%02d.%02d", y, m, dd); break;
    default: sprintf(buf, "%04d%02d%02d", y, m, dd); break;
    }
}

static char *put(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

static char *put_ts(char *p, const struct gen_day *d, int slot, int extra_minutes)
{
    char ts[32];
    ts_format_utc(d->day * 86400 + (int64_t)slot * 1800 + extra_minutes * 60, ts);
    return put(p, ts, strlen(ts));
}

/* A value different from v that is still a clean reading. */
static int32_t conflicting_value(struct gen_faults *f, int32_t v)
{
    int32_t delta = 1 + (int32_t)prng_below(&f->rng, (uint32_t)(v / 2 + 100));
    return v + delta <= GEN_MAX_WH ? v + delta : v - delta;
}

static enum gen_fault_kind pick_kind(struct gen_faults *f, int allow_dup)
{
    static const enum gen_fault_kind long_kinds[] = {
        FAULT_CHECK_DIGIT, FAULT_TIMESTAMP, FAULT_MISALIGNED, FAULT_NEGATIVE, FAULT_ABSURD,
        FAULT_DUPLICATE, FAULT_UNKNOWN_METER, FAULT_TRUNCATED, FAULT_FIELD_COUNT,
    };
    static const enum gen_fault_kind wide_kinds[] = {
        FAULT_CHECK_DIGIT, FAULT_TIMESTAMP, FAULT_NEGATIVE, FAULT_ABSURD,
        FAULT_DUPLICATE, FAULT_UNKNOWN_METER, FAULT_TRUNCATED, FAULT_FIELD_COUNT,
    };
    const enum gen_fault_kind *kinds = f->wide ? wide_kinds : long_kinds;
    uint32_t n = f->wide ? 8 : 9;
    for (;;) {
        enum gen_fault_kind k = kinds[prng_below(&f->rng, n)];
        if (k != FAULT_DUPLICATE || allow_dup)
            return k;
    }
}

void gen_fault_long(struct gen_faults *f, struct gen_out *o, long line_no, const char *mpxn,
                    int mpxn_len, const struct gen_day *d, int slot, const int32_t *day_wh,
                    char quality, uint64_t *clean)
{
    enum gen_fault_kind k = pick_kind(f, *clean != 0);
    int32_t wh = day_wh[slot];
    char id[14];
    char *start = gen_out_reserve(o), *p = start;
    const char *column = "";
    switch (k) {
    case FAULT_CHECK_DIGIT:
        bad_check_digit(f, mpxn, mpxn_len, id);
        p = put(p, id, 13);
        *p++ = ',';
        p = put_ts(p, d, slot, 0);
        column = "mpxn";
        break;
    case FAULT_UNKNOWN_METER:
        gen_mpan_core(f->seed, GEN_UNKNOWN_BASE + prng_below(&f->rng, UNKNOWN_POOL), id);
        p = put(p, id, 13);
        *p++ = ',';
        p = put_ts(p, d, slot, 0);
        column = "mpxn";
        break;
    case FAULT_TIMESTAMP: {
        char ts[48];
        gen_bad_timestamp(ts, d, slot, (int)prng_below(&f->rng, 4));
        p = put(p, mpxn, (size_t)mpxn_len);
        *p++ = ',';
        p = put(p, ts, strlen(ts));
        column = "timestamp";
        break;
    }
    case FAULT_MISALIGNED:
        p = put(p, mpxn, (size_t)mpxn_len);
        *p++ = ',';
        p = put_ts(p, d, slot, 1 + (int)prng_below(&f->rng, 29));
        column = "timestamp";
        break;
    case FAULT_DUPLICATE: {
        /* Repeat a random earlier clean slot of this meter-day with another value. */
        int n = __builtin_popcountll(*clean), pick = (int)prng_below(&f->rng, (uint32_t)n), src = -1;
        for (int s = 0; s < GEN_SLOTS && src < 0; s++)
            if ((*clean >> s & 1) && pick-- == 0)
                src = s;
        *clean &= ~(1ULL << src);
        p = put(p, mpxn, (size_t)mpxn_len);
        *p++ = ',';
        p = put_ts(p, d, src, 0);
        wh = conflicting_value(f, day_wh[src]);
        column = "kwh";
        break;
    }
    default:
        p = put(p, mpxn, (size_t)mpxn_len);
        *p++ = ',';
        p = put_ts(p, d, slot, 0);
        break;
    }
    switch (k) {
    case FAULT_NEGATIVE:
        *p++ = ',';
        p = gen_fmt_kwh(p, -(int64_t)wh - 1);
        column = "kwh";
        break;
    case FAULT_ABSURD: /* written in Wh where kWh belongs, and then some */
        *p++ = ',';
        p = gen_fmt_kwh(p, 200000 + (int64_t)wh * 1000);
        column = "kwh";
        break;
    case FAULT_TRUNCATED: {
        /* Cut inside the timestamp: two fields left of the four. */
        char *ts = start + mpxn_len + 1;
        p = ts + prng_below(&f->rng, (uint32_t)(p - ts));
        break;
    }
    case FAULT_FIELD_COUNT: { /* decimal comma: "0,219" makes five fields */
        char v[32];
        char *e = gen_fmt_kwh(v, wh);
        *e = '\0';
        *strchr(v, '.') = ',';
        *p++ = ',';
        p = put(p, v, strlen(v));
        break;
    }
    default:
        *p++ = ',';
        p = gen_fmt_kwh(p, wh);
        break;
    }
    if (k != FAULT_TRUNCATED) {
        *p++ = ',';
        *p++ = quality;
    }
    *p++ = '\n';
    gen_out_commit(o, p);
    manifest_add(f, line_no, column, k);
}

void gen_faults_remember_row(struct gen_faults *f, const char *mpxn, const char *date,
                             const int32_t wh[GEN_SLOTS])
{
    /* Keep the newest rows: a new one replaces a random kept one once the ring is full. */
    int at = f->ring_len < GEN_ROW_RING ? f->ring_len++ : (int)prng_below(&f->rng, GEN_ROW_RING);
    struct gen_row_copy *r = &f->ring[at];
    snprintf(r->mpxn, sizeof r->mpxn, "%s", mpxn);
    memcpy(r->date, date, sizeof r->date);
    memcpy(r->wh, wh, sizeof r->wh);
}

/* In a faulty row a cell may hold a negative value, so an empty cell is marked apart. */
#define EMPTY_CELL INT32_MIN

static char *put_cells(char *p, const int32_t cells[GEN_SLOTS])
{
    for (int s = 0; s < GEN_SLOTS; s++) {
        *p++ = ',';
        if (cells[s] != EMPTY_CELL)
            p = gen_fmt_kwh(p, cells[s]);
    }
    return p;
}

static int random_present_cell(struct gen_faults *f, const int32_t cells[GEN_SLOTS])
{
    for (;;) {
        int s = (int)prng_below(&f->rng, GEN_SLOTS);
        if (cells[s] != EMPTY_CELL)
            return s;
    }
}

void gen_fault_wide(struct gen_faults *f, struct gen_out *o, long line_no, const char *mpxn,
                    int mpxn_len, const struct gen_day *d, const int32_t wh[GEN_SLOTS])
{
    enum gen_fault_kind k = pick_kind(f, f->ring_len > 0);
    char id[14], date[24], column[24] = "";
    int32_t cells[GEN_SLOTS];
    for (int s = 0; s < GEN_SLOTS; s++)
        cells[s] = wh[s] < 0 ? EMPTY_CELL : wh[s];
    memcpy(id, mpxn, (size_t)mpxn_len);
    id[mpxn_len] = '\0';
    snprintf(date, sizeof date, "%s", d->date);
    char *start = gen_out_reserve(o), *p = start;

    switch (k) {
    case FAULT_CHECK_DIGIT:
        bad_check_digit(f, mpxn, mpxn_len, id);
        strcpy(column, "mpxn");
        break;
    case FAULT_UNKNOWN_METER:
        gen_mpan_core(f->seed, GEN_UNKNOWN_BASE + prng_below(&f->rng, UNKNOWN_POOL), id);
        strcpy(column, "mpxn");
        break;
    case FAULT_TIMESTAMP:
        gen_bad_date(date, d, (int)prng_below(&f->rng, 4));
        strcpy(column, "date");
        break;
    case FAULT_DUPLICATE: {
        /* The same meter-day as an earlier clean row, every present value different and
         * the same cells empty, so each of its intervals conflicts. */
        int at = (int)prng_below(&f->rng, (uint32_t)f->ring_len);
        struct gen_row_copy src = f->ring[at];
        f->ring[at] = f->ring[--f->ring_len];
        snprintf(id, sizeof id, "%s", src.mpxn);
        memcpy(date, src.date, sizeof src.date);
        int first = -1;
        for (int s = 0; s < GEN_SLOTS; s++) {
            cells[s] = src.wh[s] < 0 ? EMPTY_CELL : conflicting_value(f, src.wh[s]);
            if (first < 0 && src.wh[s] >= 0)
                first = s;
        }
        /* The loader rejects the row at its first conflicting interval and names that cell. */
        if (first >= 0)
            snprintf(column, sizeof column, "%02d%02d", first / 2, first % 2 * 30);
        break;
    }
    case FAULT_NEGATIVE:
    case FAULT_ABSURD: {
        int s = random_present_cell(f, cells);
        cells[s] = k == FAULT_NEGATIVE ? -cells[s] - 1 : 200000 + cells[s] * 1000;
        snprintf(column, sizeof column, "%02d%02d", s / 2, s % 2 * 30);
        break;
    }
    default:
        break;
    }

    p = put(p, id, strlen(id));
    *p++ = ',';
    p = put(p, date, strlen(date));
    char *cells_at = p;
    p = put_cells(p, cells);
    if (k == FAULT_TRUNCATED) {
        /* Cut anywhere up to (and including) the last comma: fewer than 50 fields. */
        char *last = p;
        while (*--last != ',')
            ;
        char *from = start + strlen(id) + 1;
        p = from + prng_below(&f->rng, (uint32_t)(last - from + 1));
    } else if (k == FAULT_FIELD_COUNT) {
        if (prng_below(&f->rng, 2) == 0) {
            /* Decimal comma in one present cell: 51 fields. */
            int s = random_present_cell(f, cells);
            p = cells_at;
            for (int i = 0; i < GEN_SLOTS; i++) {
                *p++ = ',';
                if (cells[i] == EMPTY_CELL)
                    continue;
                char *v = p;
                p = gen_fmt_kwh(p, cells[i]);
                if (i == s)
                    *(char *)memchr(v, '.', (size_t)(p - v)) = ',';
            }
        } else {
            /* One cell dropped, its comma with it: 49 fields. */
            int s = (int)prng_below(&f->rng, GEN_SLOTS);
            p = cells_at;
            for (int i = 0; i < GEN_SLOTS; i++) {
                if (i == s)
                    continue;
                *p++ = ',';
                if (cells[i] != EMPTY_CELL)
                    p = gen_fmt_kwh(p, cells[i]);
            }
        }
    }
    *p++ = '\n';
    gen_out_commit(o, p);
    manifest_add(f, line_no, column, k);
}
