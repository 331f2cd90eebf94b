#include "cli/text.h"

#include <string.h>

int utf8_decode(const char *s, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned char c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    int n;
    uint32_t v;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        v = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        v = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        v = c & 0x07u;
    } else {
        return 0;
    }
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (p[i] & 0x3Fu);
    }
    if ((n == 3 && v < 0x800) || (n == 4 && v < 0x10000) || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

static int cp_width(uint32_t c)
{
    if ((c >= 0x300 && c <= 0x36F) || (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) ||
        (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE20 && c <= 0xFE2F) || c == 0x200B || c == 0x200D)
        return 0;
    if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
        (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
        (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) || (c >= 0x1F900 && c <= 0x1F9FF) ||
        (c >= 0x20000 && c <= 0x3FFFD))
        return 2;
    return 1;
}

/* Length and width of the character at s (an invalid byte: one byte, one column). */
static int char_at(const char *s, int *width)
{
    uint32_t cp;
    int n = utf8_decode(s, &cp);
    if (n == 0) {
        *width = 1;
        return 1;
    }
    *width = cp_width(cp);
    return n;
}

int cli_text_width(const char *s)
{
    int cols = 0, w;
    while (*s) {
        s += char_at(s, &w);
        cols += w;
    }
    return cols;
}

void text_fit(char *buf, size_t len, const char *s, int width, int unicode)
{
    if (len == 0)
        return;
    const char *ellipsis = unicode ? "\xe2\x80\xa6" : "~";
    size_t o = 0;
    int cols = 0;
    int fits = cli_text_width(s) <= width;
    /* Room for the text: all of the width, or all but the ellipsis's column. */
    int room = fits ? width : width - 1;
    while (*s) {
        int w, n = char_at(s, &w);
        if (cols + w > room || o + (size_t)n >= len)
            break;
        memcpy(buf + o, s, (size_t)n);
        o += (size_t)n;
        cols += w;
        s += n;
    }
    if (!fits && width > 0 && o + strlen(ellipsis) < len) {
        memcpy(buf + o, ellipsis, strlen(ellipsis));
        o += strlen(ellipsis);
        cols++;
    }
    while (cols < width && o + 1 < len) {
        buf[o++] = ' ';
        cols++;
    }
    buf[o] = '\0';
}

size_t text_wrap(const char *s, int width)
{
    size_t o = 0, last_space = 0;
    int cols = 0;
    while (s[o]) {
        int w, n = char_at(s + o, &w);
        if (cols + w > width) {
            if (s[o] == ' ')
                return o;
            if (last_space > 0)
                return last_space;
            return o > 0 ? o : (size_t)n; /* at least one character per line */
        }
        if (s[o] == ' ')
            last_space = o;
        cols += w;
        o += (size_t)n;
    }
    return o;
}

void text_terminal(char *buf, size_t len, const char *s, int unicode)
{
    if (len == 0)
        return;
    size_t o = 0;
    while (*s) {
        uint32_t cp;
        int n = utf8_decode(s, &cp);
        const char *rep = s;
        size_t k = (size_t)n;
        if (n == 0 || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
            rep = "?";
            k = 1;
        } else if (!unicode && n > 1) {
            rep = cp == 0xA3 ? "GBP" : "?";
            k = strlen(rep);
        }
        if (o + k >= len)
            break;
        memcpy(buf + o, rep, k);
        o += k;
        s += n > 0 ? n : 1;
    }
    buf[o] = '\0';
}

int bar_draw(char *buf, size_t len, double value, double max, int width, int unicode)
{
    if (len == 0)
        return 0;
    buf[0] = '\0';
    if (!(value > 0) || !(max > 0) || width <= 0)
        return 0;
    double frac = value >= max ? 1.0 : value / max;
    int steps = unicode ? 8 : 1;
    long units = (long)(frac * width * steps + 0.5);
    if (units < 1)
        units = 1;
    long full = units / steps, rest = units % steps;
    size_t o = 0;
    int cols = 0;
    for (long i = 0; i < full; i++) {
        const char *cell = unicode ? "\xe2\x96\x88" : "#";
        size_t k = strlen(cell);
        if (o + k >= len)
            break;
        memcpy(buf + o, cell, k);
        o += k;
        cols++;
    }
    if (rest > 0 && o + 3 < len) {
        /* U+258F is one eighth, U+2589 seven eighths. */
        buf[o++] = (char)0xe2;
        buf[o++] = (char)0x96;
        buf[o++] = (char)(0x90 - rest);
        cols++;
    }
    buf[o] = '\0';
    return cols;
}
