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

#define CJSON_MAX_DEPTH 16

struct cjson {
    FILE *out;
    int depth;
    int items[CJSON_MAX_DEPTH]; /* members written so far at each level */
};

void cjson_init(struct cjson *w, FILE *out);
/* key is the member name inside an object and NULL inside an array or at the top. */
void cjson_object_begin(struct cjson *w, const char *key);
void cjson_object_end(struct cjson *w);
void cjson_array_begin(struct cjson *w, const char *key);
void cjson_array_end(struct cjson *w);
void cjson_string(struct cjson *w, const char *key, const char *value);
/* value: decimal text; NULL or not a JSON number -> null. */
void cjson_number(struct cjson *w, const char *key, const char *value);
void cjson_int(struct cjson *w, const char *key, long long value);
void cjson_bool(struct cjson *w, const char *key, int value);
/* Ends the document with a newline. */
void cjson_finish(struct cjson *w);

#endif
