/* textwidth.h - how many terminal columns text takes, for every layer that lays text out
 * (ui/ draws with curses, cli/ prints tables). Characters are read in the locale's
 * multibyte encoding (mbrtowc) and measured by wcwidth, the rules curses and the terminal
 * themselves use, so a column counted here is a column on screen: combining marks take
 * none, East Asian wide characters and most emoji two. A byte that does not decode and a
 * tab take one column each (callers show them as '?' and ' '); a control character takes
 * the columns of its escape (fmt_control: \n, \x1B), which callers show. The program sets the locale first
 * (setlocale(LC_CTYPE, "")); in the C locale every byte above ASCII is one column.
 * Text that must be judged as UTF-8 whatever the terminal (JSON escaping, terminal
 * sanitising) uses utf8_decode from backend/utf8.h, included here for those callers.
 * Pure functions over strings: no curses, no I/O. */
#ifndef MO_TEXTWIDTH_H
#define MO_TEXTWIDTH_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "backend/utf8.h"

/* The character at s (not at its end): its bytes are returned, its wide value and its
 * columns stored. A byte that does not decode: 1 byte, L'?', 1 column; a tab: L' ', 1
 * column; a control character (fmt_control): L'?', the columns of its escape; another
 * character without a width: L'?', 1 column. */
size_t text_next(const char *s, wchar_t *wc, int *width);

/* Columns s takes on screen: the sum of text_next's widths. */
int text_width(const char *s);

#endif
