/* fuzz.h - what the fuzz harnesses (tests/fuzz/fuzz_*.c) share.
 *
 * Each harness is one function over arbitrary bytes. Built with --enable-fuzzing it is
 * LLVMFuzzerTestOneInput and libFuzzer drives it (`make fuzz`); built normally
 * (FUZZ_REPLAY) it is fuzz_NAME, and tests/fuzz/replay.c runs every file of
 * tests/fuzz/corpus/NAME and tests/fuzz/regress/NAME through it in `make check`.
 * A harness checks the parser's promises (its header's contract) besides memory safety,
 * and calls abort() through FUZZ_CHECK when one is broken. */
#ifndef MO_FUZZ_H
#define MO_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "backend/reader.h"

/* The harnesses, by name (tests/fuzz/fuzz_NAME.c). */
#define FUZZ_HARNESSES(X) \
    X(reader_long) X(reader_wide) X(reader_lcl) X(reader_esb) X(reader_registry) \
    X(linesplit) X(csvline) X(kwh_decimal) X(halfhour) X(mpan) X(fileload) X(espi) X(octopus) \
    X(regxml) X(reader_d0010)

#ifdef FUZZ_REPLAY
#define FUZZ_DECLARE(name) int fuzz_##name(const uint8_t *data, size_t size);
FUZZ_HARNESSES(FUZZ_DECLARE)
#define FUZZ_ENTRY(name) int fuzz_##name(const uint8_t *data, size_t size)
#else
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#define FUZZ_ENTRY(name) int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#endif

/* Prints what broke, where, and aborts (libFuzzer then keeps the input as a crash). */
_Noreturn void fuzz_fail(const char *what, const char *file, int line);
#define FUZZ_CHECK(cond) ((cond) ? (void)0 : fuzz_fail(#cond, __FILE__, __LINE__))

/* Reads data as a file of fmt the way the loader does (fileheader.c for line 1, then
 * linesplit_next, the UTF-8 check and the format's fast line reader and row() for each
 * line) and checks the reader contract of reader.h on every row. fmt NULL: the format the
 * header names (as for a file queued without --format), nothing when none does. */
void fuzz_reader(const struct reader_format *fmt, const uint8_t *data, size_t size);

#endif
