/* fuzz_common.c - see fuzz.h. */
#include "tests/fuzz/fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/csvline.h"
#include "backend/linesplit.h"
#include "backend/utf8.h"

void fuzz_fail(const char *what, const char *file, int line)
{
    fprintf(stderr, "%s:%d: broken promise: %s\n", file, line, what);
    abort();
}

/* One row's output, as the reader's sink saw it. */
struct seen {
    const struct reader_format *fmt;
    int nfields;
    int readings, records, rejects;
    struct reading first;       /* the row's first reading, its id copied */
    char first_id[64];
};

/* Every byte of s[0..len) is read, so ASan sees an id or message that points nowhere. */
static unsigned touch(const char *s, size_t len)
{
    unsigned h = 0;
    for (size_t i = 0; i < len; i++)
        h = h * 31 + (unsigned char)s[i];
    return h;
}

static volatile unsigned sink_hash;

static void on_reading(void *ctx, const struct reading *r)
{
    struct seen *w = ctx;
    FUZZ_CHECK(r->wh >= 0);                      /* negative values are value_range */
    FUZZ_CHECK(r->channel == 0 || r->channel == 1);
    FUZZ_CHECK(r->column >= 1 && r->column <= w->nfields);
    FUZZ_CHECK(r->value_column >= 0 && r->value_column <= w->nfields);
    FUZZ_CHECK(r->minutes >= 0 && r->minutes <= 1440);
    FUZZ_CHECK(r->mpxn || r->mpxn_len == 0);
    if (r->mpxn)
        sink_hash += touch(r->mpxn, r->mpxn_len);
    if (w->readings++ == 0) {
        w->first = *r;
        size_t n = r->mpxn_len < sizeof w->first_id ? r->mpxn_len : sizeof w->first_id - 1;
        if (r->mpxn)
            memcpy(w->first_id, r->mpxn, n);
        w->first_id[n] = '\0';
        w->first.mpxn_len = n;
    }
}

static void on_record(void *ctx, const char *const *values, int nvalues)
{
    struct seen *w = ctx;
    int ncols = 0;
    while (w->fmt->columns && w->fmt->columns[ncols])
        ncols++;
    FUZZ_CHECK(w->fmt->kind == READER_REGISTRY);
    FUZZ_CHECK(nvalues == ncols);
    for (int i = 0; i < nvalues; i++)
        if (values[i])
            sink_hash += touch(values[i], strlen(values[i]));
    w->records++;
}

static void on_reject(void *ctx, int column, const char *name, const char *code,
                      const char *message)
{
    struct seen *w = ctx;
    FUZZ_CHECK(code && *code);
    FUZZ_CHECK(message && *message);
    FUZZ_CHECK(column >= 0 && column <= w->nfields);
    if (name)
        sink_hash += touch(name, strlen(name));
    sink_hash += touch(message, strlen(message));
    w->rejects++;
}

/* What the fast line reader gave must be what row() gives for the same line. */
static void same_reading(const struct reading *fast, const struct seen *w)
{
    FUZZ_CHECK(w->rejects == 0 && w->readings == 1 && w->records == 0);
    const struct reading *slow = &w->first;
    FUZZ_CHECK(fast->mpxn_len == slow->mpxn_len);
    FUZZ_CHECK(memcmp(fast->mpxn, w->first_id, fast->mpxn_len) == 0);
    FUZZ_CHECK(fast->start == slow->start);
    FUZZ_CHECK(fast->minutes == slow->minutes);
    FUZZ_CHECK(fast->wh == slow->wh);
    FUZZ_CHECK(fast->quality == slow->quality);
    FUZZ_CHECK(fast->channel == slow->channel);
    FUZZ_CHECK(fast->column == slow->column);
    FUZZ_CHECK((fast->value_column ? fast->value_column : fast->column) ==
               (slow->value_column ? slow->value_column : slow->column));
}

/* Line 1 as fileheader.c reads it: the format and its state, or NULL. */
static const struct reader_format *read_header(const struct reader_format *fmt,
                                               struct reader_state *st, const char *s,
                                               size_t len)
{
    int bad;
    size_t n = csvline_trim(&s, len, 1);
    if (!utf8_valid(s, n, &bad))
        return NULL;
    struct linesplit ls;
    if (linesplit_init(&ls, ',') < 0)
        abort();
    char **fields;
    size_t *lens;
    int nf = linesplit_split(&ls, s, n, &fields, &lens, NULL);
    if (nf >= 0 && !fmt)
        fmt = reader_detect(fields, lens, nf);
    if (nf < 0 || !fmt) {
        linesplit_free(&ls);
        return NULL;
    }
    st->fmt = fmt;
    st->path = "fuzz.csv";
    st->line = 1;
    st->priv = calloc(1, fmt->state_size ? fmt->state_size : 1);
    if (!st->priv)
        abort();
    struct mo_err err;
    memset(&err, 0, sizeof err);
    int rc = fmt->header ? fmt->header(st, fields, lens, nf, &err) : 0;
    linesplit_free(&ls);
    if (rc < 0) {
        FUZZ_CHECK(err.code[0] != '\0');
        free(st->priv);
        st->priv = NULL;
        return NULL;
    }
    return fmt;
}

void fuzz_reader(const struct reader_format *fmt, const uint8_t *data, size_t size)
{
    const char *s = (const char *)data, *end = s + size;
    const char *nl = memchr(s, '\n', size);
    struct reader_state st, fst;
    memset(&st, 0, sizeof st);
    fmt = read_header(fmt, &st, s, nl ? (size_t)(nl - s) : size);
    if (!fmt || !nl)
        goto out;
    /* the fast reader gets a state of its own: it may remember the last line's prefix */
    fst = st;
    fst.priv = malloc(fmt->state_size ? fmt->state_size : 1);
    if (!fst.priv)
        abort();
    memcpy(fst.priv, st.priv, fmt->state_size);
    struct linesplit ls;
    if (linesplit_init(&ls, ',') < 0)
        abort();
    const struct reader_sink sink = { NULL, on_reading, on_record, on_reject };
    struct seen w;
    for (s = nl + 1; s < end;) {
        st.line++;
        fst.line = st.line;
        struct reading fast;
        size_t flen = fmt->fast_line ? fmt->fast_line(&fst, s, end, &fast) : 0;
        if (flen)
            sink_hash += touch(fast.mpxn, fast.mpxn_len);
        char **fields;
        size_t *lens;
        const char *next, *why = NULL;
        size_t raw_len;
        int nonascii, bad;
        int n = linesplit_next(&ls, s, end, &next, &raw_len, &nonascii, &fields, &lens, &why);
        FUZZ_CHECK(next > s && next <= end);
        FUZZ_CHECK(raw_len <= (size_t)(next - s));
        FUZZ_CHECK(n >= 0 || why);
        FUZZ_CHECK(!flen || flen == raw_len || (flen == raw_len + 1 && s[raw_len] == '\r'));
        int bad_utf8 = nonascii && !utf8_valid(s, raw_len, &bad);
        FUZZ_CHECK(!flen || !bad_utf8);
        memset(&w, 0, sizeof w);
        w.fmt = fmt;
        w.nfields = n;
        struct reader_sink k = sink;
        k.ctx = &w;
        if (!bad_utf8 && n >= 0) {
            fmt->row(&st, fields, lens, n, &k);
            /* a row is all its readings (or its record), or exactly one rejection */
            FUZZ_CHECK(w.rejects <= 1);
            FUZZ_CHECK(!w.rejects || (w.readings == 0 && w.records == 0));
            if (flen)
                same_reading(&fast, &w);
        } else {
            FUZZ_CHECK(!flen);
        }
        s = next;
    }
    linesplit_free(&ls);
    free(fst.priv);
out:
    free(st.priv);
}
