/* fuzz_reader_wide.c - format `wide` (backend/reader_wide.c) read as the loader reads a
 * file: header, then each line through the splitter, the fast line reader and row(). */
#include "tests/fuzz/fuzz.h"

FUZZ_ENTRY(reader_wide)
{
    fuzz_reader(&reader_wide, data, size);
    return 0;
}
