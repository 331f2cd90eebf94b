/* utf8.c - see utf8.h. */
#include "backend/utf8.h"

int utf8_seq(const char *str, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned char c = s[0];
    if (c < 0x80) {
        if (cp)
            *cp = c;
        return 1;
    }
    int len;
    uint32_t v, min;
    if ((c & 0xE0) == 0xC0) {
        len = 2; v = c & 0x1Fu; min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3; v = c & 0x0Fu; min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4; v = c & 0x07u; min = 0x10000;
    } else {
        return 0;
    }
    if ((size_t)len > n)
        return 0;
    for (int k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[k] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    if (cp)
        *cp = v;
    return len;
}

int utf8_decode(const char *s, uint32_t *cp)
{
    /* a continuation test fails at the terminator, so no byte past it is read */
    return utf8_seq(s, 4, cp);
}

int utf8_valid(const char *s, size_t len, int *bad_col)
{
    size_t i = 0;
    while (i < len) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        int k = utf8_seq(s + i, len - i, NULL);
        if (k == 0) {
            if (bad_col)
                *bad_col = (int)i + 1;
            return 0;
        }
        i += (size_t)k;
    }
    return 1;
}
