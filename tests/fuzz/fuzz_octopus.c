/* fuzz_octopus.c - backend/octopus.c over arbitrary bytes: 0 or -1, a refusal has a code,
 * every reading is refused with a code or lasts a positive time; and octopus_m3_to_wh on
 * the same bytes never returns a negative energy for text without a minus sign. */
#include "tests/fuzz/fuzz.h"

#include <string.h>

#include "backend/octopus.h"

static int check_reading(void *ctx, const struct doc_reading *r)
{
    (void)ctx;
    if (r->code)
        FUZZ_CHECK(r->code[0] != '\0');
    else
        FUZZ_CHECK(r->seconds > 0 && r->line >= 1);
    return 0;
}

FUZZ_ENTRY(octopus)
{
    struct mo_err err;
    mo_err_clear(&err);
    const struct doc_sink sink = { NULL, check_reading };
    const struct octopus_opts m3 = { .unit = OCTOPUS_M3 };
    int rc = octopus_read_memory((const char *)data, size, "fuzz.json", size % 2 ? &m3 : NULL,
                                 &sink, NULL, &err);
    FUZZ_CHECK(rc == 0 || rc == -1);
    if (rc < 0)
        FUZZ_CHECK(err.code[0] != '\0');
    int64_t wh;
    if (size < 40 && !memchr(data, '-', size) &&
        octopus_m3_to_wh((const char *)data, size, OCTOPUS_CORRECTION_DEFAULT,
                         OCTOPUS_CV_DEFAULT, &wh) == 0)
        FUZZ_CHECK(wh >= 0);
    return 0;
}
