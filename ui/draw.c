/* draw.c - see draw.h. */
#include "ui/draw.h"

#include "backend/textfmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int put_chars(WINDOW *w, int y, int x, int maxw, attr_t a, const char *s, int skip)
{
    int col = 0, seen = 0;
    wmove(w, y, x);
    while (*s && col < maxw) {
        wchar_t wc;
        int cw;
        char esc[9];
        size_t en;
        /* a control character from a file or a name is shown as its escape (\x1B) */
        const char *e = *s != '\t' ? fmt_control(s, &en, esc) : NULL;
        s += text_next(s, &wc, &cw);
        if (e && seen >= skip && col + cw <= maxw) {
            for (; *e; e++) {
                cchar_t cc;
                wchar_t str[2] = { (wchar_t)*e, L'\0' };
                setcchar(&cc, str, a, PAIR_NUMBER(a), NULL);
                wadd_wch(w, &cc);
            }
            col += cw;
            continue;
        }
        if (seen < skip) {
            seen += cw;
            continue;
        }
        if (cw == 0)
            continue; /* combining marks: dropping keeps the column count right */
        if (col + cw > maxw)
            break;
        cchar_t cc;
        wchar_t str[2] = { wc, L'\0' };
        setcchar(&cc, str, a, PAIR_NUMBER(a), NULL);
        wadd_wch(w, &cc);
        col += cw;
    }
    return col;
}

void draw_fill(WINDOW *w, int y, int x, int n, attr_t a)
{
    if (n <= 0)
        return;
    wattrset(w, a);
    mvwhline(w, y, x, ' ', n);
    wattrset(w, A_NORMAL);
}

int draw_text(WINDOW *w, int y, int x, int maxw, attr_t a, const char *s, const char *ellipsis)
{
    if (maxw <= 0)
        return 0;
    if (ellipsis && text_width(s) > maxw) {
        int ew = text_width(ellipsis);
        if (ew >= maxw)
            return put_chars(w, y, x, maxw, a, s, 0);
        int n = put_chars(w, y, x, maxw - ew, a, s, 0);
        return n + put_chars(w, y, x + n, ew, a, ellipsis, 0);
    }
    return put_chars(w, y, x, maxw, a, s, 0);
}

int draw_text_from(WINDOW *w, int y, int x, int maxw, attr_t a, const char *s, int skip)
{
    if (maxw <= 0)
        return 0;
    return put_chars(w, y, x, maxw, a, s, skip > 0 ? skip : 0);
}

int draw_text_right(WINDOW *w, int y, int x, int maxw, attr_t a, const char *s)
{
    int tw = text_width(s);
    if (tw >= maxw)
        return draw_text(w, y, x, maxw, a, s, NULL);
    draw_fill(w, y, x, maxw - tw, a);
    put_chars(w, y, x + maxw - tw, tw, a, s, 0);
    return maxw;
}

const char *text_tail(const char *s, int maxw, char *buf, size_t len, const char *ellipsis)
{
    int tw = text_width(s);
    if (tw <= maxw) {
        snprintf(buf, len, "%s", s);
        return buf;
    }
    int ew = ellipsis ? text_width(ellipsis) : 0;
    int drop = tw - (maxw - ew);
    const char *p = s;
    int seen = 0;
    while (*p && seen < drop) {
        wchar_t wc;
        int cw;
        p += text_next(p, &wc, &cw);
        seen += cw;
    }
    snprintf(buf, len, "%s%s", ellipsis ? ellipsis : "", p);
    return buf;
}
