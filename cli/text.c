#include "cli/text.h"

#include <string.h>

#include "backend/textfmt.h"

/* Bytes and columns of the character at s (see text_next). */
static int char_at(const char *s, int *width)
{
    wchar_t wc;
    return (int)text_next(s, &wc, width);
}

void text_fit(char *buf, size_t len, const char *s, int width, int unicode)
{
    if (len == 0)
        return;
    const char *ellipsis = unicode ? "\xe2\x80\xa6" : "~";
    size_t o = 0;
    int cols = 0;
    int fits = text_width(s) <= width;
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
        char esc[9];
        size_t cn;
        int n = utf8_decode(s, &cp);
        const char *rep = s, *e = fmt_control(s, &cn, esc);
        size_t k = (size_t)n;
        if (e) { /* shown as fmt_visible shows it */
            rep = e;
            k = strlen(e);
            n = (int)cn;
        } else if (n == 0 || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
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
