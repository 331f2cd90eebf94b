/* reader_prices.c - dated unit prices of a tariff (meterops.tariff_price, doc/formats.md
 * "prices" and "lcl-prices"): registry feeds moved into the registry by
 * queries/load/upsert_prices.sql.
 *
 * Promises: both formats stage the same columns (tariff_code, starts, ends, unit_p_kwh),
 * times written as UTC "YYYY-MM-DDTHH:MM:SSZ", so one upsert serves both; a row reaches
 * the sink only when every field passes, otherwise it gets exactly one rejection naming
 * the file's own column.
 *
 * prices:      tariff_code,starts,ends,unit_p_kwh; starts and ends ISO 8601 with a zone
 *              (Octopus's API writes valid_from/valid_to so), unit_p_kwh pence a kWh,
 *              4 decimals at most, negative allowed (Agile prices fall below zero).
 * lcl-prices:  TariffDateTime,Tariff, the London trial's 2013 dynamic time-of-use
 *              schedule as it circulates: a half hour's start in GMT all year, written
 *              DD-MM-YYYY HH:MM or M/D/YY H:MM (Excel-resaved), and its level, Low, Normal
 *              or High, priced 3.99, 11.76 and 67.20 p/kWh as the trial published them,
 *              for the tariff coded LCL-DTOU (which the tariffs feed must define). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "backend/halfhour.h"
#include "backend/reader.h"

static const char *const price_cols[] = { "tariff_code", "starts", "ends", "unit_p_kwh", NULL };
static const char *const lcl_cols[] = { "TariffDateTime", "Tariff", NULL };

#define LCL_TARIFF "LCL-DTOU"

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int same(const char *s, size_t n, const char *lit)
{
    return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

static int header_is(const char *const *cols, char *const *f, const size_t *len, int n)
{
    int i = 0;
    for (; cols[i]; i++)
        if (i >= n || !same(f[i], len[i], cols[i]))
            return 0;
    return i == n;
}

static void reject(const struct reader_sink *sink, const char *const *cols, int col, const char *code,
                   const char *fmt, ...) MO_PRINTF(5, 6);
static void reject(const struct reader_sink *sink, const char *const *cols, int col, const char *code,
                   const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sink->reject(sink->ctx, col + 1, col >= 0 ? cols[col] : NULL, code, msg);
}

#define SHOWN(len, f, i) (int)((len)[i] > 60 ? 60 : (len)[i]), (f)[i]

static int count_ok(const struct reader_sink *sink, const char *name, int nfields, int ncols)
{
    if (nfields == ncols)
        return 1;
    char msg[160];
    snprintf(msg, sizeof msg, "line has %d field%s; a %s feed has %d", nfields,
             nfields == 1 ? "" : "s", name, ncols);
    sink->reject(sink->ctx, 0, NULL, RJ_FIELD_COUNT, msg);
    return 0;
}

/* Pence a kWh: [-]digits[.1-4 digits], at most 6 integer digits (numeric(10,4)). */
static int price_ok(const char *s, size_t n)
{
    size_t i = 0, a;
    if (i < n && s[i] == '-')
        i++;
    a = i;
    while (i < n && is_digit(s[i]))
        i++;
    if (i == a || i - a > 6)
        return 0;
    if (i == n)
        return 1;
    if (s[i++] != '.')
        return 0;
    a = i;
    while (i < n && is_digit(s[i]))
        i++;
    return i == n && i > a && i - a <= 4;
}

static int header_check(struct reader_state *st, const char *const *cols, char *const *f,
                        const size_t *len, int n, struct mo_err *err)
{
    if (header_is(cols, f, len, n))
        return 0;
    char want[128] = "";
    for (int i = 0; cols[i]; i++)
        snprintf(want + strlen(want), sizeof want - strlen(want), "%s%s", i ? "," : "", cols[i]);
    return mo_err_at(err, st->path, 1, 1, "header", "a %s feed's header is \"%s\"", st->fmt->name, want);
}

/* ---- prices ------------------------------------------------------------------------------ */

static int prices_sniff(char *const *f, const size_t *len, int n)
{
    return header_is(price_cols, f, len, n);
}

static int prices_header(struct reader_state *st, char *const *f, const size_t *len, int n,
                         struct mo_err *err)
{
    return header_check(st, price_cols, f, len, n, err);
}

static int key_ok(const char *s, size_t n)
{
    if (n < 1 || n > 32)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int alnum = is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        if (!alnum && (i == 0 || (c != '-' && c != '_')))
            return 0;
    }
    return 1;
}

static void prices_row(struct reader_state *st, char *const *f, const size_t *len, int n,
                       const struct reader_sink *sink)
{
    (void)st;
    int64_t starts, ends;
    int col;
    if (!count_ok(sink, "prices", n, 4))
        return;
    if (!key_ok(f[0], len[0])) {
        reject(sink, price_cols, 0, RJ_FIELD_INVALID, "tariff_code '%.*s' is not a tariff code "
               "(letters, digits, '-' and '_', at most 32)", SHOWN(len, f, 0));
        return;
    }
    if (ts_parse(f[1], len[1], 1, &starts, &col) < 0) {
        reject(sink, price_cols, 1, RJ_FIELD_INVALID, "starts '%.*s' is not a time with its zone "
               "like 2024-06-01T00:30:00Z", SHOWN(len, f, 1));
        return;
    }
    if (ts_parse(f[2], len[2], 1, &ends, &col) < 0) {
        reject(sink, price_cols, 2, RJ_FIELD_INVALID, "ends '%.*s' is not a time with its zone "
               "like 2024-06-01T01:00:00Z", SHOWN(len, f, 2));
        return;
    }
    if (ends <= starts) {
        reject(sink, price_cols, 2, RJ_FIELD_INVALID, "ends %.*s is not after starts %.*s",
               SHOWN(len, f, 2), SHOWN(len, f, 1));
        return;
    }
    if (starts < days_from_civil(1970, 1, 1) * 86400) {
        reject(sink, price_cols, 1, RJ_FIELD_INVALID, "starts %.*s is before 1970", SHOWN(len, f, 1));
        return;
    }
    if (!price_ok(f[3], len[3])) {
        reject(sink, price_cols, 3, RJ_FIELD_INVALID, "unit_p_kwh '%.*s' is not a price in pence "
               "like 24.5 (at most 4 decimals)", SHOWN(len, f, 3));
        return;
    }
    char a[32], b[32], code[40];
    ts_format_utc(starts, a);
    ts_format_utc(ends, b);
    snprintf(code, sizeof code, "%.*s", (int)len[0], f[0]);
    char price[32];
    snprintf(price, sizeof price, "%.*s", (int)len[3], f[3]);
    const char *values[4] = { code, a, b, price };
    sink->record(sink->ctx, values, 4);
}

/* ---- lcl-prices ------------------------------------------------------------------------- */

static int lcl_sniff(char *const *f, const size_t *len, int n)
{
    return header_is(lcl_cols, f, len, n);
}

static int lcl_header(struct reader_state *st, char *const *f, const size_t *len, int n,
                      struct mo_err *err)
{
    return header_check(st, lcl_cols, f, len, n, err);
}

/* 1 or 2 digits, or exactly 4 when four is set; -1 when absent. */
static int number(const char *s, size_t n, size_t *i, int maxd)
{
    int v = 0, k = 0;
    while (*i < n && is_digit(s[*i]) && k < maxd) {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        k++;
    }
    return k ? v * 10 + k : -1; /* the digit count in the last place */
}

/* "DD-MM-YYYY HH:MM" (also with '/') or "M/D/YY H:MM", GMT: seconds since 1970 UTC. */
static int lcl_time(const char *s, size_t n, int64_t *t)
{
    size_t i = 0;
    int a = number(s, n, &i, 2);
    if (a < 0 || i >= n || (s[i] != '-' && s[i] != '/'))
        return -1;
    char sep = s[i++];
    int b = number(s, n, &i, 2);
    if (b < 0 || i >= n || s[i++] != sep)
        return -1;
    int c = number(s, n, &i, 4);
    if (c < 0 || i >= n || s[i++] != ' ')
        return -1;
    int h = number(s, n, &i, 2);
    if (h < 0 || i >= n || s[i++] != ':')
        return -1;
    int mi = number(s, n, &i, 2);
    if (mi < 0 || mi % 10 != 2 || i != n)
        return -1;
    int y, m, d;
    if (c % 10 == 4) {          /* DD-MM-YYYY: two digits each, as ESB writes */
        if (a % 10 != 2 || b % 10 != 2)
            return -1;
        d = a / 10, m = b / 10, y = c / 10;
    } else if (c % 10 == 2 && sep == '/') { /* M/D/YY, Excel's US short date */
        m = a / 10, d = b / 10, y = 2000 + c / 10;
    } else {
        return -1;
    }
    h /= 10;
    mi /= 10;
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m) || h > 23 || mi > 59)
        return -1;
    *t = days_from_civil(y, m, d) * 86400 + h * 3600 + mi * 60;
    return 0;
}

static void lcl_row(struct reader_state *st, char *const *f, const size_t *len, int n,
                    const struct reader_sink *sink)
{
    (void)st;
    int64_t t;
    if (!count_ok(sink, "lcl-prices", n, 2))
        return;
    if (lcl_time(f[0], len[0], &t) < 0) {
        reject(sink, lcl_cols, 0, RJ_FIELD_INVALID, "TariffDateTime '%.*s' is not a time written "
               "DD-MM-YYYY HH:MM or M/D/YY H:MM", SHOWN(len, f, 0));
        return;
    }
    if (t % 1800 != 0) {
        reject(sink, lcl_cols, 0, RJ_FIELD_INVALID, "TariffDateTime '%.*s' is not the start of a "
               "half hour", SHOWN(len, f, 0));
        return;
    }
    const char *price = same(f[1], len[1], "Low") ? "3.99"
                      : same(f[1], len[1], "Normal") ? "11.76"
                      : same(f[1], len[1], "High") ? "67.20" : NULL;
    if (!price) {
        reject(sink, lcl_cols, 1, RJ_FIELD_INVALID, "Tariff '%.*s' is not Low, Normal or High",
               SHOWN(len, f, 1));
        return;
    }
    char a[32], b[32];
    ts_format_utc(t, a);
    ts_format_utc(t + 1800, b);
    const char *values[4] = { LCL_TARIFF, a, b, price };
    sink->record(sink->ctx, values, 4);
}

const struct reader_format reader_prices = {
    "prices", "registry: dated unit prices (tariff_code,starts,ends,unit_p_kwh)",
    READER_REGISTRY, 0, prices_sniff, prices_header, prices_row, price_cols,
    SQL_LOAD_UPSERT_PRICES, 0, NULL, READER_STAGE_REGISTRY, 0, NULL,
};
const struct reader_format reader_lcl_prices = {
    "lcl-prices", "registry: the London trial's 2013 dynamic time-of-use schedule (TariffDateTime,Tariff) as tariff LCL-DTOU",
    READER_REGISTRY, 0, lcl_sniff, lcl_header, lcl_row, price_cols,
    SQL_LOAD_UPSERT_PRICES, 0, NULL, READER_STAGE_REGISTRY, 0, NULL,
};
