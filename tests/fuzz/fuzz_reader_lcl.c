/* fuzz_reader_lcl.c - format `lcl` (backend/reader_lcl.c) read as the loader reads a
 * file: header, then each line through the splitter, the fast line reader and row(). */
#include "tests/fuzz/fuzz.h"

FUZZ_ENTRY(reader_lcl)
{
    fuzz_reader(&reader_lcl, data, size);
    return 0;
}
