/* fuzz_csvline.c - backend/csvline.c: any bytes split into NUL-terminated fields that lie
 * within the line's bytes, at most CSVLINE_MAX_FIELDS, or a reason; the trim removes at
 * most a BOM and a CR. */
#include "tests/fuzz/fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "backend/csvline.h"

FUZZ_ENTRY(csvline)
{
    struct csvline cl;
    if (csvline_init(&cl, size && (data[0] & 1) ? ';' : ',') < 0)
        abort();
    const char *s = (const char *)data, *end = s + size;
    int first = 1;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
        const char *line = s;
        size_t tl = csvline_trim(&line, len, first);
        FUZZ_CHECK(line >= s && line <= s + 3 && line + tl <= s + len);
        FUZZ_CHECK(len - tl - (size_t)(line - s) <= 1);
        const char *why = NULL;
        int n = csvline_split(&cl, line, tl, &why);
        if (n < 0) {
            FUZZ_CHECK(why && *why);
        } else {
            FUZZ_CHECK(n <= CSVLINE_MAX_FIELDS);
            size_t total = 0;
            for (int i = 0; i < n; i++) {
                FUZZ_CHECK(cl.fields[i][cl.lens[i]] == '\0');
                total += cl.lens[i];
            }
            FUZZ_CHECK(total <= tl);
        }
        first = 0;
        s = nl ? nl + 1 : end;
    }
    csvline_free(&cl);
    return 0;
}
