/* json.h - JSON output for commands' --json: a string escaper that always produces valid
 * JSON (control characters escaped, invalid UTF-8 replaced by U+FFFD) and a small writer
 * that places commas and indentation, so a document is valid by construction. Numbers are
 * written as numbers: exact decimal text from the database is passed through when it is a
 * JSON number, and written as null when it is not. */
#ifndef MO_JSON_H
#define MO_JSON_H

#include <stdio.h>

/* Writes s as a quoted JSON string; NULL is written as null. */
void json_string(FILE *out, const char *s);
/* 1 when s is a JSON number (-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?). */
int json_is_number(const char *s);

#define JSONW_MAX_DEPTH 16

struct jsonw {
    FILE *out;
    int depth;
    int items[JSONW_MAX_DEPTH]; /* members written so far at each level */
};

void jsonw_init(struct jsonw *w, FILE *out);
/* key is the member name inside an object and NULL inside an array or at the top. */
void jsonw_object_begin(struct jsonw *w, const char *key);
void jsonw_object_end(struct jsonw *w);
void jsonw_array_begin(struct jsonw *w, const char *key);
void jsonw_array_end(struct jsonw *w);
void jsonw_string(struct jsonw *w, const char *key, const char *value);
/* value: decimal text; NULL or not a JSON number -> null. */
void jsonw_number(struct jsonw *w, const char *key, const char *value);
void jsonw_int(struct jsonw *w, const char *key, long long value);
void jsonw_bool(struct jsonw *w, const char *key, int value);
/* Ends the document with a newline. */
void jsonw_finish(struct jsonw *w);

#endif
