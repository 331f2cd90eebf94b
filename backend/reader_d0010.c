/* reader_d0010.c - format `d0010`: the UK DTC D0010 "Meter Readings" flow (doc/formats.md,
 * "d0010"), pipe-delimited, one record per line:
 *
 *   ZHV|file id|D0010002|from role|from MPID|to role|to MPID|created|...   header (line 1)
 *   026|MPAN core|validation status|                                        a meter point
 *   028|meter serial|reading type|                                          a meter of it
 *   030|register|YYYYMMDDHHMMSS|reading|MD reset|MD resets|flag|method|     a register read
 *   ZPT|file id|record count|checksum|flow count|created|                   trailer (last line)
 *
 * Records form groups: a 030 belongs to the 028 above it, which belongs to the 026 above
 * that, so lines are read in order by one thread (no READER_PARALLEL). Every field is
 * trimmed and trailing empty fields are dropped (files padded with "| | |" read the same).
 *
 * Promises: each 030 reaches sink->record as one register read (the columns of d0010_cols,
 * read_at as "YYYY-MM-DD HH:MM:SS" UK clock time) or gets exactly one rejection naming its
 * column; 026, 028 and ZPT lines hold no read of their own (sink->record with no values)
 * unless they are refused. A refused 026 or 028 refuses the reads of its group
 * (unknown_reference, naming the line). The file itself is refused by end() when the ZPT
 * trailer is missing (a truncated file), is not the last line, names another file id, or
 * counts other than the lines between ZHV and ZPT. The MPAN's place in the registry,
 * repeats and reads already held are the upsert's (queries/load/upsert_register_reads.sql). */
#include "backend/reader_d0010.h"

#include <stdio.h>
#include <string.h>

#include "backend/mpan.h"
#include "backend/reader.h"

static const char *const d0010_cols[] = { "mpan", "validation_status", "meter_serial",
                                          "reading_type", "register_id", "read_at", "reading",
                                          "reading_flag", "reading_method", NULL };

struct d0010_state {
    char file_id[24];
    char mpan[14], validation[4];
    long mpan_line;          /* 0: no 026 yet */
    int mpan_ok;
    char serial[33], reading_type[4];
    long meter_line;         /* 0: no 028 in this 026 group yet */
    int meter_ok;
    long trailer_line;       /* 0: no ZPT yet */
    long last_line;
    long refused_line;       /* the file is refused (end() says why) */
    char refusal[240];
};

static int is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Fields without the empty ones at the end: every line ends with '|'. */
static int used_fields(const size_t *lens, int nfields)
{
    while (nfields > 1 && lens[nfields - 1] == 0)
        nfields--;
    return nfields;
}

static void copy_field(char *dst, size_t cap, const char *s, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

enum dtc_kind dtc_sniff(const char *buf, size_t len, char *flow, size_t n)
{
    if (n)
        flow[0] = '\0';
    if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
        buf += 3;
        len -= 3;
    }
    if (len < 4 || memcmp(buf, "ZHV|", 4) != 0)
        return DTC_NONE;
    /* ZHV|file id|flow id: the flow id is the third field */
    const char *p = memchr(buf + 4, '|', len - 4);
    if (!p)
        return DTC_OTHER;
    /* spaces and tabs around it are trimmed, as the field splitter trims them */
    const char *id = p + 1, *stop = buf + len;
    while (id < stop && (*id == ' ' || *id == '\t'))
        id++;
    size_t k = 0;
    while (id + k < stop && id[k] != '|' && id[k] != '\n' && id[k] != '\r' && k < 16)
        k++;
    while (k > 0 && (id[k - 1] == ' ' || id[k - 1] == '\t'))
        k--;
    if (n)
        copy_field(flow, n, id, k);
    return k == 8 && memcmp(id, "D0010", 5) == 0 && reader_all_digits(id + 5, 3) ? DTC_D0010
                                                                                 : DTC_OTHER;
}

static int d0010_sniff(char *const *fields, const size_t *lens, int nfields)
{
    char flow[20];
    if (nfields >= 3 && strcmp(fields[0], "ZHV") == 0) /* split at '|' */
        return lens[2] == 8 && strncmp(fields[2], "D0010", 5) == 0 &&
               reader_all_digits(fields[2] + 5, 3);
    return nfields >= 1 && dtc_sniff(fields[0], lens[0], flow, sizeof flow) == DTC_D0010;
}

static int d0010_header(struct reader_state *st, char *const *f, const size_t *len,
                        int nfields, struct mo_err *err)
{
    struct d0010_state *s = st->priv;
    int n = used_fields(len, nfields);
    if (n < 8 || strcmp(f[0], "ZHV") != 0)
        return mo_err_at(err, st->path, 1, 1, "header", "a ZHV header has at least 8 fields "
                         "(ZHV|file id|flow|from role|from MPID|to role|to MPID|created); "
                         "this one has %d", n);
    if (len[1] < 1 || len[1] > 10 || !reader_all_digits(f[1], len[1]))
        return mo_err_at(err, st->path, 1, 2, "header", "the file id '%.20s' is not 1 to 10 digits",
                         f[1]);
    if (len[2] != 8 || strncmp(f[2], "D0010", 5) != 0 || !reader_all_digits(f[2] + 5, 3))
        return mo_err_at(err, st->path, 1, 3, "header", "the flow '%.20s' is not D0010 (a "
                         "D0010 flow is D0010 and a 3-digit version, D0010002)", f[2]);
    if (s)
        copy_field(s->file_id, sizeof s->file_id, f[1], len[1]);
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* YYYYMMDDHHMMSS, a real date and time from 1990 to 2099, as "YYYY-MM-DD HH:MM:SS". */
static int datetime_ok(const char *s, size_t n, char out[24])
{
    if (n != 14 || !reader_all_digits(s, 14))
        return 0;
    int y = num(s, 4), mo = num(s + 4, 2), d = num(s + 6, 2);
    int h = num(s + 8, 2), mi = num(s + 10, 2), se = num(s + 12, 2);
    if (y < 1990 || y > 2099 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
        h > 23 || mi > 59 || se > 59)
        return 0;
    /* the digits as written, in ISO order */
    static const signed char from[19] = { 0, 1, 2, 3, -1, 4, 5, -1, 6, 7, -2, 8, 9, -3, 10, 11,
                                          -3, 12, 13 };
    for (int i = 0; i < 19; i++)
        out[i] = from[i] >= 0 ? s[from[i]] : from[i] == -1 ? '-' : from[i] == -2 ? ' ' : ':';
    out[19] = '\0';
    return 1;
}

/* A register reading: 1 to 10 digits, then optionally '.' and 1 to 4 digits. */
static const char *reading_check(const char *s, size_t n)
{
    if (n == 0)
        return RJ_VALUE_MISSING;
    if (s[0] == '-')
        return RJ_VALUE_RANGE;
    size_t i = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i < 1 || i > 10)
        return RJ_VALUE_SYNTAX;
    if (i == n)
        return NULL;
    if (s[i] != '.' || n - i - 1 < 1 || n - i - 1 > 4 || !reader_all_digits(s + i + 1, n - i - 1))
        return RJ_VALUE_SYNTAX;
    return NULL;
}

/* Short codes (validation status, reading type, flag, method): 1 to 3 letters or digits. */
static int code_ok(const char *s, size_t n)
{
    if (n > 3)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_alnum(s[i]))
            return 0;
    return 1;
}

static void refuse_file(struct d0010_state *s, long line, const char *fmt, const char *a,
                        long x, long y)
{
    if (s->refused_line)
        return;
    s->refused_line = line;
    snprintf(s->refusal, sizeof s->refusal, fmt, a, x, y);
}

static void row_026(struct d0010_state *s, long line, char *const *f, const size_t *len, int n,
                    const struct reader_sink *sink)
{
    char msg[200];
    s->mpan_line = line;
    s->mpan_ok = 0;
    s->meter_line = 0;
    s->meter_ok = 0;
    if (n < 2 || n > 3) {
        snprintf(msg, sizeof msg, "a 026 record is 026|MPAN core|validation status|; this one "
                 "has %d fields", n);
        sink->reject(sink->ctx, 0, NULL, RJ_FIELD_COUNT, msg);
        return;
    }
    struct mpxn_id id;
    const char *code = mpxn_parse(f[1], len[1], &id);
    if (!code && id.kind != MPXN_MPAN_CORE)
        code = RJ_MPXN_SYNTAX;
    if (code) {
        mpxn_explain(f[1], len[1], code, msg, sizeof msg);
        if (strcmp(code, RJ_MPXN_SYNTAX) == 0)
            snprintf(msg, sizeof msg, "'%.30s' is not a 13-digit MPAN core", f[1]);
        sink->reject(sink->ctx, 2, "mpan_core", code, msg);
        return;
    }
    if (n == 3 && !code_ok(f[2], len[2])) {
        snprintf(msg, sizeof msg, "the validation status '%.20s' is not a short code (V, U)", f[2]);
        sink->reject(sink->ctx, 3, "validation_status", RJ_FIELD_INVALID, msg);
        return;
    }
    copy_field(s->mpan, sizeof s->mpan, f[1], len[1]);
    copy_field(s->validation, sizeof s->validation, n == 3 ? f[2] : "", n == 3 ? len[2] : 0);
    s->mpan_ok = 1;
    sink->record(sink->ctx, NULL, 0);
}

static void row_028(struct d0010_state *s, long line, char *const *f, const size_t *len, int n,
                    const struct reader_sink *sink)
{
    char msg[200];
    long group = s->mpan_line;
    s->meter_line = line;
    s->meter_ok = 0;
    if (!group) {
        sink->reject(sink->ctx, 1, "record_type", RJ_RECORD_ORDER,
                     "a 028 meter record comes before any 026 MPAN record");
        return;
    }
    if (!s->mpan_ok) {
        snprintf(msg, sizeof msg, "the meter belongs to the MPAN of line %ld, which was refused",
                 group);
        sink->reject(sink->ctx, 1, "record_type", RJ_REFERENCE, msg);
        return;
    }
    if (n < 2 || n > 3) {
        snprintf(msg, sizeof msg, "a 028 record is 028|meter serial|reading type|; this one "
                 "has %d fields", n);
        sink->reject(sink->ctx, 0, NULL, RJ_FIELD_COUNT, msg);
        return;
    }
    if (len[1] < 1 || len[1] > 32) {
        snprintf(msg, sizeof msg, "the meter serial is %s", len[1] ? "longer than 32 characters"
                                                                   : "empty");
        sink->reject(sink->ctx, 2, "meter_serial", RJ_FIELD_INVALID, msg);
        return;
    }
    for (size_t i = 0; i < len[1]; i++)
        if ((unsigned char)f[1][i] < 0x20 || f[1][i] == 0x7f) {
            sink->reject(sink->ctx, 2, "meter_serial", RJ_FIELD_INVALID,
                         "the meter serial holds a control character");
            return;
        }
    if (n == 3 && !code_ok(f[2], len[2])) {
        snprintf(msg, sizeof msg, "the reading type '%.20s' is not a short code (C, D, ...)", f[2]);
        sink->reject(sink->ctx, 3, "reading_type", RJ_FIELD_INVALID, msg);
        return;
    }
    copy_field(s->serial, sizeof s->serial, f[1], len[1]);
    copy_field(s->reading_type, sizeof s->reading_type, n == 3 ? f[2] : "", n == 3 ? len[2] : 0);
    s->meter_ok = 1;
    sink->record(sink->ctx, NULL, 0);
}

static void row_030(struct d0010_state *s, char *const *f, const size_t *len, int n,
                    const struct reader_sink *sink)
{
    char msg[200];
    if (!s->meter_line) {
        snprintf(msg, sizeof msg, "a 030 register read comes before any 028 meter record%s",
                 s->mpan_line ? " of its MPAN" : "");
        sink->reject(sink->ctx, 1, "record_type", RJ_RECORD_ORDER, msg);
        return;
    }
    if (!s->meter_ok) {
        snprintf(msg, sizeof msg, "the read belongs to the %s of line %ld, which was refused",
                 s->mpan_ok ? "meter" : "MPAN", s->mpan_ok ? s->meter_line : s->mpan_line);
        sink->reject(sink->ctx, 1, "record_type", RJ_REFERENCE, msg);
        return;
    }
    if (n < 4 || n > 8) {
        snprintf(msg, sizeof msg, "a 030 record is 030|register|read at|reading|MD reset|MD "
                 "resets|flag|method|; this one has %d fields", n);
        sink->reject(sink->ctx, 0, NULL, RJ_FIELD_COUNT, msg);
        return;
    }
    if (len[1] < 1 || len[1] > 2 || !is_alnum(f[1][0]) || (len[1] == 2 && !is_alnum(f[1][1]))) {
        snprintf(msg, sizeof msg, "the register id '%.20s' is not 1 or 2 letters or digits", f[1]);
        sink->reject(sink->ctx, 2, "register_id", RJ_FIELD_INVALID, msg);
        return;
    }
    char at[24];
    if (!datetime_ok(f[2], len[2], at)) {
        snprintf(msg, sizeof msg, "the read date and time '%.30s' is not YYYYMMDDHHMMSS "
                 "(a real date, 1990 to 2099)", f[2]);
        sink->reject(sink->ctx, 3, "read_at", RJ_TIMESTAMP, msg);
        return;
    }
    const char *bad = reading_check(f[3], len[3]);
    if (bad) {
        snprintf(msg, sizeof msg, "the reading '%.30s' %s", f[3],
                 strcmp(bad, RJ_VALUE_MISSING) == 0 ? "is missing" :
                 strcmp(bad, RJ_VALUE_RANGE) == 0 ? "is negative: a register only counts up" :
                 "is not a number of up to 10 digits and 4 decimals");
        sink->reject(sink->ctx, 4, "reading", bad, msg);
        return;
    }
    if (n >= 5 && len[4] && !datetime_ok(f[4], len[4], (char[24]){ 0 })) {
        snprintf(msg, sizeof msg, "the MD reset date and time '%.30s' is not YYYYMMDDHHMMSS", f[4]);
        sink->reject(sink->ctx, 5, "md_reset_at", RJ_TIMESTAMP, msg);
        return;
    }
    if (n >= 6 && !reader_all_digits(f[5], len[5])) {
        snprintf(msg, sizeof msg, "the number of MD resets '%.20s' is not a number", f[5]);
        sink->reject(sink->ctx, 6, "md_resets", RJ_FIELD_INVALID, msg);
        return;
    }
    for (int i = 6; i < n; i++)
        if (!code_ok(f[i], len[i])) {
            snprintf(msg, sizeof msg, "the %s '%.20s' is not a short code",
                     i == 6 ? "meter reading flag" : "reading method", f[i]);
            sink->reject(sink->ctx, i + 1, i == 6 ? "reading_flag" : "reading_method",
                         RJ_FIELD_INVALID, msg);
            return;
        }
    const char *values[9] = {
        s->mpan, s->validation[0] ? s->validation : NULL, s->serial,
        s->reading_type[0] ? s->reading_type : NULL, f[1], at, f[3],
        n >= 7 && len[6] ? f[6] : NULL, n >= 8 && len[7] ? f[7] : NULL,
    };
    sink->record(sink->ctx, values, 9);
}

static void row_zpt(struct d0010_state *s, long line, char *const *f, const size_t *len, int n,
                    const struct reader_sink *sink)
{
    s->trailer_line = line;
    if (n < 3 || !reader_all_digits(f[2], len[2]) || len[2] < 1 || len[2] > 9) {
        refuse_file(s, line, "the ZPT trailer has no record count (ZPT|file id|record "
                    "count|...)%s", "", 0, 0);
    } else if (strcmp(f[1], s->file_id) != 0) {
        refuse_file(s, line, "the ZPT trailer names file id '%.20s', not the ZHV header's",
                    f[1], 0, 0);
    } else {
        long want = 0;
        for (size_t i = 0; i < len[2]; i++)
            want = want * 10 + (f[2][i] - '0');
        /* the records between ZHV (line 1) and ZPT */
        if (want != line - 2)
            refuse_file(s, line, "the ZPT trailer counts %s%ld records, but the file holds %ld "
                        "between its ZHV header and ZPT trailer: records are missing or extra",
                        "", want, line - 2);
    }
    sink->record(sink->ctx, NULL, 0);
}

static void d0010_row(struct reader_state *st, char *const *f, const size_t *len, int nfields,
                      const struct reader_sink *sink)
{
    struct d0010_state *s = st->priv;
    int n = used_fields(len, nfields);
    char msg[200];
    int blank = n == 0 || (n == 1 && len[0] == 0);
    if (s->trailer_line && blank) {
        sink->record(sink->ctx, NULL, 0); /* blank lines after the trailer: an editor's */
        return;
    }
    s->last_line = st->line;
    if (blank) {
        sink->reject(sink->ctx, 0, NULL, RJ_FIELD_COUNT, "an empty line: every D0010 line "
                     "is a record");
        return;
    }
    if (s->trailer_line) {
        refuse_file(s, st->line, "line %s%ld follows the ZPT trailer of line %ld: the trailer "
                    "must be the last record", "", st->line, s->trailer_line);
        sink->reject(sink->ctx, 1, "record_type", RJ_RECORD_ORDER,
                     "a record after the ZPT trailer");
        return;
    }
    if (strcmp(f[0], "026") == 0)
        row_026(s, st->line, f, len, n, sink);
    else if (strcmp(f[0], "028") == 0)
        row_028(s, st->line, f, len, n, sink);
    else if (strcmp(f[0], "030") == 0)
        row_030(s, f, len, n, sink);
    else if (strcmp(f[0], "ZPT") == 0)
        row_zpt(s, st->line, f, len, n, sink);
    else {
        snprintf(msg, sizeof msg, "'%.20s' is not a D0010 record type (026 MPAN, 028 meter, "
                 "030 register read, ZPT trailer)", f[0]);
        sink->reject(sink->ctx, 1, "record_type", RJ_FIELD_INVALID, msg);
    }
}

static int d0010_end(struct reader_state *st, struct mo_err *err)
{
    struct d0010_state *s = st->priv;
    if (s->refused_line)
        return mo_err_at(err, st->path, s->refused_line, 1, RJ_TRAILER, "%s", s->refusal);
    if (!s->trailer_line)
        return mo_err_at(err, st->path, s->last_line ? s->last_line : 1, 0, RJ_TRAILER,
                         "the file ends at line %ld without its ZPT trailer: it is truncated",
                         s->last_line ? s->last_line : 1);
    return 0;
}

const struct reader_format reader_d0010 = {
    .name = "d0010",
    .summary = "UK DTC D0010 meter-reading flow (pipe-delimited ZHV/026/028/030/ZPT): register reads",
    .kind = READER_REGISTRY,
    .state_size = sizeof(struct d0010_state),
    .sniff = d0010_sniff,
    .header = d0010_header,
    .row = d0010_row,
    .columns = d0010_cols,
    .upsert_sql = SQL_LOAD_UPSERT_REGISTER_READS,
    .flags = READER_FILE_ID,
    .stage = READER_STAGE_READINGS,
    .delimiter = '|',
    .end = d0010_end,
};
