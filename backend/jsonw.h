/* jsonw.h - a small streaming JSON writer for `--json` output. It promises valid JSON
 * whatever the strings hold: quotes, backslashes and control characters are escaped, and
 * bytes that are not valid UTF-8 become U+FFFD, so a file path or a server message with
 * odd bytes cannot break a monitoring script's parser. Commas are placed by the writer. */
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
void jsonw_bool(struct jsonw *w, bool v);
void jsonw_null(struct jsonw *w);
/* The escaped form of s (with quotes) into buf; returns the length it needed. */
size_t jsonw_escape(const char *s, char *buf, size_t len);

#endif
