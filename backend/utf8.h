/* utf8.h - the one strict UTF-8 decoder: what the loader's encoding check (check 1), the
 * error log's escaping of raw lines and the text helpers (JSON, terminal output) judge
 * text by, whatever the locale. Strict means RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF, no truncated sequence. Pure functions; no allocation. */
#ifndef MO_UTF8_H
#define MO_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The sequence at s, of at most n (>= 1) bytes: its length (1-4) with *cp (when not NULL)
 * its code point, or 0 when the bytes there are not valid UTF-8. A NUL byte is a valid
 * one-byte sequence. */
int utf8_seq(const char *s, size_t n, uint32_t *cp);

/* utf8_seq on a NUL-terminated string (a sequence cut by the terminator is invalid). */
int utf8_decode(const char *s, uint32_t *cp);

/* Nonzero when s[0..len) is valid UTF-8; otherwise *bad_col (when not NULL) gets the
 * 1-based byte column where the first invalid sequence starts. */
int utf8_valid(const char *s, size_t len, int *bad_col);

#endif
