/* reader_registry.c - the registry feeds: customers, tariffs, meters and bills (CSV, one
 * record per line, the exact headers of doc/formats.md "Registry feeds").
 *
 * Promises: a row reaches sink->record only when every field passes its rule, with its
 * values in the layout's column order as written (an empty field becomes NULL; the
 * upsert SQL does the type conversions, so psql can stage the same file). Otherwise the
 * row gets exactly one rejection, for the first failing check in this order: field count,
 * meter id (mpxn_syntax, mpan_check_digit), then each field left to right (field_invalid),
 * naming the column and quoting the value. References to other rows (an account, a
 * tariff) are checked by the upsert SQL, which sees the registry. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "backend/halfhour.h"
#include "backend/mpan.h"
#include "backend/reader.h"

#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])) - 1)

static const char *const customer_cols[] = { "account_no", "name", "postcode", "email", "phone", NULL };
static const char *const tariff_cols[] = { "code", "name", "fuel", "standing_p_day", "valid_from",
                                           "valid_to", "band", "start_local", "end_local",
                                           "unit_p_kwh", NULL };
/* direction and tariff_from are optional in a file (the header may end at removed_on or at
 * direction; a missing column is staged NULL: direction import for a new meter, unchanged
 * for a known one; tariff_from: see upsert_meters.sql). */
static const char *const meter_cols[] = { "mpxn", "fuel", "interval_minutes", "account_no",
                                          "tariff_code", "installed_on", "removed_on",
                                          "direction", "tariff_from", NULL };
#define METER_COLS_OLD 7
#define METER_COLS_DIRECTION 8
static const char *const bill_cols[] = { "account_no", "period_start", "period_end", "kwh",
                                         "amount_p", "issued_on", NULL };

/* ---- field rules ----------------------------------------------------------------------- */

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int is_alnum(char c) { return is_digit(c) || is_upper(c) || (c >= 'a' && c <= 'z'); }

/* Account numbers and tariff codes: a letter or digit, then letters, digits, '-', '_'. */
static int key_ok(const char *s, size_t n)
{
    if (n < 1 || n > 32 || !is_alnum(s[0]))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_')
            return 0;
    return 1;
}

/* Free text: no control characters (the loader has already checked UTF-8). */
static int text_ok(const char *s, size_t n, size_t max)
{
    if (n < 1 || n > max)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return 0;
    return 1;
}

/* UK postcode as the Royal Mail prints it: outward code (A9, A99, AA9, AA99, A9A, AA9A),
 * one space, inward code (9AA); upper case. GIR 0AA is the one exception. */
static int postcode_ok(const char *s, size_t n)
{
    if (n == 7 && memcmp(s, "GIR 0AA", 7) == 0)
        return 1;
    if (n < 6 || n > 8 || s[n - 4] != ' ' || !is_digit(s[n - 3]) || !is_upper(s[n - 2]) ||
        !is_upper(s[n - 1]))
        return 0;
    size_t out = n - 4, i = 0;
    if (!is_upper(s[i++]))
        return 0;
    if (i < out && is_upper(s[i]))
        i++;
    if (i >= out || !is_digit(s[i++]))
        return 0;
    if (i < out && (is_digit(s[i]) || is_upper(s[i])))
        i++;
    return i == out;
}

/* local@domain.tld: one '@', a plain local part, dot-separated domain labels and a
 * top-level label of two letters or more. Deliberately no more than a shape check. */
static int email_ok(const char *s, size_t n)
{
    const char *at = memchr(s, '@', n);
    if (n > 254 || !at)
        return 0;
    size_t local = (size_t)(at - s);
    if (local < 1 || local > 64 || s[0] == '.' || s[local - 1] == '.')
        return 0;
    for (size_t i = 0; i < local; i++)
        if (!is_alnum(s[i]) && !strchr("._%+-'", s[i]))
            return 0;
    const char *d = at + 1;
    size_t dn = n - local - 1, label_start = 0, last_start = 0;
    int labels = 0;
    for (size_t i = 0; i <= dn; i++) {
        if (i == dn || d[i] == '.') {
            if (i == label_start || d[label_start] == '-' || d[i - 1] == '-')
                return 0;
            labels++;
            last_start = label_start;
            label_start = i + 1;
        } else if (!is_alnum(d[i]) && d[i] != '-') {
            return 0;
        }
    }
    if (labels < 2 || dn - last_start < 2)
        return 0;
    for (size_t i = last_start; i < dn; i++)
        if (is_digit(d[i]) || d[i] == '-')
            return 0;
    return 1;
}

/* Digits with spaces, an optional leading '+': 10 to 15 digits. */
static int phone_ok(const char *s, size_t n)
{
    int digits = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_digit(s[i]))
            digits++;
        else if (!(s[i] == ' ' || (s[i] == '+' && i == 0)))
            return 0;
    }
    return digits >= 10 && digits <= 15;
}

/* A plain decimal: [-]digits[.digits], at most int_max integer and frac_max fraction
 * digits (the numeric(p,s) column it lands in). */
static int decimal_ok(const char *s, size_t n, int int_max, int frac_max, int signed_ok)
{
    size_t i = 0;
    if (i < n && s[i] == '-' && signed_ok)
        i++;
    size_t int_start = i;
    while (i < n && is_digit(s[i]))
        i++;
    size_t int_digits = i - int_start;
    if (int_digits < 1 || int_digits > (size_t)int_max)
        return 0;
    if (i == n)
        return 1;
    if (s[i++] != '.')
        return 0;
    size_t frac_start = i;
    while (i < n && is_digit(s[i]))
        i++;
    return i == n && i - frac_start >= 1 && i - frac_start <= (size_t)frac_max;
}

/* HH:MM local time of day; 24:00 allowed as an end. */
static int hhmm(const char *s, size_t n, int *minutes)
{
    if (n != 5 || !is_digit(s[0]) || !is_digit(s[1]) || s[2] != ':' || !is_digit(s[3]) ||
        !is_digit(s[4]))
        return 0;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0))
        return 0;
    *minutes = h * 60 + m;
    return 1;
}

/* ---- shared row handling ------------------------------------------------------------------ */

struct row {
    const struct reader_format *fmt;
    char *const *f;
    const size_t *len;
    const struct reader_sink *sink;
};

/* Rejects the row at 0-based column col with a message that quotes the value. */
static void reject(const struct row *r, int col, const char *code, const char *fmt, ...)
    MO_PRINTF(4, 5);
static void reject(const struct row *r, int col, const char *code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->sink->reject(r->sink->ctx, col + 1, r->fmt->columns[col], code, msg);
}

/* Field i, shortened for messages. */
#define SHOWN(r, i) (int)((r)->len[i] > 60 ? 60 : (r)->len[i]), (r)->f[i]

static void emit(const struct row *r, int ncols)
{
    const char *values[16];
    for (int i = 0; i < ncols; i++)
        values[i] = r->len[i] ? r->f[i] : NULL;
    r->sink->record(r->sink->ctx, values, ncols);
}

static int header_matches(const char *const *cols, int ncols, char *const *fields,
                          const size_t *lens, int nfields)
{
    if (nfields != ncols)
        return 0;
    for (int i = 0; i < ncols; i++)
        if (lens[i] != strlen(cols[i]) || memcmp(fields[i], cols[i], lens[i]) != 0)
            return 0;
    return 1;
}

static int header_check(const struct reader_state *st, char *const *fields, const size_t *lens,
                        int nfields, struct mo_err *err)
{
    const char *const *cols = st->fmt->columns;
    int ncols = 0;
    while (cols[ncols])
        ncols++;
    if (header_matches(cols, ncols, fields, lens, nfields))
        return 0;
    if (cols == meter_cols && (header_matches(cols, METER_COLS_OLD, fields, lens, nfields) ||
                               header_matches(cols, METER_COLS_DIRECTION, fields, lens, nfields)))
        return 0;
    char want[256] = "";
    for (int i = 0; i < ncols; i++)
        snprintf(want + strlen(want), sizeof want - strlen(want), "%s%s", i ? "," : "", cols[i]);
    int col = 0;
    while (col < ncols && col < nfields && lens[col] == strlen(cols[col]) &&
           memcmp(fields[col], cols[col], lens[col]) == 0)
        col++;
    if (col < nfields && col < ncols)
        return mo_err_at(err, st->path, 1, col + 1, "header",
                         "a %s feed's header is \"%s\"; column %d is \"%.*s\", expected \"%s\"",
                         st->fmt->name, want, col + 1, (int)(lens[col] > 60 ? 60 : lens[col]),
                         fields[col], cols[col]);
    return mo_err_at(err, st->path, 1, col + 1, "header",
                     "a %s feed's header is \"%s\" (%d columns); this one has %d", st->fmt->name,
                     want, ncols, nfields);
}

/* Field-count rejections carry their own message (column 0 = whole line). */
static int count_check(const struct row *r, int nfields, int ncols)
{
    if (nfields == ncols)
        return 1;
    char msg[160];
    snprintf(msg, sizeof msg, "line has %d field%s; a %s feed has %d", nfields,
             nfields == 1 ? "" : "s", r->fmt->name, ncols);
    r->sink->reject(r->sink->ctx, 0, NULL, RJ_FIELD_COUNT, msg);
    return 0;
}

static int date_field(const struct row *r, int i, int required, int64_t *day)
{
    if (r->len[i] == 0) {
        if (required)
            reject(r, i, RJ_FIELD_INVALID, "%s is empty; a date like 2024-06-01 is required",
                   r->fmt->columns[i]);
        return required ? -1 : 0;
    }
    if (date_parse(r->f[i], r->len[i], day) < 0) {
        reject(r, i, RJ_FIELD_INVALID, "%s '%.*s' is not a date like 2024-06-01",
               r->fmt->columns[i], SHOWN(r, i));
        return -1;
    }
    /* PostgreSQL has no year 0 and would refuse the whole feed at the upsert, naming no
     * line; registry dates before 1900 are typing errors anyway */
    if (*day < days_from_civil(1900, 1, 1)) {
        reject(r, i, RJ_FIELD_INVALID, "%s '%.*s' is before 1900-01-01", r->fmt->columns[i],
               SHOWN(r, i));
        return -1;
    }
    return 1;
}

static int key_field(const struct row *r, int i, int required)
{
    if (r->len[i] == 0 && !required)
        return 0;
    if (key_ok(r->f[i], r->len[i]))
        return 0;
    if (r->len[i] == 0)
        reject(r, i, RJ_FIELD_INVALID, "%s is empty", r->fmt->columns[i]);
    else
        reject(r, i, RJ_FIELD_INVALID, "%s '%.*s' is not valid: letters, digits, '-' and '_', "
               "at most 32, starting with a letter or digit", r->fmt->columns[i], SHOWN(r, i));
    return -1;
}

/* Required free text of at most max bytes. */
static int text_field(const struct row *r, int i, size_t max)
{
    if (r->len[i] == 0) {
        reject(r, i, RJ_FIELD_INVALID, "%s is empty", r->fmt->columns[i]);
        return -1;
    }
    if (!text_ok(r->f[i], r->len[i], max)) {
        reject(r, i, RJ_FIELD_INVALID, "%s '%.*s' is longer than %zu bytes or holds a control character",
               r->fmt->columns[i], SHOWN(r, i), max);
        return -1;
    }
    return 0;
}

static int fuel_field(const struct row *r, int i, int *is_gas)
{
    if (r->len[i] == 4 && memcmp(r->f[i], "elec", 4) == 0)
        *is_gas = 0;
    else if (r->len[i] == 3 && memcmp(r->f[i], "gas", 3) == 0)
        *is_gas = 1;
    else {
        reject(r, i, RJ_FIELD_INVALID, "fuel '%.*s' is neither elec nor gas", SHOWN(r, i));
        return -1;
    }
    return 0;
}

static int rate_field(const struct row *r, int i, const char *what)
{
    if (decimal_ok(r->f[i], r->len[i], 6, 4, 0))
        return 0;
    reject(r, i, RJ_FIELD_INVALID, "%s '%.*s' is not %s: a number of pence like 24.5 "
           "(at most 4 decimals, not negative)", r->fmt->columns[i], SHOWN(r, i), what);
    return -1;
}

static void row_init(struct row *r, const struct reader_format *fmt, char *const *f,
                     const size_t *len, const struct reader_sink *sink)
{
    r->fmt = fmt;
    r->f = f;
    r->len = len;
    r->sink = sink;
}

/* ---- customers: account_no,name,postcode,email,phone ------------------------------------ */

static int customers_sniff(char *const *fields, const size_t *lens, int nfields)
{
    return header_matches(customer_cols, NCOLS(customer_cols), fields, lens, nfields);
}

static void customers_row(struct reader_state *st, char *const *f, const size_t *len, int nfields,
                          const struct reader_sink *sink)
{
    struct row r;
    row_init(&r, &reader_customers, f, len, sink);
    if (!count_check(&r, nfields, NCOLS(customer_cols)) || key_field(&r, 0, 1) < 0)
        return;
    if (text_field(&r, 1, 200) < 0)
        return;
    if (len[2] && !postcode_ok(f[2], len[2])) {
        reject(&r, 2, RJ_FIELD_INVALID, "postcode '%.*s' is not a UK postcode written like SW1A 1AA",
               SHOWN(&r, 2));
        return;
    }
    if (len[3] && !email_ok(f[3], len[3])) {
        reject(&r, 3, RJ_FIELD_INVALID, "email '%.*s' is not an e-mail address like name@example.com",
               SHOWN(&r, 3));
        return;
    }
    if (len[4] && !phone_ok(f[4], len[4])) {
        reject(&r, 4, RJ_FIELD_INVALID, "phone '%.*s' is not a telephone number (10 to 15 digits, "
               "spaces and a leading + allowed)", SHOWN(&r, 4));
        return;
    }
    emit(&r, NCOLS(customer_cols));
}

/* ---- tariffs: one row per band -------------------------------------------------------------- */

static int tariffs_sniff(char *const *fields, const size_t *lens, int nfields)
{
    return header_matches(tariff_cols, NCOLS(tariff_cols), fields, lens, nfields);
}

static void tariffs_row(struct reader_state *st, char *const *f, const size_t *len, int nfields,
                        const struct reader_sink *sink)
{
    struct row r;
    int is_gas, from, to;
    int64_t valid_from, valid_to;
    row_init(&r, &reader_tariffs, f, len, sink);
    if (!count_check(&r, nfields, NCOLS(tariff_cols)) || key_field(&r, 0, 1) < 0)
        return;
    if (text_field(&r, 1, 200) < 0)
        return;
    if (fuel_field(&r, 2, &is_gas) < 0 || rate_field(&r, 3, "a standing charge") < 0 ||
        date_field(&r, 4, 1, &valid_from) < 0)
        return;
    int has_to = date_field(&r, 5, 0, &valid_to);
    if (has_to < 0)
        return;
    if (has_to && valid_to <= valid_from) {
        reject(&r, 5, RJ_FIELD_INVALID, "valid_to %.*s is not after valid_from %.*s", SHOWN(&r, 5),
               SHOWN(&r, 4));
        return;
    }
    if (text_field(&r, 6, 32) < 0)
        return;
    if (!hhmm(f[7], len[7], &from) || from >= 1440) {
        reject(&r, 7, RJ_FIELD_INVALID, "start_local '%.*s' is not a local time 00:00 to 23:59 "
               "written HH:MM", SHOWN(&r, 7));
        return;
    }
    if (!hhmm(f[8], len[8], &to) || to == 0) {
        reject(&r, 8, RJ_FIELD_INVALID, "end_local '%.*s' is not a local time 00:01 to 24:00 "
               "written HH:MM", SHOWN(&r, 8));
        return;
    }
    if (to <= from) {
        reject(&r, 8, RJ_FIELD_INVALID, "end_local %.*s is not after start_local %.*s (a band that "
               "crosses midnight is written as two rows)", SHOWN(&r, 8), SHOWN(&r, 7));
        return;
    }
    if (rate_field(&r, 9, "a unit rate") < 0)
        return;
    emit(&r, NCOLS(tariff_cols));
}

/* ---- meters: mpxn,fuel,interval_minutes,account_no,tariff_code,installed_on,removed_on --- */

static int meters_sniff(char *const *fields, const size_t *lens, int nfields)
{
    return header_matches(meter_cols, NCOLS(meter_cols), fields, lens, nfields) ||
           header_matches(meter_cols, METER_COLS_DIRECTION, fields, lens, nfields) ||
           header_matches(meter_cols, METER_COLS_OLD, fields, lens, nfields);
}

/* The meters feed remembers whether its header has the direction column. */
struct meters_state {
    int ncols;
};

static int meters_header(struct reader_state *st, char *const *fields, const size_t *lens,
                         int nfields, struct mo_err *err)
{
    if (header_check(st, fields, lens, nfields, err) < 0)
        return -1;
    if (st->priv)
        ((struct meters_state *)st->priv)->ncols = nfields;
    return 0;
}

static void meters_row(struct reader_state *st, char *const *f, const size_t *len, int nfields,
                       const struct reader_sink *sink)
{
    struct row r;
    int is_gas;
    int64_t installed, removed;
    row_init(&r, &reader_meters, f, len, sink);
    /* the header's column count; without one (a row read on its own) the row's */
    int ncols = st && st->priv && ((struct meters_state *)st->priv)->ncols ?
                ((struct meters_state *)st->priv)->ncols :
                nfields == METER_COLS_OLD ? METER_COLS_OLD :
                nfields == METER_COLS_DIRECTION ? METER_COLS_DIRECTION : NCOLS(meter_cols);
    if (!count_check(&r, nfields, ncols))
        return;
    struct mpxn_id id;
    const char *idcode = mpxn_parse(f[0], len[0], &id);
    if (idcode) {
        char msg[200];
        mpxn_explain(f[0], len[0], idcode, msg, sizeof msg);
        reject(&r, 0, idcode, "%s", msg);
        return;
    }
    if (fuel_field(&r, 1, &is_gas) < 0)
        return;
    if (is_gas != id.gas) {
        reject(&r, 1, RJ_FIELD_INVALID, is_gas ? "fuel gas does not fit %.*s, an electricity MPAN or MPRN"
                                               : "fuel elec does not fit %.*s, a gas MPRN", SHOWN(&r, 0));
        return;
    }
    if (!((len[2] == 2) && (memcmp(f[2], "15", 2) == 0 || memcmp(f[2], "30", 2) == 0 ||
                            memcmp(f[2], "60", 2) == 0))) {
        reject(&r, 2, RJ_FIELD_INVALID, "interval_minutes '%.*s' is not 15, 30 or 60", SHOWN(&r, 2));
        return;
    }
    if (key_field(&r, 3, 0) < 0 || key_field(&r, 4, 0) < 0)
        return;
    int has_in = date_field(&r, 5, 0, &installed);
    if (has_in < 0)
        return;
    int has_out = date_field(&r, 6, 0, &removed);
    if (has_out < 0)
        return;
    if (has_in && has_out && removed < installed) {
        reject(&r, 6, RJ_FIELD_INVALID, "removed_on %.*s is before installed_on %.*s", SHOWN(&r, 6),
               SHOWN(&r, 5));
        return;
    }
    if (ncols > METER_COLS_OLD && len[7] &&
        !((len[7] == 6 && memcmp(f[7], "import", 6) == 0) ||
          (len[7] == 6 && memcmp(f[7], "export", 6) == 0))) {
        reject(&r, 7, RJ_FIELD_INVALID, "direction '%.*s' is neither import nor export", SHOWN(&r, 7));
        return;
    }
    int64_t tariff_from;
    if (ncols > METER_COLS_DIRECTION && date_field(&r, 8, 0, &tariff_from) < 0)
        return;
    if (ncols > METER_COLS_DIRECTION && len[8] && len[4] == 0) {
        reject(&r, 8, RJ_FIELD_INVALID, "tariff_from %.*s dates a tariff, but tariff_code is empty",
               SHOWN(&r, 8));
        return;
    }
    /* staged as the meter's one spelling (a full MPAN as its core; mpan.h) */
    const char *values[NCOLS(meter_cols)];
    for (int i = 0; i < NCOLS(meter_cols); i++)
        values[i] = i < ncols && len[i] ? f[i] : NULL;
    values[0] = id.id;
    sink->record(sink->ctx, values, NCOLS(meter_cols));
}

/* ---- bills: account_no,period_start,period_end,kwh,amount_p,issued_on ------------------- */

static int bills_sniff(char *const *fields, const size_t *lens, int nfields)
{
    return header_matches(bill_cols, NCOLS(bill_cols), fields, lens, nfields);
}

static void bills_row(struct reader_state *st, char *const *f, const size_t *len, int nfields,
                      const struct reader_sink *sink)
{
    struct row r;
    int64_t start, end, issued;
    row_init(&r, &reader_bills, f, len, sink);
    if (!count_check(&r, nfields, NCOLS(bill_cols)) || key_field(&r, 0, 1) < 0 ||
        date_field(&r, 1, 1, &start) < 0 || date_field(&r, 2, 1, &end) < 0)
        return;
    if (end < start) {
        reject(&r, 2, RJ_FIELD_INVALID, "period_end %.*s is before period_start %.*s", SHOWN(&r, 2),
               SHOWN(&r, 1));
        return;
    }
    if (!decimal_ok(f[3], len[3], 11, 3, 0)) {
        reject(&r, 3, RJ_FIELD_INVALID, "kwh '%.*s' is not an amount of energy like 123.456 "
               "(at most 3 decimals, not negative)", SHOWN(&r, 3));
        return;
    }
    if (!decimal_ok(f[4], len[4], 12, 2, 1)) {
        reject(&r, 4, RJ_FIELD_INVALID, "amount_p '%.*s' is not an amount in pence like 4512.37 "
               "(at most 2 decimals; negative for a credit)", SHOWN(&r, 4));
        return;
    }
    if (date_field(&r, 5, 1, &issued) < 0)
        return;
    if (issued < start) {
        reject(&r, 5, RJ_FIELD_INVALID, "issued_on %.*s is before the period starts (%.*s)",
               SHOWN(&r, 5), SHOWN(&r, 1));
        return;
    }
    emit(&r, NCOLS(bill_cols));
}

/* ---- the four formats -------------------------------------------------------------------- */

static int registry_header(struct reader_state *st, char *const *fields, const size_t *lens,
                           int nfields, struct mo_err *err)
{
    return header_check(st, fields, lens, nfields, err);
}

const struct reader_format reader_customers = {
    "customers", "registry: customers (account_no,name,postcode,email,phone)",
    READER_REGISTRY, 0, customers_sniff, registry_header, customers_row, customer_cols,
    SQL_LOAD_UPSERT_CUSTOMERS, 0, NULL, READER_STAGE_PARTIES, 0, NULL,
};
const struct reader_format reader_tariffs = {
    "tariffs", "registry: tariffs, one row per time-of-use band", READER_REGISTRY, 0,
    tariffs_sniff, registry_header, tariffs_row, tariff_cols, SQL_LOAD_UPSERT_TARIFFS, 0, NULL, READER_STAGE_PARTIES, 0, NULL,
};
const struct reader_format reader_meters = {
    "meters", "registry: meters (mpxn,fuel,interval_minutes,account_no,tariff_code,installed_on,removed_on[,direction[,tariff_from]])",
    READER_REGISTRY, sizeof(struct meters_state), meters_sniff, meters_header, meters_row, meter_cols, SQL_LOAD_UPSERT_METERS, 0, NULL, READER_STAGE_REGISTRY, 0, NULL,
};
const struct reader_format reader_bills = {
    "bills", "registry: bills (account_no,period_start,period_end,kwh,amount_p,issued_on)",
    READER_REGISTRY, 0, bills_sniff, registry_header, bills_row, bill_cols, SQL_LOAD_UPSERT_BILLS, 0, NULL, READER_STAGE_REGISTRY, 0, NULL,
};
