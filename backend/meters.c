/* meters.c - see meters.h. */
#include "backend/meters.h"

#include <stdlib.h>
#include <string.h>

#include "backend/db.h"
#include "backend/sql.h"
#include "backend/zalloc.h"

/* flags: bits 0-1 the interval (0: 30, 1: 15, 2: 60), bit 2 gas, bit 3 a text id
 * (meters_interval and meters_gas in meters.h read the first two) */
#define F_IV 3u
#define F_GAS 4u
#define F_TEXT 8u

/* A digit id as a number that keeps its length (so "0123" is not "123"): the length in
 * the top five bits, the value (at most 17 digits < 2^57) below. 0 for any other id. */
#define DIGITS_MAX 17
static uint64_t digit_key(const char *s, size_t len)
{
    if (len == 0 || len > DIGITS_MAX)
        return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned d = (unsigned char)s[i] - '0';
        if (d > 9)
            return 0;
        v = v * 10 + d;
    }
    return (uint64_t)len << 59 | v;
}

/* A bijection of 64-bit words (splitmix64's finisher): the stored word spreads evenly over
 * the directory and still says which key it is (unmix). */
static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

static uint64_t inverse_odd(uint64_t a)
{
    uint64_t x = a; /* Newton: each step doubles the correct low bits (3, 6, ... 96) */
    for (int i = 0; i < 5; i++)
        x *= 2 - a * x;
    return x;
}

/* The inverse of y ^ (y >> s). */
static uint64_t unshift(uint64_t y, int s)
{
    uint64_t x = y;
    for (int k = s; k < 64; k += s)
        x ^= y >> k;
    return x;
}

static uint64_t unmix(uint64_t x)
{
    x = unshift(x, 31);
    x *= inverse_odd(0x94D049BB133111EBULL);
    x = unshift(x, 27);
    x *= inverse_odd(0xBF58476D1CE4E5B9ULL);
    return unshift(x, 30);
}

static uint64_t text_hash(const char *s, size_t len)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (len * 0xC2B2AE3D27D4EB4FULL);
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001B3ULL;
    return mix(h);
}

static unsigned iv_code(int interval)
{
    return interval == 15 ? 1u : interval == 60 ? 2u : 0u;
}

void meters_set_gas(struct meter_table *t, size_t i, int gas)
{
    t->flags[i] = (uint8_t)(gas ? t->flags[i] | F_GAS : t->flags[i] & ~F_GAS);
}

size_t meters_name(const struct meter_table *t, size_t i, char *buf, size_t n)
{
    if (n == 0)
        return 0;
    if (t->flags[i] & F_TEXT) {
        const char *p = t->pool + t->key[i];
        size_t len = (unsigned char)p[0];
        size_t k = len < n - 1 ? len : n - 1;
        memcpy(buf, p + 1, k);
        buf[k] = '\0';
        return len;
    }
    uint64_t key = unmix(t->key[i]);
    int len = (int)(key >> 59);
    char digits[DIGITS_MAX + 1];
    uint64_t v = key & ((1ULL << 59) - 1);
    for (int k = len - 1; k >= 0; k--, v /= 10)
        digits[k] = (char)('0' + v % 10);
    size_t k = (size_t)len < n - 1 ? (size_t)len : n - 1;
    memcpy(buf, digits, k);
    buf[k] = '\0';
    return (size_t)len;
}

void meters_init(struct meter_table *t)
{
    memset(t, 0, sizeof *t);
}

void meters_free(struct meter_table *t)
{
    free(t->key);
    free(t->id32);
    free(t->id64);
    free(t->flags);
    free(t->dir);
    free(t->slots);
    free(t->pool);
    memset(t, 0, sizeof *t);
}

size_t meters_bytes(const struct meter_table *t)
{
    size_t dir = t->dir ? ((size_t)1 << t->dir_bits) + 1 : 0;
    return t->cap * (sizeof *t->key + (t->id64 ? 8 : 4) + 1) + dir * 4 +
           (t->slots ? (t->mask + 1) * 4 : 0) + t->pool_cap;
}

/* Entries grow by realloc: the large blocks are mmapped, and grow and shrink in place
 * (mremap), so loading never holds two copies of the registry. */
static int grow_entries(struct meter_table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
    uint64_t *key = realloc(t->key, cap * sizeof *key);
    if (!key)
        return -1;
    t->key = key;
    if (t->id64) {
        int64_t *id = realloc(t->id64, cap * sizeof *id);
        if (!id)
            return -1;
        t->id64 = id;
    } else {
        uint32_t *id = realloc(t->id32, cap * sizeof *id);
        if (!id)
            return -1;
        t->id32 = id;
    }
    uint8_t *fl = realloc(t->flags, cap);
    if (!fl)
        return -1;
    t->flags = fl;
    t->cap = cap;
    return 0;
}

/* Entry n (not yet counted) with its meter_id, interval and key. */
static int put_entry(struct meter_table *t, uint64_t key, int64_t id, int interval, unsigned text)
{
    if (t->n == t->cap && grow_entries(t) < 0)
        return -1;
    size_t i = t->n;
    if (!t->id64 && (id < 0 || id > (int64_t)UINT32_MAX)) {
        /* a meter_id beyond 32 bits: widen every id */
        int64_t *wide = malloc(t->cap * sizeof *wide);
        if (!wide)
            return -1;
        for (size_t k = 0; k < i; k++)
            wide[k] = t->id32[k];
        free(t->id32);
        t->id32 = NULL;
        t->id64 = wide;
    }
    if (t->id64)
        t->id64[i] = id;
    else
        t->id32[i] = (uint32_t)id;
    t->key[i] = key;
    t->flags[i] = (uint8_t)(iv_code(interval) | text);
    t->n++;
    return 0;
}

/* The tail's hash of entry i. */
static uint64_t entry_hash(const struct meter_table *t, size_t i)
{
    if (t->flags[i] & F_TEXT) {
        const char *p = t->pool + t->key[i];
        return text_hash(p + 1, (unsigned char)p[0]);
    }
    return t->key[i];
}

static int rehash(struct meter_table *t, size_t nslots)
{
    uint32_t *s = zalloc(nslots, sizeof *s);
    if (!s)
        return -1;
    free(t->slots);
    t->slots = s;
    t->mask = nslots - 1;
    for (size_t i = t->nsorted; i < t->n; i++) {
        size_t k = entry_hash(t, i) & t->mask;
        while (s[k])
            k = (k + 1) & t->mask;
        s[k] = (uint32_t)(i + 1);
    }
    return 0;
}

long meters_add(struct meter_table *t, const char *mpxn, size_t len, int64_t id, int interval)
{
    if (len > 255 || t->n >= UINT32_MAX - 1)
        return -1;
    uint64_t dk = digit_key(mpxn, len), key;
    unsigned text = 0;
    if (dk) {
        key = mix(dk);
    } else {
        if (t->pool_used + len + 1 > t->pool_cap) {
            size_t cap = t->pool_cap ? t->pool_cap * 2 : 4096;
            while (cap < t->pool_used + len + 1)
                cap *= 2;
            char *p = realloc(t->pool, cap);
            if (!p)
                return -1;
            t->pool = p;
            t->pool_cap = cap;
        }
        key = t->pool_used;
        text = F_TEXT;
    }
    /* the tail's load factor at or below one half: probes stay short */
    size_t tail = t->n - t->nsorted + 1;
    if (!t->slots || tail * 2 > t->mask + 1) {
        size_t want = t->slots ? (t->mask + 1) * 2 : 256;
        while (tail * 2 > want)
            want *= 2;
        if (rehash(t, want) < 0)
            return -1;
    }
    if (put_entry(t, key, id, interval, text) < 0)
        return -1;
    if (text) {
        t->pool[t->pool_used] = (char)len;
        memcpy(t->pool + t->pool_used + 1, mpxn, len);
        t->pool_used += len + 1;
    }
    size_t i = t->n - 1;
    size_t k = entry_hash(t, i) & t->mask;
    while (t->slots[k])
        k = (k + 1) & t->mask;
    t->slots[k] = (uint32_t)(i + 1);
    return (long)i;
}

int meters_append(struct meter_table *t, const char *mpxn, size_t len, int64_t id, int interval)
{
    uint64_t dk = digit_key(mpxn, len);
    if (!dk || t->nsorted != 0 || t->slots)
        return 0;
    return put_entry(t, mix(dk), id, interval, 0) < 0 ? -1 : 1;
}

static void swap_entries(struct meter_table *t, size_t a, size_t b)
{
    uint64_t k = t->key[a];
    t->key[a] = t->key[b];
    t->key[b] = k;
    if (t->id64) {
        int64_t v = t->id64[a];
        t->id64[a] = t->id64[b];
        t->id64[b] = v;
    } else {
        uint32_t v = t->id32[a];
        t->id32[a] = t->id32[b];
        t->id32[b] = v;
    }
    uint8_t f = t->flags[a];
    t->flags[a] = t->flags[b];
    t->flags[b] = f;
}

/* In place (qsort would not move the parallel arrays, and glibc's may allocate a copy):
 * quicksort on the median of three, the smaller side first, insertion sort below 16. The
 * keys are mixed, so no input order is a bad case. */
static void sort_entries(struct meter_table *t, size_t lo, size_t hi)
{
    while (hi - lo > 16) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->key[mid] < t->key[lo])
            swap_entries(t, mid, lo);
        if (t->key[hi - 1] < t->key[lo])
            swap_entries(t, hi - 1, lo);
        if (t->key[hi - 1] < t->key[mid])
            swap_entries(t, hi - 1, mid);
        uint64_t pivot = t->key[mid];
        size_t i = lo, j = hi - 1;
        for (;;) {
            while (t->key[i] < pivot)
                i++;
            while (t->key[j] > pivot)
                j--;
            if (i >= j)
                break;
            swap_entries(t, i, j);
            i++;
            j--;
        }
        size_t cut = j + 1;
        if (cut - lo < hi - cut) {
            sort_entries(t, lo, cut);
            lo = cut;
        } else {
            sort_entries(t, cut, hi);
            hi = cut;
        }
    }
    for (size_t i = lo + 1; i < hi; i++)
        for (size_t j = i; j > lo && t->key[j] < t->key[j - 1]; j--)
            swap_entries(t, j, j - 1);
}

int meters_index(struct meter_table *t)
{
    if (t->slots || t->nsorted)
        return -1; /* only a freshly appended table */
    sort_entries(t, 0, t->n);
    int bits = 1;
    while (bits < 30 && ((size_t)4 << bits) < t->n)
        bits++; /* about four entries a directory cell */
    uint32_t *dir = malloc((((size_t)1 << bits) + 1) * sizeof *dir);
    if (!dir)
        return -1;
    size_t i = 0;
    for (size_t b = 0; b < ((size_t)1 << bits); b++) {
        while (i < t->n && (t->key[i] >> (64 - bits)) < b)
            i++;
        dir[b] = (uint32_t)i;
    }
    dir[(size_t)1 << bits] = (uint32_t)t->n;
    free(t->dir);
    t->dir = dir;
    t->dir_bits = bits;
    t->nsorted = t->n;
    return 0;
}

/* Gives back what doubling left unused (in place for the large blocks). */
void meters_shrink(struct meter_table *t)
{
    if (t->n == 0 || t->n == t->cap)
        return;
    uint64_t *key = realloc(t->key, t->n * sizeof *key);
    if (key)
        t->key = key;
    if (t->id64) {
        int64_t *id = realloc(t->id64, t->n * sizeof *id);
        if (id)
            t->id64 = id;
    } else {
        uint32_t *id = realloc(t->id32, t->n * sizeof *id);
        if (id)
            t->id32 = id;
    }
    uint8_t *fl = realloc(t->flags, t->n);
    if (fl)
        t->flags = fl;
    /* a failed shrink leaves the old block, which is still valid and large enough */
    t->cap = t->n;
    if (t->pool_used && t->pool_used < t->pool_cap) {
        char *p = realloc(t->pool, t->pool_used);
        if (p)
            t->pool = p, t->pool_cap = t->pool_used;
    }
}

long meters_find(const struct meter_table *t, const char *mpxn, size_t len)
{
    uint64_t dk = digit_key(mpxn, len);
    if (dk) {
        uint64_t key = mix(dk);
        if (t->dir) {
            size_t b = key >> (64 - t->dir_bits);
            for (size_t i = t->dir[b], end = t->dir[b + 1]; i < end && t->key[i] <= key; i++)
                if (t->key[i] == key)
                    return (long)i;
        }
        if (!t->slots)
            return -1;
        for (size_t k = key & t->mask;; k = (k + 1) & t->mask) {
            uint32_t e = t->slots[k];
            if (!e)
                return -1;
            if (t->key[e - 1] == key && !(t->flags[e - 1] & F_TEXT))
                return (long)(e - 1);
        }
    }
    if (!t->slots || len > 255)
        return -1;
    for (size_t k = text_hash(mpxn, len) & t->mask;; k = (k + 1) & t->mask) {
        uint32_t e = t->slots[k];
        if (!e)
            return -1;
        size_t i = e - 1;
        if (t->flags[i] & F_TEXT) {
            const char *p = t->pool + t->key[i];
            if ((unsigned char)p[0] == len && memcmp(p + 1, mpxn, len) == 0)
                return (long)i;
        }
    }
}

/* COPY text escapes; meter ids hold none in practice, but a registry is not ours to trust. */
static size_t unescape(char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            char c = s[++i];
            s[o++] = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
        } else {
            s[o++] = s[i];
        }
    }
    return o;
}

/* Ids that are no digit number wait here until the sorted part is indexed. */
struct later {
    char *text;
    size_t len, cap;
};

static int later_put(struct later *l, const char *s, size_t n, int64_t id, int iv, int gas)
{
    char head[64];
    int h = snprintf(head, sizeof head, "%lld %d %d %zu ", (long long)id, iv, gas, n);
    if (l->len + (size_t)h + n + 1 > l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4096;
        while (cap < l->len + (size_t)h + n + 1)
            cap *= 2;
        char *p = realloc(l->text, cap);
        if (!p)
            return -1;
        l->text = p;
        l->cap = cap;
    }
    memcpy(l->text + l->len, head, (size_t)h);
    memcpy(l->text + l->len + h, s, n);
    l->len += (size_t)h + n;
    return 0;
}

static int later_add(struct meter_table *t, struct later *l)
{
    char *p = l->text, *end = l->text + l->len;
    while (p < end) {
        char *q;
        long long id = strtoll(p, &q, 10);
        int iv = (int)strtol(q, &q, 10);
        int gas = (int)strtol(q, &q, 10);
        size_t n = (size_t)strtoull(q, &q, 10);
        q++;
        if (meters_find(t, q, n) < 0) {
            long i = meters_add(t, q, n, id, iv);
            if (i < 0)
                return -1;
            meters_set_gas(t, (size_t)i, gas);
        }
        p = q + n;
    }
    return 0;
}

int meters_load(PGconn *conn, struct meter_table *t, struct mo_err *err)
{
    meters_free(t);
    meters_init(t);
    const char *sql = sql_text(SQL_LOAD_METERS);
    PGresult *res = PQexec(conn, sql);
    if (PQresultStatus(res) != PGRES_COPY_OUT) {
        db_err_from_result(res, conn, err);
        PQclear(res);
        return -1;
    }
    PQclear(res);
    char *row;
    int n;
    int bad = 0;
    struct later later = { 0 };
    while ((n = PQgetCopyData(conn, &row, 0)) > 0) {
        /* mpxn \t meter_id \t interval_minutes \t gas (t/f) \n */
        char *tab1 = memchr(row, '\t', (size_t)n);
        char *tab2 = tab1 ? memchr(tab1 + 1, '\t', (size_t)(n - (tab1 + 1 - row))) : NULL;
        char *tab3 = tab2 ? memchr(tab2 + 1, '\t', (size_t)(n - (tab2 + 1 - row))) : NULL;
        if (!bad && tab1 && tab2 && tab3) {
            size_t len = unescape(row, (size_t)(tab1 - row));
            int64_t id = strtoll(tab1 + 1, NULL, 10);
            int iv = atoi(tab2 + 1);
            int gas = tab3[1] == 't';
            /* ids longer than 255 bytes match no row: every reader refuses them first */
            int got = meters_append(t, row, len, id, iv);
            if (got < 0)
                bad = 1;
            else if (got > 0)
                meters_set_gas(t, t->n - 1, gas);
            else if (len <= 255 && later_put(&later, row, len, id, iv, gas) < 0)
                bad = 1;
        }
        PQfreemem(row);
    }
    res = PQgetResult(conn);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok)
        db_err_from_result(res, conn, err);
    PQclear(res);
    while ((res = PQgetResult(conn)))
        PQclear(res);
    if (ok && !bad) {
        meters_shrink(t);
        if (meters_index(t) < 0 || later_add(t, &later) < 0)
            bad = 1;
    }
    free(later.text);
    if (!ok)
        return -1;
    if (bad)
        return mo_err_set(err, "out_of_memory", "out of memory loading the meter registry");
    return 0;
}
