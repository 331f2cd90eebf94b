/* reader_long.c - format `long`: one reading per line.
 *
 *   mpxn,timestamp,kwh[,quality]
 *   2700003645222,2024-06-01T00:30:00Z,0.215,A
 *
 * - mpxn: a 13-digit MPAN core (check digit verified), a 21-digit full MPAN (its core's
 *   check digit verified) or a 6-10 digit gas MPRN.
 * - timestamp: ISO 8601 interval START with a zone: Z, +HH:MM, +HHMM or +HH (see
 *   ts_parse). The interval length is the meter's (registry), so the loader checks
 *   alignment and the plausible range scaled to it.
 * - kwh: a decimal number of kWh; converted to Wh exactly from the decimal digits and
 *   rounded half away from zero (0.2185 -> 219 Wh) by kwh_decimal.h, as in every format.
 *   No exponent, no thousands separator.
 *   Empty, "Null"/"null"/"NULL" or "NaN" is value_missing.
 * - quality (optional column): A actual, E estimated; empty means A.
 *
 * This is the loader's hot path: a national day is 168M of these lines. long_fast reads
 * the commonest line shape straight from the buffer, skipping the meter id and the date
 * when they repeat the last line's; any other line (and every fault) goes through the
 * CSV splitter and long_row, whose stamp parser caches the date's day number and whose
 * meter id check is cached while the id repeats. tests/integration/load_fastpath.sh
 * checks that both paths leave the same rows and errors. Rows do not
 * depend on each other, so chunks of one file parse on several threads (READER_PARALLEL). */
#include "backend/reader.h"

#include <stdio.h>
#include <string.h>

#include "backend/halfhour.h"
#include "backend/kwh_decimal.h"
#include "backend/mpan.h"
#include "backend/samebytes.h"

static const char *const long_names[4] = { "mpxn", "timestamp", "kwh", "quality" };

/* Per-thread state (each worker gets a copy of what header() set up). */
struct long_priv {
    int nfields;            /* 3, or 4 with the quality column */
    /* last meter id seen and what it was: 0 valid, else the rejection code */
    char last_mpxn[24];
    size_t last_mpxn_len;
    const char *last_mpxn_code;
    /* last date prefix (YYYY-MM-DD) and its day number */
    char last_date[10];
    int64_t last_day;
    int have_date;
    /* long_fast: "MPXN,YYYY-MM-DDT" of the last line whose meter id and date it found
     * valid, and that date's day number; a line that starts the same needs neither
     * looked at again (files run meter by meter, a day at a time) */
    char fast_prefix[40];
    size_t fast_plen;
    int64_t fast_day;
};

static int is_missing(const char *s, size_t n)
{
    static const char *const words[] = { "Null", "null", "NULL", "NaN", "nan", "NAN" };
    if (n == 0)
        return 1;
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
        if (n == strlen(words[k]) && memcmp(s, words[k], n) == 0)
            return 1;
    return 0;
}

static inline int dig2(const char *s, int *v)
{
    unsigned a = (unsigned)(s[0] - '0'), b = (unsigned)(s[1] - '0');
    if (a > 9 || b > 9)
        return -1;
    *v = (int)(a * 10 + b);
    return 0;
}

/* "YYYY-MM-DDTHH:MM:SSZ" and "YYYY-MM-DDTHH:MM:SS+HH:MM" ('T' or ' '). Returns -1 for
 * anything else, including invalid values; the caller then asks ts_parse, which also
 * says where the stamp went wrong. */
static int ts_fast(struct long_priv *p, const char *s, size_t n, int64_t *out)
{
    if ((n != 20 && n != 25) || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
        s[13] != ':' || s[16] != ':')
        return -1;
    int64_t day;
    uint64_t d8, k8;
    uint16_t d2, k2;
    memcpy(&d8, s, 8);
    memcpy(&k8, p->last_date, 8);
    memcpy(&d2, s + 8, 2);
    memcpy(&k2, p->last_date + 8, 2);
    if (p->have_date && d8 == k8 && d2 == k2) {
        day = p->last_day;
    } else {
        int c1, c2, mo, d;
        if (dig2(s, &c1) < 0 || dig2(s + 2, &c2) < 0 || dig2(s + 5, &mo) < 0 ||
            dig2(s + 8, &d) < 0)
            return -1;
        int y = c1 * 100 + c2;
        if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
            return -1;
        day = days_from_civil(y, mo, d);
        memcpy(p->last_date, s, 10);
        p->last_day = day;
        p->have_date = 1;
    }
    int h, mi, sec;
    if (dig2(s + 11, &h) < 0 || dig2(s + 14, &mi) < 0 || dig2(s + 17, &sec) < 0 || h > 23 ||
        mi > 59 || sec > 59)
        return -1;
    int64_t t = day * 86400 + h * 3600 + mi * 60 + sec;
    if (n == 20) {
        if (s[19] != 'Z')
            return -1;
    } else {
        int oh, om;
        if ((s[19] != '+' && s[19] != '-') || s[22] != ':' || dig2(s + 20, &oh) < 0 ||
            dig2(s + 23, &om) < 0 || oh > 14 || om > 59)
            return -1;
        int off = oh * 3600 + om * 60;
        t -= s[19] == '-' ? -off : off;
    }
    *out = t;
    return 0;
}

/* Valid meter id, or the rejection code (mpan.h: mpxn_parse, the one rule); cached while
 * the id repeats (files are mostly grouped by meter). *off is where the meter's one
 * spelling starts in s (8 for a full MPAN: its core), *idn its length. */
static const char *mpxn_check(struct long_priv *p, const char *s, size_t n, size_t *off, size_t *idn)
{
    *off = n == 21 ? 8 : 0;
    *idn = n == 21 ? 13 : n;
    if (n == p->last_mpxn_len && n > 0 && same_bytes(s, p->last_mpxn, n))
        return p->last_mpxn_code;
    const char *code = mpxn_parse(s, n, NULL);
    if (n <= sizeof p->last_mpxn) {
        memcpy(p->last_mpxn, s, n);
        p->last_mpxn_len = n;
        p->last_mpxn_code = code;
    }
    return code;
}

static int long_sniff(char *const *f, const size_t *l, int n)
{
    if (n != 3 && n != 4)
        return 0;
    for (int c = 0; c < n; c++)
        if (l[c] != strlen(long_names[c]) || memcmp(f[c], long_names[c], l[c]) != 0)
            return 0;
    return 1;
}

static int long_header(struct reader_state *st, char *const *f, const size_t *l, int n,
                       struct mo_err *err)
{
    struct long_priv *p = st->priv;
    for (int c = 0; c < n && c < 4; c++)
        if (l[c] != strlen(long_names[c]) || memcmp(f[c], long_names[c], l[c]) != 0)
            return mo_err_at(err, st->path, st->line, c + 1, "header",
                             "column %d of the header is '%.40s'; the long format's header is "
                             "mpxn,timestamp,kwh[,quality]", c + 1, f[c]);
    if (n != 3 && n != 4)
        return mo_err_at(err, st->path, st->line, n < 3 ? n + 1 : 5, "header",
                         "the header has %d columns; the long format's header is "
                         "mpxn,timestamp,kwh[,quality]", n);
    p->nfields = n;
    return 0;
}

static void long_row(struct reader_state *st, char *const *f, const size_t *l, int n,
                     const struct reader_sink *sink)
{
    struct long_priv *p = st->priv;
    char msg[256];
    if (n != p->nfields) {
        snprintf(msg, sizeof msg, "line has %d field%s; this long file has %d (%s)", n,
                 n == 1 ? "" : "s", p->nfields,
                 p->nfields == 4 ? "mpxn,timestamp,kwh,quality" : "mpxn,timestamp,kwh");
        sink->reject(sink->ctx, 0, NULL, RJ_FIELD_COUNT, msg);
        return;
    }
    size_t idoff, idn;
    const char *code = mpxn_check(p, f[0], l[0], &idoff, &idn);
    if (code) {
        mpxn_explain(f[0], l[0], code, msg, sizeof msg);
        sink->reject(sink->ctx, 1, long_names[0], code, msg);
        return;
    }
    int64_t start;
    if (ts_fast(p, f[1], l[1], &start) < 0) {
        int col = 0;
        if (ts_parse(f[1], l[1], 1, &start, &col) < 0) {
            snprintf(msg, sizeof msg, "'%.40s' is not an ISO 8601 interval start with a zone, "
                     "e.g. 2024-06-01T00:30:00Z (wrong at character %d)", f[1], col);
            sink->reject(sink->ctx, 2, long_names[1], RJ_TIMESTAMP, msg);
            return;
        }
    }
    int64_t wh = 0;
    switch (kwh_to_wh(f[2], l[2], &wh)) {
    case KWH_OK:
        if (wh > MO_MAX_WH_PER_HOUR) {
            snprintf(msg, sizeof msg, "%.40s kWh is more than any meter here records in an "
                     "interval (at most %d Wh in an hour)", f[2], MO_MAX_WH_PER_HOUR);
            sink->reject(sink->ctx, 3, long_names[2], RJ_VALUE_RANGE, msg);
            return;
        }
        break;
    case KWH_NEGATIVE:
        snprintf(msg, sizeof msg, "%.40s kWh is negative; import is recorded as positive "
                 "energy", f[2]);
        sink->reject(sink->ctx, 3, long_names[2], RJ_VALUE_RANGE, msg);
        return;
    case KWH_TOO_LARGE:
        snprintf(msg, sizeof msg, "%.40s kWh is far beyond any meter's range", f[2]);
        sink->reject(sink->ctx, 3, long_names[2], RJ_VALUE_RANGE, msg);
        return;
    case KWH_SYNTAX:
        if (is_missing(f[2], l[2])) {
            snprintf(msg, sizeof msg, "no value for the interval starting %.40s", f[1]);
            sink->reject(sink->ctx, 3, long_names[2], RJ_VALUE_MISSING, msg);
        } else {
            snprintf(msg, sizeof msg, "kwh '%.40s' is not a decimal number (digits with an "
                     "optional decimal point, e.g. 0.215)", f[2]);
            sink->reject(sink->ctx, 3, long_names[2], RJ_VALUE_SYNTAX, msg);
        }
        return;
    }
    char quality = 'A';
    if (n == 4 && l[3] > 0) {
        if (l[3] != 1 || (f[3][0] != 'A' && f[3][0] != 'E')) {
            snprintf(msg, sizeof msg, "quality '%.20s' is neither A (actual) nor E (estimated)",
                     f[3]);
            sink->reject(sink->ctx, 4, long_names[3], RJ_VALUE_SYNTAX, msg);
            return;
        }
        quality = f[3][0];
    }
    struct reading r = {
        .mpxn = f[0] + idoff, .mpxn_len = idn, .start = start, .minutes = 0, .wh = wh,
        .quality = quality, .channel = 0, .column = 2, .value_column = 3,
    };
    sink->reading(sink->ctx, &r);
}

/* "d.ddd" followed by a delimiter, the generator's and most meters' shape, without
 * kwh_to_wh's loop; anything else goes to kwh_to_wh. Returns the value's length or 0. */
static inline size_t kwh_common(const char *v, const char *end, int64_t *wh)
{
    if (end - v < 6 || v[1] != '.' || (v[5] != ',' && v[5] != '\n'))
        return 0;
    unsigned a = (unsigned)(v[0] - '0'), b = (unsigned)(v[2] - '0'), c = (unsigned)(v[3] - '0'),
             d = (unsigned)(v[4] - '0');
    if (a > 9 || b > 9 || c > 9 || d > 9)
        return 0;
    *wh = (int64_t)(a * 1000 + b * 100 + c * 10 + d);
    return 5;
}

/* The shape nearly every line has: digits,YYYY-MM-DDTHH:MM:SSZ,kwh[,A|E|] with no blank,
 * quote or carriage return. Every check row() makes is made here too, by the same
 * functions; anything short of a clean reading returns 0 and row() reads the line. */
static size_t long_fast(struct reader_state *st, const char *s, const char *end,
                        struct reading *r)
{
    struct long_priv *p = st->priv;
    size_t pl = p->fast_plen, idn;
    const char *t;
    int64_t start;
    if (pl && (size_t)(end - s) > pl + 10 && same_bytes(s, p->fast_prefix, pl)) {
        /* same meter and date as a line already found valid: the time of day only */
        idn = pl - 12;
        t = s + idn + 1;
        int h, mi, sec;
        if (t[13] != ':' || t[16] != ':' || t[19] != 'Z' || t[20] != ',' || dig2(t + 11, &h) < 0 ||
            dig2(t + 14, &mi) < 0 || dig2(t + 17, &sec) < 0 || h > 23 || mi > 59 || sec > 59)
            return 0;
        start = p->fast_day * 86400 + h * 3600 + mi * 60 + sec;
    } else {
        const char *q = s;
        while (q < end && (unsigned)(*q - '0') <= 9)
            q++;
        idn = (size_t)(q - s);
        size_t off, cn;
        /* a full MPAN (21 digits) goes through row(), which emits its core */
        if (q == end || *q != ',' || idn == 0 || idn > 13 || mpxn_check(p, s, idn, &off, &cn))
            return 0;
        t = q + 1;
        if (end - t < 21 || t[20] != ',' || ts_fast(p, t, 20, &start) < 0)
            return 0;
        p->fast_plen = idn + 12;
        memcpy(p->fast_prefix, s, p->fast_plen);
        p->fast_day = floor_div(start, 86400);
    }
    const char *v = t + 21, *w;
    int64_t wh;
    size_t vn = kwh_common(v, end, &wh);
    if (vn) {
        w = v + vn;
    } else {
        w = v;
        while (w < end && ((unsigned)(*w - '0') <= 9 || *w == '.'))
            w++;
        if (w == v || kwh_to_wh(v, (size_t)(w - v), &wh) != KWH_OK || wh > MO_MAX_WH_PER_HOUR)
            return 0;
    }
    char quality = 'A';
    if (p->nfields == 4) {
        if (w == end || *w != ',')
            return 0;
        w++;
        if (w < end && (*w == 'A' || *w == 'E'))
            quality = *w++;
    }
    if (w < end && *w != '\n')
        return 0;
    *r = (struct reading){
        .mpxn = s, .mpxn_len = idn, .start = start, .minutes = 0, .wh = wh,
        .quality = quality, .channel = 0, .column = 2, .value_column = 3,
    };
    return (size_t)(w - s);
}

const struct reader_format reader_long = {
    .name = "long",
    .summary = "one reading per line: mpxn,timestamp,kwh[,quality] (ISO 8601 interval start with zone)",
    .kind = READER_READINGS,
    .stage = READER_STAGE_READINGS,
    .state_size = sizeof(struct long_priv),
    .sniff = long_sniff,
    .header = long_header,
    .row = long_row,
    .flags = READER_PARALLEL,
    .fast_line = long_fast,
};
