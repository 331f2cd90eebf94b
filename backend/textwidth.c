/* textwidth.c - see textwidth.h. */
#include "backend/textwidth.h"

#include "backend/textfmt.h"

#include <stdlib.h>
#include <string.h>

size_t text_next(const char *s, wchar_t *wc, int *width)
{
    char esc[9];
    size_t cn;
    const char *e = *s != '\t' ? fmt_control(s, &cn, esc) : NULL;
    if (e) {
        *wc = L'?';
        *width = (int)strlen(e);
        return cn;
    }
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t n = mbrtowc(wc, s, MB_CUR_MAX, &st);
    if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
        *wc = L'?';
        *width = 1;
        return 1;
    }
    if (*wc == L'\t') {
        *wc = L' ';
        *width = 1;
        return n;
    }
    int w = wcwidth(*wc);
    if (w < 0) {
        *wc = L'?';
        w = 1;
    }
    *width = w;
    return n;
}

int text_width(const char *s)
{
    int total = 0;
    while (*s) {
        wchar_t wc;
        int w;
        s += text_next(s, &wc, &w);
        total += w;
    }
    return total;
}
