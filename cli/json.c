#include "cli/json.h"

#include <stdint.h>
#include <string.h>

#include "cli/text.h"

void json_string(FILE *out, const char *s)
{
    if (!s) {
        fputs("null", out);
        return;
    }
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', out);
    while (*p) {
        unsigned char c = *p;
        switch (c) {
        case '"': fputs("\\\"", out); p++; continue;
        case '\\': fputs("\\\\", out); p++; continue;
        case '\b': fputs("\\b", out); p++; continue;
        case '\f': fputs("\\f", out); p++; continue;
        case '\n': fputs("\\n", out); p++; continue;
        case '\r': fputs("\\r", out); p++; continue;
        case '\t': fputs("\\t", out); p++; continue;
        default: break;
        }
        if (c < 0x20) {
            fprintf(out, "\\u%04x", c);
            p++;
            continue;
        }
        uint32_t cp;
        int n = utf8_decode((const char *)p, &cp);
        if (n == 0) {
            fputs("\\ufffd", out);
            p++;
            continue;
        }
        fwrite(p, 1, (size_t)n, out);
        p += n;
    }
    fputc('"', out);
}

int json_is_number(const char *s)
{
    if (!s)
        return 0;
    if (*s == '-')
        s++;
    if (*s == '0')
        s++;
    else if (*s >= '1' && *s <= '9')
        while (*s >= '0' && *s <= '9')
            s++;
    else
        return 0;
    if (*s == '.') {
        s++;
        if (!(*s >= '0' && *s <= '9'))
            return 0;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!(*s >= '0' && *s <= '9'))
            return 0;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return *s == '\0';
}

void cjson_init(struct cjson *w, FILE *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
}

/* The member count of the innermost level. Nesting deeper than CJSON_MAX_DEPTH is a
 * programming error; it shares the deepest counter rather than writing out of bounds. */
static int *level_items(struct cjson *w)
{
    return &w->items[(w->depth < CJSON_MAX_DEPTH ? w->depth : CJSON_MAX_DEPTH) - 1];
}

/* Comma, newline and indentation before a value, then its key. */
static void member(struct cjson *w, const char *key)
{
    if (w->depth > 0) {
        if ((*level_items(w))++ > 0)
            fputc(',', w->out);
        fputc('\n', w->out);
        for (int i = 0; i < w->depth; i++)
            fputs("  ", w->out);
    }
    if (key) {
        json_string(w->out, key);
        fputs(": ", w->out);
    }
}

static void open_level(struct cjson *w, const char *key, char bracket)
{
    member(w, key);
    fputc(bracket, w->out);
    if (w->depth < CJSON_MAX_DEPTH)
        w->items[w->depth] = 0;
    w->depth++;
}

static void close_level(struct cjson *w, char bracket)
{
    int had = *level_items(w) > 0;
    w->depth--;
    if (had) {
        fputc('\n', w->out);
        for (int i = 0; i < w->depth; i++)
            fputs("  ", w->out);
    }
    fputc(bracket, w->out);
}

void cjson_object_begin(struct cjson *w, const char *key) { open_level(w, key, '{'); }
void cjson_object_end(struct cjson *w) { close_level(w, '}'); }
void cjson_array_begin(struct cjson *w, const char *key) { open_level(w, key, '['); }
void cjson_array_end(struct cjson *w) { close_level(w, ']'); }

void cjson_string(struct cjson *w, const char *key, const char *value)
{
    member(w, key);
    json_string(w->out, value);
}

void cjson_number(struct cjson *w, const char *key, const char *value)
{
    member(w, key);
    fputs(json_is_number(value) ? value : "null", w->out);
}

void cjson_int(struct cjson *w, const char *key, long long value)
{
    member(w, key);
    fprintf(w->out, "%lld", value);
}

void cjson_bool(struct cjson *w, const char *key, int value)
{
    member(w, key);
    fputs(value ? "true" : "false", w->out);
}

void cjson_finish(struct cjson *w)
{
    fputc('\n', w->out);
}
