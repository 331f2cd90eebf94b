#include "backend/linesplit.h"

#include <stdlib.h>
#include <string.h>

int linesplit_init(struct linesplit *ls, char delim)
{
    memset(ls, 0, sizeof *ls);
    ls->delim = delim;
    ls->cap = 256;
    ls->buf = malloc(ls->cap);
    if (!ls->buf)
        return -1;
    return csvline_init(&ls->cl, delim);
}

void linesplit_free(struct linesplit *ls)
{
    csvline_free(&ls->cl);
    free(ls->buf);
    memset(ls, 0, sizeof *ls);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

int linesplit_split(struct linesplit *ls, const char *line, size_t len, char ***fields,
                    size_t **lens, const char **why)
{
    if (len + 1 > ls->cap) {
        size_t cap = (len + 1) * 2;
        char *b = realloc(ls->buf, cap);
        if (!b) {
            if (why)
                *why = "out of memory";
            return -1;
        }
        ls->buf = b;
        ls->cap = cap;
    }
    char *out = ls->buf;
    const char delim = ls->delim;
    int n = 0;
    size_t i = 0;
    for (;;) {
        /* one field: skip leading blanks, copy up to the delimiter, drop trailing blanks */
        while (i < len && is_space(line[i]))
            i++;
        char *start = out;
        size_t keep = 0; /* length up to the last non-blank */
        while (i < len && line[i] != delim) {
            char c = line[i++];
            if (c == '"' || c == '\r')
                goto slow;
            *out++ = c;
            if (!is_space(c))
                keep = (size_t)(out - start);
        }
        if (n == CSVLINE_MAX_FIELDS) {
            if (why)
                *why = "too many fields";
            return -1;
        }
        out = start + keep;
        *out++ = '\0';
        ls->fields[n] = start;
        ls->lens[n] = keep;
        n++;
        if (i >= len)
            break;
        i++; /* the delimiter; a line ending in one has a last, empty field */
        if (i == len) {
            if (n == CSVLINE_MAX_FIELDS) {
                if (why)
                    *why = "too many fields";
                return -1;
            }
            *out = '\0';
            ls->fields[n] = out;
            ls->lens[n] = 0;
            n++;
            break;
        }
    }
    /* libcsv sees no field at all in a line of blanks (but one in an empty line) */
    if (n == 1 && ls->lens[0] == 0 && len > 0)
        n = 0;
    *fields = ls->fields;
    *lens = ls->lens;
    return n;
slow:
    n = csvline_split(&ls->cl, line, len, why);
    if (n < 0)
        return -1;
    *fields = ls->cl.fields;
    *lens = ls->cl.lens;
    return n;
}
