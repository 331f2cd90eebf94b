/* fuzz_espi.c - backend/espi.c over arbitrary bytes: espi_read_memory returns 0 or -1,
 * a refusal always has a code, a file read to its end gave at least one reading, and
 * every reading is refused with a code or is a 15/30/60-minute reading on channel 0 or 1,
 * quality A or E. */
#include "tests/fuzz/fuzz.h"

#include "backend/espi.h"

static int check_reading(void *ctx, const struct doc_reading *r)
{
    (void)ctx;
    if (r->code) {
        FUZZ_CHECK(r->code[0] != '\0');
        return 0;
    }
    FUZZ_CHECK(r->seconds == 900 || r->seconds == 1800 || r->seconds == 3600);
    FUZZ_CHECK(r->channel == 0 || r->channel == 1);
    FUZZ_CHECK(r->quality == 'A' || r->quality == 'E');
    FUZZ_CHECK(r->line >= 1);
    return 0;
}

FUZZ_ENTRY(espi)
{
    struct mo_err err;
    struct espi_info info;
    mo_err_clear(&err);
    const struct doc_sink sink = { NULL, check_reading };
    const struct espi_opts wh = { .default_uom = ESPI_UOM_WH };
    int rc = espi_read_memory((const char *)data, size, "fuzz.xml", size % 2 ? &wh : NULL,
                              &sink, &info, &err);
    FUZZ_CHECK(rc == 0 || rc == -1);
    if (rc < 0)
        FUZZ_CHECK(err.code[0] != '\0');
    else
        FUZZ_CHECK(info.readings >= 1);
    return 0;
}
