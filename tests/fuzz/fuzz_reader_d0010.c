/* fuzz_reader_d0010.c - the D0010 reader (backend/reader_d0010.c) over arbitrary bytes,
 * driven as the registry path drives it: the flow sniffed from line 1 (dtc_sniff), each
 * line split at '|' (linesplit_next), line 1 through header(), the rest through row()
 * (lines that are not UTF-8 skipped, as loadreg.c refuses them first), then end(). Checks
 * reader_d0010.c's promises: a row is one read of 9 values (the MPAN core, serial,
 * register, read time and reading always set, the time as "YYYY-MM-DD HH:MM:SS"), or no
 * record, or exactly one rejection; end() either accepts the file or refuses it with a
 * code and a line. */
#include <stdlib.h>
#include <string.h>

#include "backend/linesplit.h"
#include "backend/reader_d0010.h"
#include "backend/utf8.h"
#include "tests/fuzz/fuzz.h"

struct seen {
    int records, empty, rejects;
};

static void on_reading(void *ctx, const struct reading *r)
{
    (void)ctx;
    (void)r;
    FUZZ_CHECK(!"a D0010 row emitted an interval reading");
}

static void on_record(void *ctx, const char *const *v, int n)
{
    struct seen *w = ctx;
    if (n == 0) {
        w->empty++;
        return;
    }
    FUZZ_CHECK(n == 9);
    for (int i = 0; i < 9; i++)
        if (i == 0 || i == 2 || i == 4 || i == 5 || i == 6)
            FUZZ_CHECK(v[i] && v[i][0]);
    FUZZ_CHECK(strlen(v[0]) == 13);
    FUZZ_CHECK(strlen(v[5]) == 19 && v[5][4] == '-' && v[5][10] == ' ' && v[5][13] == ':');
    w->records++;
}

static void on_reject(void *ctx, int column, const char *name, const char *code, const char *msg)
{
    struct seen *w = ctx;
    FUZZ_CHECK(code && code[0] && msg && msg[0]);
    FUZZ_CHECK(column >= 0 && column <= 8);
    FUZZ_CHECK(!name || column > 0);
    w->rejects++;
}

FUZZ_ENTRY(reader_d0010)
{
    const char *s = (const char *)data, *end = s + size;
    char flow[20];
    enum dtc_kind kind = dtc_sniff(s, size, flow, sizeof flow);
    FUZZ_CHECK(strlen(flow) < sizeof flow);
    struct reader_state st = { .fmt = &reader_d0010, .path = "fuzz.uff" };
    st.priv = calloc(1, reader_d0010.state_size);
    struct linesplit ls;
    if (!st.priv || linesplit_init(&ls, reader_d0010.delimiter) < 0)
        abort();
    const struct reader_sink sink0 = { NULL, on_reading, on_record, on_reject };
    int header_ok = 0;
    for (st.line = 1; s < end; st.line++) {
        char **fields;
        size_t *lens;
        const char *next, *why = NULL;
        size_t raw_len;
        int nonascii, bad;
        int n = linesplit_next(&ls, s, end, &next, &raw_len, &nonascii, &fields, &lens, &why);
        FUZZ_CHECK(next > s && next <= end);
        /* as loadreg.c: a line that is text and splits goes to row(), even with no field */
        int text = n >= 0 && !memchr(s, 0, raw_len) && (!nonascii || utf8_valid(s, raw_len, &bad));
        if (st.line == 1) {
            /* fileheader.c gives line 1 to the reader only when the flow is D0010 */
            struct mo_err err = { .code = "" };
            header_ok = kind == DTC_D0010 && text && n > 0 &&
                        reader_d0010.header(&st, fields, lens, n, &err) == 0;
            FUZZ_CHECK(!header_ok || strcmp(fields[0], "ZHV") == 0);
            FUZZ_CHECK(kind != DTC_D0010 || !text || header_ok || err.message[0]);
            if (!header_ok)
                break;
        } else if (text) {
            struct seen w = { 0 };
            struct reader_sink k = sink0;
            k.ctx = &w;
            reader_d0010.row(&st, fields, lens, n, &k);
            FUZZ_CHECK(w.records + w.empty + w.rejects == 1);
        }
        s = next;
    }
    if (header_ok) {
        struct mo_err err;
        memset(&err, 0, sizeof err);
        int rc = reader_d0010.end(&st, &err);
        FUZZ_CHECK(rc == 0 || (rc == -1 && err.code[0] && err.message[0] && err.line >= 1));
    }
    linesplit_free(&ls);
    free(st.priv);
    return 0;
}
