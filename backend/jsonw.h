/* jsonw.h - the streaming JSON writer behind every `--json` (status, customer). It promises
 * valid JSON whatever the strings hold: quotes, backslashes and control characters (DEL
 * included) are escaped, and bytes that are not valid UTF-8 become U+FFFD, so a file path,
 * a customer's name or a server message with odd bytes cannot break a script's parser.
 * Commas, newlines and indentation are placed by the writer. Numbers stay numbers: exact
 * decimal text from the database is passed through when it is a JSON number (no digit lost
 * to a double), and written as null when it is not. */
#ifndef MO_JSONW_H
#define MO_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSONW_MAX_DEPTH 16

struct jsonw {
    FILE *out;
    int depth;
    bool need_comma[JSONW_MAX_DEPTH];
    bool after_key;
    int indent; /* spaces per level; 0 writes one line */
};

/* indent > 0 writes one member or element a line, indented by indent spaces a level, and a
 * newline after the top-level object or array. */
void jsonw_init(struct jsonw *w, FILE *out, int indent);
void jsonw_object_begin(struct jsonw *w);
void jsonw_object_end(struct jsonw *w);
void jsonw_array_begin(struct jsonw *w);
void jsonw_array_end(struct jsonw *w);
/* An object member's name; the next value call writes its value. */
void jsonw_key(struct jsonw *w, const char *key);
void jsonw_string(struct jsonw *w, const char *s); /* NULL writes null */
void jsonw_int(struct jsonw *w, int64_t v);
/* Non-finite numbers have no JSON spelling and are written as null. */
void jsonw_double(struct jsonw *w, double v, int decimals);
/* Decimal text written as it is when jsonw_is_number(text), else (NULL included) null. */
void jsonw_number(struct jsonw *w, const char *text);
void jsonw_bool(struct jsonw *w, bool v);
void jsonw_null(struct jsonw *w);
/* A member in one call: jsonw_key, then the value. */
void jsonw_member_string(struct jsonw *w, const char *key, const char *s);
void jsonw_member_int(struct jsonw *w, const char *key, int64_t v);
void jsonw_member_number(struct jsonw *w, const char *key, const char *text);
/* Whether s is a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? and nothing more. */
bool jsonw_is_number(const char *s);
/* The escaped form of s (with quotes) into buf; returns the length it needed. */
size_t jsonw_escape(const char *s, char *buf, size_t len);

#endif
