/* reader_wide.c - format `wide`: one meter-day per line.
 *
 *   mpxn,date,0000,0030,...,2330
 *
 * `date` is a UTC day (YYYY-MM-DD); each further column is one interval of that day,
 * named by its UTC start HHMM. The header fixes the interval for the whole file: 24
 * columns (0000,0100,...) mean hourly, 48 (0000,0030,...) half-hourly, 96 (0000,0015,...)
 * quarter-hourly. Values are kWh decimals turned into exact Wh; an empty cell is an
 * interval the meter did not report (nothing is emitted for it, it is not a fault).
 * Any other bad cell rejects the whole line, naming the first bad column, so a meter-day
 * never lands half. This is also the layout `meterops gen --format wide` writes.
 *
 * Hot path: the loader calls wide_row for every line of national-scale files, so it does
 * no allocation and converts each cell with one pass over its digits. */
#include "backend/reader.h"

#include <stdio.h>
#include <string.h>

#include "backend/halfhour.h"
#include "backend/kwh_decimal.h"
#include "backend/mpan.h"

#define WIDE_MAX_SLOTS 96

struct wide_priv {
    int minutes;    /* interval length, from the header */
    int nslots;     /* interval columns: 1440 / minutes */
    int64_t max_wh; /* MO_MAX_WH_PER_HOUR scaled to the interval */
};

static int field_is(const char *f, size_t len, const char *want)
{
    size_t n = strlen(want);
    return len == n && memcmp(f, want, n) == 0;
}

/* "HHMM" of the interval starting `minute` minutes after midnight. */
static void slot_name(int minute, char out[5])
{
    out[0] = (char)('0' + minute / 600);
    out[1] = (char)('0' + minute / 60 % 10);
    out[2] = (char)('0' + minute % 60 / 10);
    out[3] = (char)('0' + minute % 10);
    out[4] = '\0';
}

static int wide_sniff(char *const *f, const size_t *l, int n)
{
    return n >= 3 && field_is(f[0], l[0], "mpxn") && field_is(f[1], l[1], "date") &&
           field_is(f[2], l[2], "0000");
}

static int wide_header(struct reader_state *st, char *const *f, const size_t *l, int n,
                       struct mo_err *err)
{
    struct wide_priv *p = st->priv;
    if (n < 1 || !field_is(f[0], l[0], "mpxn"))
        return mo_err_at(err, st->path, st->line, 1, "header",
                         "wide header must start with mpxn,date,0000: column 1 is '%.40s'",
                         n >= 1 ? f[0] : "");
    if (n < 2 || !field_is(f[1], l[1], "date"))
        return mo_err_at(err, st->path, st->line, 2, "header",
                         "wide header must start with mpxn,date,0000: column 2 is '%.40s'",
                         n >= 2 ? f[1] : "");
    if (n < 3 || !field_is(f[2], l[2], "0000"))
        return mo_err_at(err, st->path, st->line, 3, "header",
                         "wide header: the first interval column must be 0000 (UTC start "
                         "of the day's first interval), found '%.40s'", n >= 3 ? f[2] : "");
    /* The second interval's start tells the interval length. */
    int minutes = 0;
    if (n >= 4) {
        if (field_is(f[3], l[3], "0015"))
            minutes = 15;
        else if (field_is(f[3], l[3], "0030"))
            minutes = 30;
        else if (field_is(f[3], l[3], "0100"))
            minutes = 60;
    }
    if (minutes == 0)
        return mo_err_at(err, st->path, st->line, 4, "header",
                         "wide header: after 0000 the next interval column must be 0015, "
                         "0030 or 0100 (15-, 30- or 60-minute intervals), found '%.40s'",
                         n >= 4 ? f[3] : "(nothing)");
    int nslots = 1440 / minutes;
    char want[5], last[5];
    slot_name(1440 - minutes, last);
    for (int i = 0; i + 2 < n; i++) {
        if (i >= nslots)
            return mo_err_at(err, st->path, st->line, i + 3, "header",
                             "wide header: extra column '%.40s' after %s; a %d-minute day "
                             "has exactly %d interval columns", f[i + 2], last, minutes, nslots);
        slot_name(i * minutes, want);
        if (!field_is(f[i + 2], l[i + 2], want))
            return mo_err_at(err, st->path, st->line, i + 3, "header",
                             "wide header: column %d is '%.40s', expected '%s' (%d-minute "
                             "intervals named by their UTC start HHMM)", i + 3, f[i + 2],
                             want, minutes);
    }
    if (n - 2 < nslots)
        return mo_err_at(err, st->path, st->line, n, "header",
                         "wide header stops at '%.40s'; a %d-minute day needs %d interval "
                         "columns, 0000 to %s", f[n - 1], minutes, nslots, last);
    p->minutes = minutes;
    p->nslots = nslots;
    p->max_wh = (int64_t)MO_MAX_WH_PER_HOUR * minutes / 60;
    return 0;
}

static void reject(const struct reader_sink *sink, int column, const char *name,
                   const char *code, const char *msg)
{
    sink->reject(sink->ctx, column, name, code, msg);
}

/* A value cell's fault, or NULL when it is fine. */
static const char *cell_fault(const struct wide_priv *p, const char *s, size_t len,
                              int64_t *wh, char *msg, size_t msgsz, const char *name)
{
    switch (kwh_to_wh(s, len, wh)) {
    case KWH_OK:
        if (*wh <= p->max_wh)
            return NULL;
        snprintf(msg, msgsz, "interval %s: %.40s kWh is more than a %d-minute interval can "
                 "plausibly hold (%lld Wh at most); a unit or decimal-point error?",
                 name, s, p->minutes, (long long)p->max_wh);
        return RJ_VALUE_RANGE;
    case KWH_NEGATIVE:
        snprintf(msg, msgsz, "interval %s: %.40s kWh is negative; wide files carry import "
                 "energy, which cannot be below zero", name, s);
        return RJ_VALUE_RANGE;
    case KWH_TOO_LARGE:
        snprintf(msg, msgsz, "interval %s: %.40s kWh is far beyond any meter's range", name, s);
        return RJ_VALUE_RANGE;
    case KWH_SYNTAX:
        break;
    }
    if (field_is(s, len, "Null") || field_is(s, len, "NULL") || field_is(s, len, "null")) {
        snprintf(msg, msgsz, "interval %s: value is '%s'; leave the cell empty for an "
                 "interval the meter did not report", name, s);
        return RJ_VALUE_MISSING;
    }
    snprintf(msg, msgsz, "interval %s: '%.40s' is not a kWh value (digits with an optional "
             "decimal point, e.g. 0.219)", name, s);
    return RJ_VALUE_SYNTAX;
}

static void wide_row(struct reader_state *st, char *const *f, const size_t *l, int n,
                     const struct reader_sink *sink)
{
    const struct wide_priv *p = st->priv;
    char msg[320];
    if (n != p->nslots + 2) {
        snprintf(msg, sizeof msg, "line has %d fields; the header has %d (mpxn, date and %d "
                 "intervals of %d minutes)", n, p->nslots + 2, p->nslots, p->minutes);
        reject(sink, 0, NULL, RJ_FIELD_COUNT, msg);
        return;
    }
    struct mpxn_id id;
    const char *idcode = mpxn_parse(f[0], l[0], &id);
    if (idcode) {
        mpxn_explain(f[0], l[0], idcode, msg, sizeof msg);
        reject(sink, 1, "mpxn", idcode, msg);
        return;
    }
    int64_t day;
    if (date_parse(f[1], l[1], &day) < 0) {
        snprintf(msg, sizeof msg, "date '%.40s' is not a calendar date (YYYY-MM-DD, the UTC "
                 "day)", f[1]);
        reject(sink, 2, "date", RJ_TIMESTAMP, msg);
        return;
    }
    /* Convert every cell before emitting any, so a bad cell rejects the whole line. */
    int64_t wh[WIDE_MAX_SLOTS];
    for (int i = 0; i < p->nslots; i++) {
        const char *s = f[i + 2];
        size_t len = l[i + 2];
        if (len == 0) {
            wh[i] = -1;
            continue;
        }
        /* Fast path for the common "d.ddd" shape (what the generator and most exports
         * write); anything else goes through the general parser. */
        if (len == 5 && s[1] == '.' && (unsigned)(s[0] - '0') < 10 &&
            (unsigned)(s[2] - '0') < 10 && (unsigned)(s[3] - '0') < 10 &&
            (unsigned)(s[4] - '0') < 10) {
            wh[i] = (s[0] - '0') * 1000 + (s[2] - '0') * 100 + (s[3] - '0') * 10 + (s[4] - '0');
            if (wh[i] <= p->max_wh)
                continue;
        }
        char name[5];
        slot_name(i * p->minutes, name);
        const char *code = cell_fault(p, s, len, &wh[i], msg, sizeof msg, name);
        if (code) {
            reject(sink, i + 3, name, code, msg);
            return;
        }
    }
    struct reading r = {
        .mpxn = id.id, .mpxn_len = id.len, .minutes = p->minutes, .quality = 'A', .channel = 0,
    };
    int64_t start = day * 86400;
    int64_t step = (int64_t)p->minutes * 60;
    for (int i = 0; i < p->nslots; i++, start += step) {
        if (wh[i] < 0)
            continue;
        r.start = start;
        r.wh = wh[i];
        r.column = i + 3;
        sink->reading(sink->ctx, &r);
    }
}

const struct reader_format reader_wide = {
    .name = "wide",
    .summary = "mpxn,date,0000,0030,...: one meter per UTC day per line, kWh per interval",
    .kind = READER_READINGS,
    .stage = READER_STAGE_READINGS,
    .state_size = sizeof(struct wide_priv),
    .flags = READER_PARALLEL, /* rows read only what header() set up */
    .sniff = wide_sniff,
    .header = wide_header,
    .row = wide_row,
};
