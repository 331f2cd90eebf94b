/* samebytes.h - equality of short byte strings (meter ids, line prefixes) on the loader's
 * per-line path, without a call to memcmp: two overlapping 8-byte loads a side cover 8 to
 * 16 bytes, four cover 16 to 32; anything else goes to memcmp. */
#ifndef MO_SAMEBYTES_H
#define MO_SAMEBYTES_H

#include <stdint.h>
#include <string.h>

static inline int same_bytes(const char *a, const char *b, size_t n)
{
    if (n < 8 || n > 32)
        return memcmp(a, b, n) == 0;
    uint64_t a0, a1, b0, b1;
    memcpy(&a0, a, 8);
    memcpy(&b0, b, 8);
    memcpy(&a1, a + n - 8, 8);
    memcpy(&b1, b + n - 8, 8);
    if (n <= 16)
        return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    uint64_t a2, a3, b2, b3;
    memcpy(&a2, a + 8, 8);
    memcpy(&b2, b + 8, 8);
    memcpy(&a3, a + n - 16, 8);
    memcpy(&b3, b + n - 16, 8);
    return ((a0 ^ b0) | (a1 ^ b1) | (a2 ^ b2) | (a3 ^ b3)) == 0;
}

#endif
