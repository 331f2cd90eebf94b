/* fuzz_reader_esb.c - format `esb-hdf` (backend/reader_esb.c) read as the loader reads a
 * file: header, then each line through the splitter, the fast line reader and row(). */
#include "tests/fuzz/fuzz.h"

FUZZ_ENTRY(reader_esb)
{
    fuzz_reader(&reader_esb_hdf, data, size);
    return 0;
}
