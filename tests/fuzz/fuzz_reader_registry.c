/* fuzz_reader_registry.c - the registry feeds (backend/reader_registry.c): the first
 * byte picks the format ('0' customers, '1' tariffs, '2' meters, '3' bills: its low two
 * bits), the rest is the file. */
#include "tests/fuzz/fuzz.h"

FUZZ_ENTRY(reader_registry)
{
    static const struct reader_format *const fmts[] = {
        &reader_customers, &reader_tariffs, &reader_meters, &reader_bills,
    };
    if (size == 0)
        return 0;
    fuzz_reader(fmts[data[0] & 3], data + 1, size - 1);
    return 0;
}
