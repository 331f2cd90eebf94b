/* notify.c - see notify.h. A parser for one flat JSON object of strings and numbers is all
 * the payload needs; nested values are skipped by the generic value rule below. */
#include "backend/notify.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "backend/fetch_files.h"

static const char *ws(const char *p)
{
    while (*p && isspace((unsigned char)*p))
        p++;
    return p;
}

/* A JSON string at p into buf (escapes kept simple: \" \\ \/ and \uXXXX as '?'). */
static const char *string(const char *p, char *buf, size_t len)
{
    if (*p != '"')
        return NULL;
    p++;
    size_t o = 0;
    while (*p && *p != '"') {
        char c = *p++;
        if (c == '\\') {
            c = *p++;
            if (c == 'u') {
                for (int i = 0; i < 4; i++)
                    if (!isxdigit((unsigned char)*p++))
                        return NULL;
                c = '?';
            } else if (c == 'n') {
                c = '\n';
            } else if (c == 't') {
                c = '\t';
            } else if (c != '"' && c != '\\' && c != '/') {
                return NULL;
            }
        }
        if (o + 1 < len)
            buf[o++] = c;
    }
    if (*p != '"')
        return NULL;
    buf[o] = '\0';
    return p + 1;
}

static const char *number(const char *p, int64_t *v)
{
    char *end;
    long long n = strtoll(p, &end, 10);
    if (end == p)
        return NULL;
    /* A fraction or exponent would mean a different producer; not ours. */
    if (*end == '.' || *end == 'e' || *end == 'E')
        return NULL;
    *v = n;
    return end;
}

static const char *skip_literal(const char *p)
{
    static const char *const lits[] = { "null", "true", "false" };
    for (int i = 0; i < 3; i++)
        if (strncmp(p, lits[i], strlen(lits[i])) == 0)
            return p + strlen(lits[i]);
    return NULL;
}

int notify_parse_load(const char *payload, struct load_event *ev)
{
    if (!payload)
        return -1;
    struct load_event e = { .file_id = -1, .progress_rows = -1 };
    bool have_id = false, have_status = false;
    const char *p = ws(payload);
    if (*p++ != '{')
        return -1;
    p = ws(p);
    if (*p == '}')
        return -1;
    for (;;) {
        char key[32];
        if (!(p = string(ws(p), key, sizeof key)))
            return -1;
        p = ws(p);
        if (*p++ != ':')
            return -1;
        p = ws(p);
        if (*p == '"') {
            char val[32];
            if (!(p = string(p, val, sizeof val)))
                return -1;
            if (strcmp(key, "status") == 0) {
                if (!file_status_valid(val))
                    return -1;
                strcpy(e.status, val);
                have_status = true;
            }
        } else if (*p == '-' || isdigit((unsigned char)*p)) {
            int64_t v;
            if (!(p = number(p, &v)))
                return -1;
            if (strcmp(key, "file_id") == 0) {
                e.file_id = v;
                have_id = v > 0;
            } else if (strcmp(key, "progress_rows") == 0) {
                e.progress_rows = v;
            }
        } else if (!(p = skip_literal(p))) {
            return -1;
        }
        p = ws(p);
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p != '}')
            return -1;
        p = ws(p + 1);
        break;
    }
    if (*p || !have_id || !have_status)
        return -1;
    *ev = e;
    return 0;
}
