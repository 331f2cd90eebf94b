/* text.h - shaping UTF-8 text for a terminal: fitting into a column, word wrapping, safe
 * printing (with an ASCII fallback for terminals whose locale is not UTF-8), and
 * horizontal bars of block characters. Columns are counted as backend/textwidth.h counts
 * them (the locale's wcwidth, as the console does), so the program sets the locale first.
 * Pure functions over strings (unit tested). */
#ifndef MO_TEXT_H
#define MO_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "backend/textwidth.h"

/* s cut to at most width columns (the last one an ellipsis, "~" when !unicode, where it
 * had to be cut) and padded with spaces to exactly width columns, into buf. */
void text_fit(char *buf, size_t len, const char *s, int width, int unicode);

/* Bytes of s that make its first line when wrapped at width columns: up to the last space
 * that fits, or cut inside a word longer than the line. The caller skips spaces after. */
size_t text_wrap(const char *s, int width);

/* s made safe to print on a terminal, into buf: control characters (C0, DEL, C1: an
 * escape sequence in a customer's name must not drive the terminal) are shown escaped as
 * fmt_visible shows them (\x1B, \n), invalid UTF-8 becomes "?". Without unicode (a locale that is not UTF-8) every non-ASCII character is
 * replaced too: "£" by "GBP", anything else by "?". Cut at a character boundary when buf
 * is too small. */
void text_terminal(char *buf, size_t len, const char *s, int unicode);

/* A bar of value scaled so that max fills width columns, into buf: with unicode, full
 * blocks and one eighth-block for the remainder (U+2588..U+258F), rounded to the nearest
 * eighth; else '#' per column, rounded to the nearest column. A value above 0 always
 * shows (one eighth, or one '#'); 0, negative or a max of 0 draw nothing. Returns the
 * columns drawn. */
int bar_draw(char *buf, size_t len, double value, double max, int width, int unicode);

#endif
