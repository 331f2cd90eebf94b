/* draw.h - writing text into a window cell by cell: UTF-8 decoded for the locale, wide
 * characters counted as two columns, control characters shown as '?', and everything
 * clipped to the room given. Every line is written to its full width (padding with the
 * role's blank), so a frame never needs an erase and curses sends only changed cells. */
#ifndef MO_DRAW_H
#define MO_DRAW_H

#include <curses.h>
#include <stddef.h>

/* Columns s takes on screen (as draw_text would write it). */
int text_width(const char *s);
/* Writes s at (y, x) in at most maxw columns; returns the columns written. When s does not
 * fit and ellipsis is not NULL, its last columns become the ellipsis. */
int draw_text(WINDOW *w, int y, int x, int maxw, attr_t a, const char *s, const char *ellipsis);
/* As draw_text, but skips the first `skip` columns of s (horizontal scrolling). */
int draw_text_from(WINDOW *w, int y, int x, int maxw, attr_t a, const char *s, int skip);
/* As draw_text, right-aligned in a field of maxw columns (padding on the left). */
int draw_text_right(WINDOW *w, int y, int x, int maxw, attr_t a, const char *s);
/* Blanks from x for n columns with attribute a. */
void draw_fill(WINDOW *w, int y, int x, int n, attr_t a);
/* The last `maxw` columns of s: long paths keep their file name ("...2024-06-01/x.csv"). */
const char *text_tail(const char *s, int maxw, char *buf, size_t len, const char *ellipsis);

#endif
