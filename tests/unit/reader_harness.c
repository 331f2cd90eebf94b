#include "tests/unit/reader_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/halfhour.h"

/* Room for one more element in *p (of *cap, each `size` bytes), doubling from `first`. */
static void *room_for_one(void *p, size_t n, size_t *cap, size_t first, size_t size)
{
    if (n < *cap)
        return p;
    size_t want = *cap ? *cap * 2 : first;
    void *grown = realloc(p, want * size);
    if (!grown)
        abort();
    *cap = want;
    return grown;
}

static void on_reading(void *ctx, const struct reading *r)
{
    struct harness *h = ctx;
    h->readings++;
    h->row_readings++;
    if (r->channel == 0 || r->channel == 1) {
        h->readings_by_channel[r->channel]++;
        h->wh_by_channel[r->channel] += r->wh;
    }
    if (!h->keep)
        return;
    h->r = room_for_one(h->r, h->nr, &h->cap_r, 256, sizeof *h->r);
    struct hr_reading *o = &h->r[h->nr++];
    snprintf(o->mpxn, sizeof o->mpxn, "%.*s", (int)r->mpxn_len, r->mpxn ? r->mpxn : "");
    o->start = r->start;
    o->minutes = r->minutes;
    o->wh = r->wh;
    o->quality = r->quality;
    o->channel = r->channel;
    o->column = r->column;
    o->line = h->st.line;
}

static void on_reject(void *ctx, int column, const char *name, const char *code,
                      const char *message)
{
    struct harness *h = ctx;
    h->row_rejects++;
    h->j = room_for_one(h->j, h->nj, &h->cap_j, 16, sizeof *h->j);
    struct hr_reject *o = &h->j[h->nj++];
    o->line = h->st.line;
    o->column = column;
    snprintf(o->column_name, sizeof o->column_name, "%s", name ? name : "");
    snprintf(o->code, sizeof o->code, "%s", code);
    snprintf(o->message, sizeof o->message, "%s", message);
}

static void on_record(void *ctx, const char *const *values, int n)
{
    (void)values;
    (void)n;
    struct harness *h = ctx;
    h->contract_breaches++; /* reading formats never send registry records */
}

int harness_open(struct harness *h, const struct reader_format *fmt, const char *path, int keep)
{
    memset(h, 0, sizeof *h);
    h->fmt = fmt;
    h->keep = keep;
    h->st.fmt = fmt;
    h->st.path = path;
    h->st.priv = calloc(1, fmt->state_size ? fmt->state_size : 1);
    if (!h->st.priv)
        return -1;
    return csvline_init(&h->cl, ',');
}

void harness_close(struct harness *h)
{
    csvline_free(&h->cl);
    free(h->st.priv);
    free(h->r);
    free(h->j);
    memset(h, 0, sizeof *h);
}

void harness_line(struct harness *h, const char *line, size_t len)
{
    static const struct reader_sink sink_proto = { NULL, on_reading, on_record, on_reject };
    struct reader_sink sink = sink_proto;
    sink.ctx = h;
    h->st.line++;
    int first = h->st.line == 1;
    len = csvline_trim(&line, len, first);
    const char *why = NULL;
    int n = csvline_split(&h->cl, line, len, &why);
    if (first) {
        if (n < 0)
            h->header_rc = mo_err_at(&h->header_err, h->st.path, 1, 0, "header", "%s", why);
        else
            h->header_rc = h->fmt->header(&h->st, h->cl.fields, h->cl.lens, n, &h->header_err);
        return;
    }
    h->rows++;
    h->row_readings = h->row_rejects = 0;
    if (n < 0)
        on_reject(h, 0, NULL, RJ_FIELD_COUNT, why);
    else
        h->fmt->row(&h->st, h->cl.fields, h->cl.lens, n, &sink);
    if (h->row_rejects > 0)
        h->rows_rejected++;
    if (h->row_rejects > 1 || (h->row_rejects && h->row_readings))
        h->contract_breaches++;
}

void harness_feed(struct harness *h, const char *line)
{
    harness_line(h, line, strlen(line));
}

int harness_file(struct harness *h, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char *buf = NULL;
    size_t cap = 0, len = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 1 << 20;
            char *n = realloc(buf, cap);
            if (!n) {
                free(buf);
                fclose(f);
                return -1;
            }
            buf = n;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        if (got == 0)
            break;
        len += got;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return -1;
    }
    size_t at = 0;
    while (at < len) {
        char *nl = memchr(buf + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - buf) : len;
        harness_line(h, buf + at, end - at);
        at = end + 1;
    }
    free(buf);
    return 0;
}

long harness_count_code(const struct harness *h, const char *code)
{
    long n = 0;
    for (size_t i = 0; i < h->nj; i++)
        n += strcmp(h->j[i].code, code) == 0;
    return n;
}

const char *harness_fixture(char *buf, size_t len, const char *rel)
{
    const char *src = getenv("MO_SRCDIR");
    snprintf(buf, len, "%s/tests/fixtures/realdata/%s", src ? src : ".", rel);
    return buf;
}

const struct reader_format *harness_detect(const char *header)
{
    struct csvline cl;
    if (csvline_init(&cl, ',') < 0)
        return NULL;
    const char *line = header;
    size_t len = csvline_trim(&line, strcspn(header, "\n"), 1);
    int n = csvline_split(&cl, line, len, NULL);
    const struct reader_format *fmt = n > 0 ? reader_detect(cl.fields, cl.lens, n) : NULL;
    csvline_free(&cl);
    return fmt;
}

int harness_header_fault_column(const struct reader_format *fmt, const char *header)
{
    struct harness h;
    if (harness_open(&h, fmt, "header.csv", 1) < 0)
        return -1;
    harness_feed(&h, header);
    int col = h.header_rc == 0 ? 0 : strcmp(h.header_err.code, "header") == 0 ? h.header_err.column : -1;
    harness_close(&h);
    return col;
}

void harness_open_ok(struct harness *h, const struct reader_format *fmt, const char *path,
                     const char *header)
{
    assert_int_equal(harness_open(h, fmt, path, 1), 0);
    harness_feed(h, header);
    assert_int_equal(h->header_rc, 0);
}

void harness_assert_reject(const struct harness *h, size_t i, long line, int column,
                           const char *name, const char *code)
{
    assert_true(i < h->nj);
    assert_int_equal(h->j[i].line, line);
    assert_int_equal(h->j[i].column, column);
    assert_string_equal(h->j[i].column_name, name);
    assert_string_equal(h->j[i].code, code);
}

void harness_assert_header_faults(const struct reader_format *fmt,
                                  const struct harness_header_fault *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int col = harness_header_fault_column(fmt, cases[i].header);
        if (col != cases[i].column)
            fail_msg("%s: header fault at column %d, expected %d", cases[i].header, col,
                     cases[i].column);
    }
}

const char *harness_iso(int64_t t)
{
    static char buf[8][32];
    static int k;
    k = (k + 1) % 8;
    ts_format_utc(t, buf[k]);
    return buf[k];
}
