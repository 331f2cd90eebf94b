/* fuzz_linesplit.c - backend/linesplit.c against libcsv: linesplit_split and
 * linesplit_next must give exactly csvline_split's fields for every line (linesplit.h),
 * and linesplit_next must cut lines where memchr finds the newlines. */
#include "tests/fuzz/fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "backend/csvline.h"
#include "backend/linesplit.h"

static void same_fields(int n, char **f, size_t *l, const struct csvline *cl)
{
    FUZZ_CHECK(n == cl->nfields);
    for (int i = 0; i < n; i++) {
        FUZZ_CHECK(l[i] == cl->lens[i]);
        FUZZ_CHECK(memcmp(f[i], cl->fields[i], l[i]) == 0);
        FUZZ_CHECK(f[i][l[i]] == '\0');
    }
}

FUZZ_ENTRY(linesplit)
{
    struct linesplit ls, ls2;
    struct csvline cl;
    if (linesplit_init(&ls, ',') < 0 || linesplit_init(&ls2, ',') < 0 || csvline_init(&cl, ',') < 0)
        abort();
    const char *s = (const char *)data, *end = s + size;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t want = nl ? (size_t)(nl - s) : (size_t)(end - s);
        if (want && s[want - 1] == '\r')
            want--;
        const char *next, *why = NULL;
        size_t raw_len;
        int nonascii;
        char **f, **f2;
        size_t *l, *l2;
        int n = linesplit_next(&ls, s, end, &next, &raw_len, &nonascii, &f, &l, &why);
        FUZZ_CHECK(raw_len == want);
        FUZZ_CHECK(next == (nl ? nl + 1 : end));
        int hi = 0;
        for (size_t i = 0; i < raw_len; i++)
            hi |= (unsigned char)s[i] >= 0x80;
        FUZZ_CHECK(!nonascii == !hi);
        int n2 = linesplit_split(&ls2, s, raw_len, &f2, &l2, NULL);
        int n3 = csvline_split(&cl, s, raw_len, NULL);
        FUZZ_CHECK((n < 0) == (n3 < 0));
        FUZZ_CHECK((n2 < 0) == (n3 < 0));
        if (n3 >= 0) {
            same_fields(n, f, l, &cl);
            same_fields(n2, f2, l2, &cl);
        }
        s = next;
    }
    csvline_free(&cl);
    linesplit_free(&ls2);
    linesplit_free(&ls);
    return 0;
}
