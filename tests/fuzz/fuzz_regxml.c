/* fuzz_regxml.c - backend/regxml.c over arbitrary bytes, read as each registry feed in
 * turn (the one its root names, as the loader picks it; else its size picks one): regxml_read returns 0 or -1, a refusal
 * always has a code and a place, and every record handed over has its number in order
 * and exactly the format's column count. */
#include "tests/fuzz/fuzz.h"

#include <sys/mman.h>
#include <unistd.h>

#include "backend/regxml.h"

struct seen {
    long last;
    int ncols;
};

static int check_record(void *ctx, const struct regxml_record *r)
{
    struct seen *s = ctx;
    FUZZ_CHECK(r->number == s->last + 1);
    FUZZ_CHECK(r->nfields == s->ncols);
    for (int i = 0; i < r->nfields; i++)
        FUZZ_CHECK(r->lens[i] <= REGXML_MAX_TEXT);
    s->last = r->number;
    return 0;
}

FUZZ_ENTRY(regxml)
{
    static const struct reader_format *const fmts[] = { &reader_customers, &reader_tariffs,
                                                        &reader_meters, &reader_bills };
    const struct reader_format *fmt = regxml_sniff((const char *)data, size);
    if (!fmt)
        fmt = fmts[size % 4];
    int fd = memfd_create("fuzz.xml", 0);
    if (fd < 0)
        return 0;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    struct seen s = { 0, 0 };
    while (fmt->columns[s.ncols])
        s.ncols++;
    struct mo_err err;
    mo_err_clear(&err);
    int rc = regxml_read(fd, "fuzz.xml", fmt, check_record, &s, &err);
    FUZZ_CHECK(rc == 0 || rc == -1);
    if (rc < 0)
        FUZZ_CHECK(err.code[0] != '\0');
    close(fd);
    return 0;
}
