/* reader_esb.c - format `esb-hdf`: ESB Networks (Ireland) smart-meter "HDF" downloads.
 *
 *   MPRN,Meter Serial Number,Read Value,Read Type,Read Date and End Time
 *   XXXX,XXXX,0.1610,Active Import Interval (kWh),04-10-2024 01:00
 *
 * (older downloads mask the header too: "XXX,XXX,Read Value,..."). One reading per line.
 *
 * - Read Type picks channel and unit: "Active Import Interval (kWh)" is channel 0 and
 *   "Active Export Interval (kWh)" channel 1, values in kWh; the "(kW)" variants are the
 *   average power over the half hour, so the energy is kW / 2.
 * - The stamp is LOCAL Europe/Dublin time (same EU rule as London) and marks the END of
 *   the half hour: start = UTC(end) - 30 min. The end is converted, not the start, so an
 *   interval ending at 02:00 on the spring-forward night (01:00 UTC) is right.
 * - Spring: local 01:00 and 01:30 do not exist that night; a row stamped with one is
 *   rejected (timestamp_syntax).
 * - Autumn: local 01:00 and 01:30 happen twice. ESB writes both copies, in file order.
 *   Files run newest first (descending), so there the FIRST copy of a (meter, read type,
 *   stamp) is the LATER instant (GMT) and the second the earlier one (IST); an ascending
 *   file is the other way round. The direction is decided by the first stamp that differs
 *   from the first row's; until then the file is taken as descending, ESB's documented
 *   order. A third copy is paired like the first, so the loader reports it as a duplicate.
 * - MPRNs are usually masked ("XXXX"): the reading carries the field as written and the
 *   loader's --meter / --export-meter options name the registered meters. */
#include "backend/reader_esb.h"

#include <stdio.h>
#include <string.h>

#include "backend/halfhour.h"
#include "backend/kwh_decimal.h"
#include "backend/mpan.h"

#define ESB_MINUTES 30
#define ESB_NAME_MAX 48
/* Ambiguous autumn stamps remembered at once: 2 stamps x 4 read types x 8 meters. Entries
 * more than a day away from the current row are dropped when the table fills, which only
 * a file spanning many autumns ever needs. */
#define ESB_MAX_AMBIGUOUS 64

enum esb_type { ESB_IMPORT_KWH, ESB_EXPORT_KWH, ESB_IMPORT_KW, ESB_EXPORT_KW, ESB_NTYPES };

static const char *const esb_type_names[ESB_NTYPES] = {
    "Active Import Interval (kWh)",
    "Active Export Interval (kWh)",
    "Active Import Interval (kW)",
    "Active Export Interval (kW)",
};

static const char *const esb_columns[5] = {
    "MPRN", "Meter Serial Number", "Read Value", "Read Type", "Read Date and End Time",
};

struct esb_seen {
    uint64_t meter;     /* hash of the MPRN field */
    int64_t local_end;  /* naive local stamp */
    int type;
    int count;          /* copies seen so far */
};

struct esb_carry {
    uint64_t id;        /* hash of the MPRN field the running totals are of */
    int used;
    int64_t exact;      /* kwh_decimal.h units read so far */
    int64_t emitted;    /* whole Wh emitted so far */
};

struct esb_priv {
    char names[5][ESB_NAME_MAX]; /* header names as written (the first two may be masked) */
    int kw_average;     /* values are average kW over the interval (a kW read type seen) */
    int descending;     /* the file runs newest first (decided from the first two stamps) */
    int have_first, decided;
    int64_t first_local;
    int nseen;
    struct esb_seen seen[ESB_MAX_AMBIGUOUS];
    /* Exact to the source, per channel (doc/formats.md, esb-hdf "Value"): the exact
     * energy read so far and the whole Wh emitted, so each reading is the rounded running
     * total less what was emitted before it. */
    struct esb_carry carry[2];
};

static int field_is(const char *f, size_t len, const char *want)
{
    size_t n = strlen(want);
    return len == n && memcmp(f, want, n) == 0;
}

/* ESB masks identifiers with a run of X ("XXXX"; "XXX" in older headers). */
static int is_mask(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] != 'X')
            return 0;
    return 1;
}

static int header_col_ok(char *const *f, const size_t *l, int col)
{
    return field_is(f[col], l[col], esb_columns[col]) || (col < 2 && is_mask(f[col], l[col]));
}

static int esb_sniff(char *const *f, const size_t *l, int n)
{
    if (n != 5)
        return 0;
    for (int c = 0; c < 5; c++)
        if (!header_col_ok(f, l, c))
            return 0;
    return 1;
}

static int esb_header(struct reader_state *st, char *const *f, const size_t *l, int n,
                      struct mo_err *err)
{
    struct esb_priv *p = st->priv;
    for (int c = 0; c < 5 && c < n; c++) {
        if (!header_col_ok(f, l, c))
            return mo_err_at(err, st->path, st->line, c + 1, "header",
                             "ESB HDF header: column %d is '%.40s', expected '%s'%s", c + 1,
                             f[c], esb_columns[c], c < 2 ? " (or masked as XXX)" : "");
        snprintf(p->names[c], sizeof p->names[c], "%s", f[c]);
    }
    if (n != 5)
        return mo_err_at(err, st->path, st->line, n < 5 ? n : 6, "header",
                         "ESB HDF header has %d columns, expected 5: MPRN,Meter Serial "
                         "Number,Read Value,Read Type,Read Date and End Time", n);
    /* ESB writes newest first; an ascending file is recognised from its first rows. */
    p->descending = 1;
    return 0;
}

/* An Irish MPRN (11 digits starting 10: the rule of mpan.h); downloads usually mask it. */
static int mprn_ok(const char *s, size_t len)
{
    struct mpxn_id id;
    if (is_mask(s, len))
        return 1;
    return !mpxn_parse(s, len, &id) && id.kind == MPXN_MPRN_IE;
}

static uint64_t fnv1a(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static struct esb_seen *seen_slot(struct esb_priv *p, uint64_t meter, int type, int64_t local)
{
    for (int i = 0; i < p->nseen; i++)
        if (p->seen[i].meter == meter && p->seen[i].type == type &&
            p->seen[i].local_end == local)
            return &p->seen[i];
    if (p->nseen == ESB_MAX_AMBIGUOUS) {
        int k = 0;
        for (int i = 0; i < p->nseen; i++) {
            int64_t d = p->seen[i].local_end - local;
            if (d <= 86400 && d >= -86400)
                p->seen[k++] = p->seen[i];
        }
        p->nseen = k;
        if (k == ESB_MAX_AMBIGUOUS)
            return NULL;
    }
    p->seen[p->nseen] = (struct esb_seen){ .meter = meter, .local_end = local, .type = type };
    return &p->seen[p->nseen++];
}

/* The Read Value in Wh (kW: the half hour's average power); NULL, or the rejection code
 * with msg written. end: the interval's end as written, for the message. */
static const char *esb_value(const char *v, size_t len, int kw, const char *end, int64_t *wh,
                             char *msg, size_t msglen)
{
    const char *code = NULL;
    enum kwh_status vs = kw ? kw_halfhour_to_wh(v, len, wh) : kwh_to_wh(v, len, wh);
    switch (vs) {
    case KWH_OK:
        if (*wh > (int64_t)MO_MAX_WH_PER_HOUR * ESB_MINUTES / 60) {
            code = RJ_VALUE_RANGE;
            snprintf(msg, msglen, "%.40s %s over half an hour is more than a domestic "
                     "meter can plausibly record (%d Wh at most)", v, kw ? "kW" : "kWh",
                     MO_MAX_WH_PER_HOUR * ESB_MINUTES / 60);
        }
        break;
    case KWH_NEGATIVE:
        code = RJ_VALUE_RANGE;
        snprintf(msg, msglen, "%.40s %s is negative; import and export are each "
                 "recorded as positive energy", v, kw ? "kW" : "kWh");
        break;
    case KWH_TOO_LARGE:
        code = RJ_VALUE_RANGE;
        snprintf(msg, msglen, "%.40s %s is far beyond any meter's range", v,
                 kw ? "kW" : "kWh");
        break;
    case KWH_SYNTAX:
        if (len == 0 || field_is(v, len, "Null") || field_is(v, len, "NULL") ||
            field_is(v, len, "null")) {
            code = RJ_VALUE_MISSING;
            snprintf(msg, msglen, "no value for the half hour ending %.40s", end);
        } else {
            code = RJ_VALUE_SYNTAX;
            snprintf(msg, msglen, "Read Value '%.40s' is not a number (digits with an "
                     "optional decimal point, e.g. 0.1610)", v);
        }
        break;
    }
    return code;
}

/* The reading's whole Wh with the remainder carried through the file, per channel and
 * meter: the Wh emitted so far are always the exact energy so far rounded once (a half to
 * the even Wh), so the file's stored total is its own exact total to the Wh, each
 * reading is within 1 Wh of its exact energy, and no rounding direction is favoured.
 * (Rounding each reading on its own put +0.095% on the real kWh file's import: 43% of
 * its readings lie on half a Wh.) */
static int64_t carry_wh(struct esb_priv *p, const struct reading *r, const char *v, size_t len,
                        int kw, int64_t rounded)
{
    int64_t units;
    if (kwh_exact_units(v, len, kw, &units) != KWH_OK)
        return rounded;
    uint64_t id = fnv1a(r->mpxn, r->mpxn_len);
    struct esb_carry *c = &p->carry[r->channel & 1];
    if (!c->used || c->id != id) {
        c->used = 1;
        c->id = id;
        c->exact = c->emitted = 0;
    }
    c->exact += units;
    int64_t total = kwh_units_round(c->exact);
    int64_t wh = total - c->emitted;
    c->emitted = total;
    return wh;
}

static void esb_row(struct reader_state *st, char *const *f, const size_t *l, int n,
                    const struct reader_sink *sink)
{
    struct esb_priv *p = st->priv;
    char msg[320];
    if (n != 5) {
        snprintf(msg, sizeof msg, "line has %d fields; an ESB HDF line has 5 (MPRN, Meter "
                 "Serial Number, Read Value, Read Type, Read Date and End Time)", n);
        sink->reject(sink->ctx, 0, NULL, RJ_FIELD_COUNT, msg);
        return;
    }
    if (!mprn_ok(f[0], l[0])) {
        snprintf(msg, sizeof msg, "MPRN '%.40s' is neither an 11-digit Irish MPRN (10...) nor "
                 "masked (XXXX)", f[0]);
        sink->reject(sink->ctx, 1, p->names[0], RJ_MPXN_SYNTAX, msg);
        return;
    }
    int64_t local, utc_end;
    int col, ambiguous;
    if (ts_parse_dmy(f[4], l[4], &local, &col) < 0) {
        snprintf(msg, sizeof msg, "'%.40s' is not an interval end time DD-MM-YYYY HH:MM "
                 "(wrong at character %d)", f[4], col);
        sink->reject(sink->ctx, 5, p->names[4], RJ_TIMESTAMP, msg);
        return;
    }
    if (uk_local_to_utc(local, &utc_end, &ambiguous) < 0) {
        snprintf(msg, sizeof msg, "'%.40s' does not exist in Irish time: the clocks went "
                 "forward from 01:00 to 02:00 that night", f[4]);
        sink->reject(sink->ctx, 5, p->names[4], RJ_TIMESTAMP, msg);
        return;
    }
    if (!p->have_first) {
        p->have_first = 1;
        p->first_local = local;
    } else if (!p->decided && local != p->first_local) {
        p->decided = 1;
        p->descending = local < p->first_local;
    }
    int type = -1;
    for (int t = 0; t < ESB_NTYPES; t++)
        if (field_is(f[3], l[3], esb_type_names[t]))
            type = t;
    if (type < 0) {
        snprintf(msg, sizeof msg, "Read Type '%.60s' is not one of Active Import/Export "
                 "Interval (kWh) or (kW)", f[3]);
        sink->reject(sink->ctx, 4, p->names[3], RJ_VALUE_SYNTAX, msg);
        return;
    }
    if (ambiguous) {
        /* uk_local_to_utc gave the earlier (summer time) instant. */
        struct esb_seen *s = seen_slot(p, fnv1a(f[0], l[0]), type, local);
        if (!s) {
            snprintf(msg, sizeof msg, "'%.40s' happens twice (clocks went back) and too many "
                     "such stamps are open at once to tell which copy this is", f[4]);
            sink->reject(sink->ctx, 5, p->names[4], RJ_TIMESTAMP, msg);
            return;
        }
        int first = s->count++ % 2 == 0;
        if (first == p->descending)
            utc_end += 3600;
    }
    int kw = type == ESB_IMPORT_KW || type == ESB_EXPORT_KW;
    if (kw)
        p->kw_average = 1;
    int64_t wh = 0;
    const char *code = esb_value(f[2], l[2], kw, f[4], &wh, msg, sizeof msg);
    if (code) {
        sink->reject(sink->ctx, 3, p->names[2], code, msg);
        return;
    }
    struct reading r = {
        .mpxn = f[0], .mpxn_len = l[0], .start = utc_end - ESB_MINUTES * 60,
        .minutes = ESB_MINUTES, .wh = wh, .quality = 'A',
        .channel = (type == ESB_EXPORT_KWH || type == ESB_EXPORT_KW) ? 1 : 0, .column = 3,
    };
    r.wh = carry_wh(p, &r, f[2], l[2], kw, wh);
    sink->reading(sink->ctx, &r);
}

const struct reader_format reader_esb_hdf = {
    .name = "esb-hdf",
    .summary = "ESB Networks (Ireland) HDF download: local interval-end times, import/export, kWh or kW",
    .kind = READER_READINGS,
    .stage = READER_STAGE_READINGS,
    .state_size = sizeof(struct esb_priv),
    .sniff = esb_sniff,
    .header = esb_header,
    .row = esb_row,
};

int reader_esb_kw_average(const struct reader_state *st)
{
    const struct esb_priv *p = st->priv;
    return p->kw_average;
}

int reader_esb_descending(const struct reader_state *st)
{
    const struct esb_priv *p = st->priv;
    return p->descending;
}
