/* meters.c - see meters.h. */
#include "backend/meters.h"

#include <stdlib.h>
#include <string.h>

#include "backend/db.h"
#include "backend/sql.h"
#include "backend/zalloc.h"

/* Meter ids are short digit strings; mix them eight bytes at a time. */
static uint64_t id_hash(const char *s, size_t len)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (len * 0xC2B2AE3D27D4EB4FULL);
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
        s += 8;
        len -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, s, len);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 29;
    h *= 0xFF51AFD7ED558CCDULL;
    return h ^ (h >> 32);
}

void meters_init(struct meter_table *t)
{
    memset(t, 0, sizeof *t);
}

void meters_free(struct meter_table *t)
{
    free(t->id32);
    free(t->id64);
    free(t->interval);
    free(t->gas);
    free(t->off);
    free(t->len);
    free(t->pool);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

static int rehash(struct meter_table *t, size_t nslots)
{
    uint32_t *s = zalloc(nslots, sizeof *s);
    if (!s)
        return -1;
    free(t->slots);
    t->slots = s;
    t->mask = nslots - 1;
    for (size_t i = 0; i < t->n; i++) {
        size_t k = id_hash(t->pool + t->off[i], t->len[i]) & t->mask;
        while (s[k])
            k = (k + 1) & t->mask;
        s[k] = (uint32_t)(i + 1);
    }
    return 0;
}

static int grow_entries(struct meter_table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
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
    uint8_t *iv = realloc(t->interval, cap);
    if (!iv)
        return -1;
    t->interval = iv;
    uint8_t *gas = realloc(t->gas, (cap + 7) / 8);
    if (!gas)
        return -1;
    memset(gas + (t->cap + 7) / 8, 0, (cap + 7) / 8 - (t->cap + 7) / 8);
    t->gas = gas;
    uint32_t *off = realloc(t->off, cap * sizeof *off);
    if (!off)
        return -1;
    t->off = off;
    uint8_t *len = realloc(t->len, cap);
    if (!len)
        return -1;
    t->len = len;
    t->cap = cap;
    return 0;
}

long meters_add(struct meter_table *t, const char *mpxn, size_t len, int64_t id, int interval)
{
    if (len > 255)
        return -1;
    if (t->n == t->cap && grow_entries(t) < 0)
        return -1;
    if (t->pool_used + len > t->pool_cap) {
        size_t cap = t->pool_cap ? t->pool_cap * 2 : 16384;
        while (cap < t->pool_used + len)
            cap *= 2;
        if (cap > UINT32_MAX)
            return -1;
        char *p = realloc(t->pool, cap);
        if (!p)
            return -1;
        t->pool = p;
        t->pool_cap = cap;
    }
    /* keep the load factor at or below one half: probes stay short */
    if ((t->n + 1) * 2 > t->mask + 1 || !t->slots) {
        size_t want = t->slots ? (t->mask + 1) * 2 : 2048;
        while ((t->n + 1) * 2 > want)
            want *= 2;
        if (rehash(t, want) < 0)
            return -1;
    }
    size_t i = t->n++;
    memcpy(t->pool + t->pool_used, mpxn, len);
    t->off[i] = (uint32_t)t->pool_used;
    t->len[i] = (uint8_t)len;
    t->pool_used += len;
    if (!t->id64 && (id < 0 || id > (int64_t)UINT32_MAX)) {
        /* a meter_id beyond 32 bits: widen every id */
        int64_t *wide = malloc(t->cap * sizeof *wide);
        if (!wide) {
            t->n--;
            return -1;
        }
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
    t->interval[i] = (uint8_t)interval;
    meters_set_gas(t, i, 0);
    size_t k = id_hash(mpxn, len) & t->mask;
    while (t->slots[k])
        k = (k + 1) & t->mask;
    t->slots[k] = (uint32_t)(i + 1);
    return (long)i;
}

/* Gives back what doubling left unused: a national registry (3.5M meters) would
 * otherwise hold up to twice its size. Large blocks shrink in place (mremap). */
void meters_shrink(struct meter_table *t)
{
    if (t->n == 0 || t->n == t->cap)
        return;
    if (t->id64) {
        int64_t *id = realloc(t->id64, t->n * sizeof *id);
        if (id)
            t->id64 = id;
    } else {
        uint32_t *id = realloc(t->id32, t->n * sizeof *id);
        if (id)
            t->id32 = id;
    }
    uint8_t *iv = realloc(t->interval, t->n);
    uint8_t *gas = realloc(t->gas, (t->n + 7) / 8);
    uint32_t *off = realloc(t->off, t->n * sizeof *off);
    uint8_t *len = realloc(t->len, t->n);
    char *pool = realloc(t->pool, t->pool_used ? t->pool_used : 1);
    /* a failed shrink leaves the old block, which is still valid */
    if (iv)
        t->interval = iv;
    if (gas)
        t->gas = gas;
    if (off)
        t->off = off;
    if (len)
        t->len = len;
    t->cap = t->n; /* every block holds at least n entries, shrunk or not */
    if (pool)
        t->pool = pool, t->pool_cap = t->pool_used ? t->pool_used : 1;
}

long meters_find(const struct meter_table *t, const char *mpxn, size_t len)
{
    if (!t->slots)
        return -1;
    size_t k = id_hash(mpxn, len) & t->mask;
    for (;;) {
        uint32_t e = t->slots[k];
        if (!e)
            return -1;
        size_t i = e - 1;
        if (t->len[i] == len && memcmp(t->pool + t->off[i], mpxn, len) == 0)
            return (long)i;
        k = (k + 1) & t->mask;
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
    while ((n = PQgetCopyData(conn, &row, 0)) > 0) {
        /* mpxn \t meter_id \t interval_minutes \t gas (t/f) \n */
        char *tab1 = memchr(row, '\t', (size_t)n);
        char *tab2 = tab1 ? memchr(tab1 + 1, '\t', (size_t)(n - (tab1 + 1 - row))) : NULL;
        char *tab3 = tab2 ? memchr(tab2 + 1, '\t', (size_t)(n - (tab2 + 1 - row))) : NULL;
        if (!bad && tab1 && tab2 && tab3) {
            size_t len = unescape(row, (size_t)(tab1 - row));
            int64_t id = strtoll(tab1 + 1, NULL, 10);
            int iv = atoi(tab2 + 1);
            /* ids longer than 255 bytes match no row: every reader refuses them first */
            long i = len <= 255 ? meters_add(t, row, len, id, iv) : -2;
            if (i == -1)
                bad = 1;
            else if (i >= 0)
                meters_set_gas(t, (size_t)i, tab3[1] == 't');
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
    if (!ok)
        return -1;
    if (bad)
        return mo_err_set(err, "out_of_memory", "out of memory loading the meter registry");
    meters_shrink(t);
    return 0;
}
