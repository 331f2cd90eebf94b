/* jsonw.c - see jsonw.h. */
#include "backend/jsonw.h"

#include "backend/textwidth.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void jsonw_init(struct jsonw *w, FILE *out, int indent)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->indent = indent;
}

static void newline(struct jsonw *w)
{
    if (!w->indent)
        return;
    fputc('\n', w->out);
    for (int i = 0; i < w->depth * w->indent; i++)
        fputc(' ', w->out);
}

/* Separator and indentation before a value or a key. */
static void value_prefix(struct jsonw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth > 0) {
        if (w->need_comma[w->depth])
            fputc(',', w->out);
        newline(w);
        w->need_comma[w->depth] = true;
    }
}

static void container_open(struct jsonw *w, char c)
{
    value_prefix(w);
    fputc(c, w->out);
    if (w->depth < JSONW_MAX_DEPTH - 1)
        w->depth++;
    w->need_comma[w->depth] = false;
}

static void container_close(struct jsonw *w, char c)
{
    bool had = w->need_comma[w->depth];
    if (w->depth > 0)
        w->depth--;
    if (had)
        newline(w);
    fputc(c, w->out);
    if (w->depth == 0 && w->indent)
        fputc('\n', w->out);
}

void jsonw_object_begin(struct jsonw *w) { container_open(w, '{'); }
void jsonw_object_end(struct jsonw *w) { container_close(w, '}'); }
void jsonw_array_begin(struct jsonw *w) { container_open(w, '['); }
void jsonw_array_end(struct jsonw *w) { container_close(w, ']'); }

size_t jsonw_escape(const char *s, char *buf, size_t len)
{
    size_t o = 0;
#define PUT(ch) do { if (o + 1 < len) buf[o] = (ch); o++; } while (0)
    PUT('"');
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        const char *esc = NULL;
        char tmp[8];
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        default:
            if (c < 0x20 || c == 0x7F) {
                snprintf(tmp, sizeof tmp, "\\u%04x", c);
                esc = tmp;
            }
        }
        if (esc) {
            for (const char *e = esc; *e; e++)
                PUT(*e);
            p++;
            continue;
        }
        uint32_t cp;
        int n = utf8_decode((const char *)p, &cp);
        if (n == 0) {
            for (const char *e = "\\ufffd"; *e; e++)
                PUT(*e);
            p++;
            continue;
        }
        for (int i = 0; i < n; i++)
            PUT((char)p[i]);
        p += n;
    }
    PUT('"');
    if (len)
        buf[o < len ? o : len - 1] = '\0';
#undef PUT
    return o;
}

static void write_escaped(struct jsonw *w, const char *s)
{
    char small[256];
    size_t need = jsonw_escape(s, small, sizeof small);
    if (need < sizeof small) {
        fputs(small, w->out);
        return;
    }
    char *big = malloc(need + 1);
    if (!big) {
        fputs("null", w->out); /* cannot happen in practice; keeps the output valid */
        return;
    }
    jsonw_escape(s, big, need + 1);
    fputs(big, w->out);
    free(big);
}

void jsonw_key(struct jsonw *w, const char *key)
{
    value_prefix(w);
    write_escaped(w, key);
    fputs(w->indent ? ": " : ":", w->out);
    w->after_key = true;
}

void jsonw_string(struct jsonw *w, const char *s)
{
    value_prefix(w);
    if (s)
        write_escaped(w, s);
    else
        fputs("null", w->out);
}

void jsonw_int(struct jsonw *w, int64_t v)
{
    value_prefix(w);
    fprintf(w->out, "%lld", (long long)v);
}

void jsonw_double(struct jsonw *w, double v, int decimals)
{
    value_prefix(w);
    if (!isfinite(v))
        fputs("null", w->out);
    else
        fprintf(w->out, "%.*f", decimals, v);
}

bool jsonw_is_number(const char *s)
{
    if (!s)
        return false;
    if (*s == '-')
        s++;
    if (*s == '0')
        s++;
    else if (*s >= '1' && *s <= '9')
        while (*s >= '0' && *s <= '9')
            s++;
    else
        return false;
    if (*s == '.') {
        s++;
        if (!(*s >= '0' && *s <= '9'))
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!(*s >= '0' && *s <= '9'))
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return *s == '\0';
}

void jsonw_number(struct jsonw *w, const char *text)
{
    value_prefix(w);
    fputs(jsonw_is_number(text) ? text : "null", w->out);
}

void jsonw_bool(struct jsonw *w, bool v)
{
    value_prefix(w);
    fputs(v ? "true" : "false", w->out);
}

void jsonw_null(struct jsonw *w)
{
    value_prefix(w);
    fputs("null", w->out);
}

void jsonw_member_string(struct jsonw *w, const char *key, const char *s)
{
    jsonw_key(w, key);
    jsonw_string(w, s);
}

void jsonw_member_int(struct jsonw *w, const char *key, int64_t v)
{
    jsonw_key(w, key);
    jsonw_int(w, v);
}

void jsonw_member_number(struct jsonw *w, const char *key, const char *text)
{
    jsonw_key(w, key);
    jsonw_number(w, text);
}
