/* fuzz_reader_long.c - format `long` (backend/reader_long.c) read as the loader reads a
 * file: header, then each line through the splitter, the fast line reader and row(). */
#include "tests/fuzz/fuzz.h"

FUZZ_ENTRY(reader_long)
{
    fuzz_reader(&reader_long, data, size);
    return 0;
}
