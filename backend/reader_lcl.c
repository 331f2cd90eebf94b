/* reader_lcl.c - format `lcl`: UK Power Networks "SmartMeter Energy Consumption Data in
 * London Households" (Low Carbon London), in the layouts it circulates in:
 *
 *   LCLid,DateTime,KWH/hh (per half hour)                      UKPN original, 3 columns
 *   LCLid,stdorToU,DateTime,KWH/hh (per half hour)             UKPN original, 4 columns
 *   LCLid,stdorToU,DateTime,KWH/hh (per half hour),Acorn,Acorn_grouped   partitioned files
 *   LCLid,tstp,energy(kWh/hh)                                  Kaggle "Smart meters in London"
 *
 * One reading per line. Timestamps are interval starts in GMT/UTC all year (the data set
 * has 48 half hours on clock-change days), "YYYY-MM-DD HH:MM:SS" with an optional all-zero
 * fraction (".0000000" in the UKPN files); no BST is applied. Values are kWh per half hour,
 * often space-padded (libcsv trims them); "Null" is a missing value. LCL household ids
 * (MAC000002) are not MPANs: the reading carries the id as written and the loader's
 * --meter option says which registered meter it is.
 *
 * A timestamp off the half-hour grid (the UKPN file has 2012-12-19 12:37:27) is emitted
 * with its exact start, so the loader rejects it as misaligned_interval in the contract's
 * order (after unknown_meter); its row in the real file also carries "Null", which is
 * rejected here first as value_missing. */
#include "backend/reader.h"

#include <stdio.h>
#include <string.h>

#include "backend/halfhour.h"
#include "backend/kwh_decimal.h"

#define LCL_MINUTES 30

struct lcl_priv {
    int nfields;
    int tou_col;        /* 0-based column of stdorToU, -1 when absent */
    int time_col;
    int value_col;
    const char *time_name;
    const char *value_name;
};

static const char UKPN_VALUE[] = "KWH/hh (per half hour)";
static const char KAGGLE_VALUE[] = "energy(kWh/hh)";

/* Header names compare without trailing blanks: UKPN wrote "KWH/hh (per half hour) ". */
static int name_is(const char *f, size_t len, const char *want)
{
    while (len > 0 && (f[len - 1] == ' ' || f[len - 1] == '\t'))
        len--;
    size_t n = strlen(want);
    return len == n && memcmp(f, want, n) == 0;
}

static int lcl_sniff(char *const *f, const size_t *l, int n)
{
    return n >= 3 && name_is(f[0], l[0], "LCLid");
}

static int header_expect(struct reader_state *st, char *const *f, const size_t *l, int n,
                         int col, const char *want, const char *layout, struct mo_err *err)
{
    if (col < n && name_is(f[col], l[col], want))
        return 0;
    return mo_err_at(err, st->path, st->line, col + 1, "header",
                     "LCL header: column %d is '%.40s', expected '%s' (%s layout)", col + 1,
                     col < n ? f[col] : "(missing)", want, layout);
}

static int lcl_header(struct reader_state *st, char *const *f, const size_t *l, int n,
                      struct mo_err *err)
{
    struct lcl_priv *p = st->priv;
    if (n < 1 || !name_is(f[0], l[0], "LCLid"))
        return mo_err_at(err, st->path, st->line, 1, "header",
                         "LCL header must start with LCLid, found '%.40s'", n >= 1 ? f[0] : "");
    const char *layout;
    if (n >= 2 && name_is(f[1], l[1], "tstp")) {
        layout = "Kaggle LCLid,tstp,energy(kWh/hh)";
        if (header_expect(st, f, l, n, 2, KAGGLE_VALUE, layout, err) < 0)
            return -1;
        *p = (struct lcl_priv){ 3, -1, 1, 2, "tstp", KAGGLE_VALUE };
    } else if (n >= 2 && name_is(f[1], l[1], "DateTime")) {
        layout = "UKPN LCLid,DateTime,KWH/hh (per half hour)";
        if (header_expect(st, f, l, n, 2, UKPN_VALUE, layout, err) < 0)
            return -1;
        *p = (struct lcl_priv){ 3, -1, 1, 2, "DateTime", UKPN_VALUE };
    } else if (n >= 2 && name_is(f[1], l[1], "stdorToU")) {
        layout = "UKPN LCLid,stdorToU,DateTime,KWH/hh (per half hour)";
        if (header_expect(st, f, l, n, 2, "DateTime", layout, err) < 0 ||
            header_expect(st, f, l, n, 3, UKPN_VALUE, layout, err) < 0)
            return -1;
        if (n > 4) {
            layout = "UKPN LCLid,stdorToU,DateTime,KWH/hh (per half hour),Acorn,Acorn_grouped";
            if (header_expect(st, f, l, n, 4, "Acorn", layout, err) < 0 ||
                header_expect(st, f, l, n, 5, "Acorn_grouped", layout, err) < 0)
                return -1;
        }
        *p = (struct lcl_priv){ .nfields = n > 4 ? 6 : 4, .tou_col = 1, .time_col = 2,
                                .value_col = 3, .time_name = "DateTime",
                                .value_name = UKPN_VALUE };
    } else {
        return mo_err_at(err, st->path, st->line, 2, "header",
                         "LCL header: column 2 is '%.40s', expected DateTime, stdorToU "
                         "(UKPN layouts) or tstp (Kaggle layout)", n >= 2 ? f[1] : "(missing)");
    }
    if (n > p->nfields)
        return mo_err_at(err, st->path, st->line, p->nfields + 1, "header",
                         "LCL header: unexpected column %d '%.40s' after the %s layout",
                         p->nfields + 1, f[p->nfields], layout);
    return 0;
}

/* LCL household ids are "MAC" and six digits (MAC000002 ... MAC005567). */
static int lcl_id_ok(const char *s, size_t len)
{
    return len == 9 && memcmp(s, "MAC", 3) == 0 && reader_all_digits(s + 3, len - 3);
}

static int is_null(const char *s, size_t len)
{
    return len == 0 || name_is(s, len, "Null") || name_is(s, len, "NULL") ||
           name_is(s, len, "null");
}

static void lcl_row(struct reader_state *st, char *const *f, const size_t *l, int n,
                    const struct reader_sink *sink)
{
    const struct lcl_priv *p = st->priv;
    char msg[320];
    if (n != p->nfields) {
        snprintf(msg, sizeof msg, "line has %d fields; the LCL header has %d", n, p->nfields);
        sink->reject(sink->ctx, 0, NULL, RJ_FIELD_COUNT, msg);
        return;
    }
    if (!lcl_id_ok(f[0], l[0])) {
        snprintf(msg, sizeof msg, "LCLid '%.40s' is not a Low Carbon London household id "
                 "(MAC and six digits, e.g. MAC000002)", f[0]);
        sink->reject(sink->ctx, 1, "LCLid", RJ_MPXN_SYNTAX, msg);
        return;
    }
    if (p->tou_col >= 0 && !name_is(f[p->tou_col], l[p->tou_col], "Std") &&
        !name_is(f[p->tou_col], l[p->tou_col], "ToU")) {
        snprintf(msg, sizeof msg, "stdorToU '%.40s' is neither Std (standard tariff) nor ToU "
                 "(dynamic time-of-use trial)", f[p->tou_col]);
        sink->reject(sink->ctx, p->tou_col + 1, "stdorToU", RJ_FIELD_INVALID, msg);
        return;
    }
    int64_t start;
    int col;
    const char *ts = f[p->time_col];
    if (ts_parse(ts, l[p->time_col], 0, &start, &col) < 0) {
        snprintf(msg, sizeof msg, "%s '%.40s' is not a GMT timestamp YYYY-MM-DD HH:MM:SS "
                 "(wrong at character %d)", p->time_name, ts, col);
        sink->reject(sink->ctx, p->time_col + 1, p->time_name, RJ_TIMESTAMP, msg);
        return;
    }
    const char *v = f[p->value_col];
    size_t vl = l[p->value_col];
    int64_t wh = 0;
    const char *code = NULL;
    switch (kwh_to_wh(v, vl, &wh)) {
    case KWH_OK:
        if (wh > (int64_t)MO_MAX_WH_PER_HOUR * LCL_MINUTES / 60) {
            code = RJ_VALUE_RANGE;
            snprintf(msg, sizeof msg, "%.40s kWh in half an hour is more than a household "
                     "meter can plausibly record (%d Wh at most)", v,
                     MO_MAX_WH_PER_HOUR * LCL_MINUTES / 60);
        }
        break;
    case KWH_NEGATIVE:
        code = RJ_VALUE_RANGE;
        snprintf(msg, sizeof msg, "%.40s kWh is negative; LCL values are consumption", v);
        break;
    case KWH_TOO_LARGE:
        code = RJ_VALUE_RANGE;
        snprintf(msg, sizeof msg, "%.40s kWh is far beyond any meter's range", v);
        break;
    case KWH_SYNTAX:
        if (is_null(v, vl)) {
            code = RJ_VALUE_MISSING;
            snprintf(msg, sizeof msg, "no value for the half hour starting %.40s (the file "
                     "says '%s')", ts, vl ? v : "");
        } else {
            code = RJ_VALUE_SYNTAX;
            snprintf(msg, sizeof msg, "'%.40s' is not a kWh value (digits with an optional "
                     "decimal point, e.g. 0.219)", v);
        }
        break;
    }
    if (code) {
        sink->reject(sink->ctx, p->value_col + 1, p->value_name, code, msg);
        return;
    }
    struct reading r = {
        .mpxn = f[0], .mpxn_len = l[0], .start = start, .minutes = LCL_MINUTES, .wh = wh,
        .quality = 'A', .channel = 0, .column = p->value_col + 1,
    };
    sink->reading(sink->ctx, &r);
}

const struct reader_format reader_lcl = {
    .name = "lcl",
    .summary = "London Low Carbon London / Kaggle half-hourly CSV (LCLid,DateTime|tstp,kWh; GMT)",
    .kind = READER_READINGS,
    .stage = READER_STAGE_READINGS,
    .state_size = sizeof(struct lcl_priv),
    .flags = READER_PARALLEL, /* rows read only what header() set up */
    .sniff = lcl_sniff,
    .header = lcl_header,
    .row = lcl_row,
};
