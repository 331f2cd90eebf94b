/* The fast splitter gives exactly libcsv's fields (csvline_split) for every kind of line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "backend/csvline.h"
#include "backend/linesplit.h"

static void same_as_libcsv(struct linesplit *ls, struct csvline *cl, const char *line, size_t len)
{
    char **f;
    size_t *l;
    const char *why1 = NULL, *why2 = NULL;
    int n1 = linesplit_split(ls, line, len, &f, &l, &why1);
    int n2 = csvline_split(cl, line, len, &why2);
    if (n1 != n2)
        fail_msg("'%.*s': %d fields, libcsv says %d", (int)len, line, n1, n2);
    for (int i = 0; i < n1; i++) {
        assert_int_equal(l[i], cl->lens[i]);
        assert_memory_equal(f[i], cl->fields[i], l[i]);
        assert_int_equal(f[i][l[i]], '\0');
    }
}

static void test_matches_libcsv_on_handwritten_lines(void **state)
{
    (void)state;
    static const char *lines[] = {
        "", " ", "   ", "\t", ",", ",,", " , ", "a", "a,", "a, ", ",a", " ,a", "a,,b",
        " a , b ,\t c\t", "x y ,z", "MAC000002,2012-10-12 00:30:00.0000000, 0 ",
        "2700003645222,2024-06-01T00:30:00Z,0.215,A", "a,\"b,c\",d", "\"a\"\"b\",c",
        "a,\"b", "a\"b,c", "a\rb,c", "\"x\" ,y", "a,b\r", "caf\xC3\xA9,\xE2\x82\xAC",
    };
    struct linesplit ls;
    struct csvline cl;
    assert_int_equal(linesplit_init(&ls, ','), 0);
    assert_int_equal(csvline_init(&cl, ','), 0);
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        same_as_libcsv(&ls, &cl, lines[i], strlen(lines[i]));
    linesplit_free(&ls);
    csvline_free(&cl);
}

/* Every line of up to six characters over an alphabet of the characters that matter. */
static void test_matches_libcsv_on_every_short_line(void **state)
{
    (void)state;
    static const char alphabet[] = { 'a', ',', ' ', '\t', '"', '\r', '1' };
    const int k = sizeof alphabet;
    struct linesplit ls;
    struct csvline cl;
    assert_int_equal(linesplit_init(&ls, ','), 0);
    assert_int_equal(csvline_init(&cl, ','), 0);
    char line[8];
    for (int len = 0; len <= 6; len++) {
        long total = 1;
        for (int i = 0; i < len; i++)
            total *= k;
        for (long code = 0; code < total; code++) {
            long c = code;
            for (int i = 0; i < len; i++, c /= k)
                line[i] = alphabet[c % k];
            same_as_libcsv(&ls, &cl, line, (size_t)len);
        }
    }
    linesplit_free(&ls);
    csvline_free(&cl);
}

/* linesplit_next over a buffer of lines gives each line's libcsv fields and its raw text
 * without the terminator, whatever the terminators (LF, CRLF, none at the end). */
static void test_next_walks_lines_like_libcsv(void **state)
{
    (void)state;
    static const char *lines[] = {
        "", "a", "a,b", " a , b ", "2700003645222,2024-06-01T00:30:00Z,0.215,A",
        "a,\"b,c\",d", "a\rb,c", "x,y\r", "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p", "caf\xC3\xA9,1",
        "   ", ",", "0123456789abcdef,0123456789abcdef,", "tab\t,\tpad",
    };
    const size_t nl = sizeof lines / sizeof lines[0];
    struct linesplit ls;
    struct csvline cl;
    assert_int_equal(linesplit_init(&ls, ','), 0);
    assert_int_equal(csvline_init(&cl, ','), 0);
    char buf[4096];
    for (int term = 0; term < 3; term++) {
        size_t len = 0;
        for (size_t i = 0; i < nl; i++) {
            memcpy(buf + len, lines[i], strlen(lines[i]));
            len += strlen(lines[i]);
            if (i + 1 < nl || term < 2) {
                if (term == 1)
                    buf[len++] = '\r';
                buf[len++] = '\n';
            }
        }
        const char *s = buf, *end = buf + len;
        for (size_t i = 0; i < nl; i++) {
            char **f;
            size_t *l, raw;
            const char *next, *why = NULL;
            int nonascii;
            int n = linesplit_next(&ls, s, end, &next, &raw, &nonascii, &f, &l, &why);
            size_t want = strlen(lines[i]);
            if (term != 1 && want && lines[i][want - 1] == '\r')
                want--; /* a CR before the LF is the terminator's (one CR only) */
            assert_int_equal(raw, want);
            assert_memory_equal(s, lines[i], raw);
            assert_int_equal(nonascii, strchr(lines[i], '\xC3') != NULL);
            const char *text = s;
            size_t tl = csvline_trim(&text, raw, 0);
            int n2 = csvline_split(&cl, text, tl, NULL);
            assert_int_equal(n, n2);
            for (int k = 0; k < n; k++) {
                assert_int_equal(l[k], cl.lens[k]);
                assert_memory_equal(f[k], cl.fields[k], l[k]);
                assert_int_equal(f[k][l[k]], '\0');
            }
            s = next;
        }
        assert_ptr_equal(s, end);
    }
    linesplit_free(&ls);
    csvline_free(&cl);
}

static void test_refuses_too_many_fields(void **state)
{
    (void)state;
    struct linesplit ls;
    assert_int_equal(linesplit_init(&ls, ','), 0);
    char line[2 * CSVLINE_MAX_FIELDS + 2];
    memset(line, ',', sizeof line);
    char **f;
    size_t *l;
    const char *why = NULL;
    assert_int_equal(linesplit_split(&ls, line, sizeof line, &f, &l, &why), -1);
    assert_string_equal(why, "too many fields");
    assert_int_equal(linesplit_split(&ls, line, CSVLINE_MAX_FIELDS - 1, &f, &l, &why), CSVLINE_MAX_FIELDS);
    linesplit_free(&ls);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_libcsv_on_handwritten_lines),
        cmocka_unit_test(test_matches_libcsv_on_every_short_line),
        cmocka_unit_test(test_next_walks_lines_like_libcsv),
        cmocka_unit_test(test_refuses_too_many_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
