#include "backend/csvline.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int fields_grow(struct csvline *cl)
{
    int cap = cl->cap ? cl->cap * 2 : 64;
    char **f = realloc(cl->fields, (size_t)cap * sizeof *f);
    if (!f)
        return -1;
    cl->fields = f;
    size_t *l = realloc(cl->lens, (size_t)cap * sizeof *l);
    if (!l)
        return -1;
    cl->lens = l;
    cl->cap = cap;
    return 0;
}

/* Field offsets are stored first and turned into pointers at the end of the line, because
 * buf may move while it grows. */
static void on_field(void *data, size_t len, void *ctx)
{
    struct csvline *cl = ctx;
    if (cl->nfields >= CSVLINE_MAX_FIELDS) {
        cl->overflow = 1;
        return;
    }
    if (cl->nfields >= cl->cap && fields_grow(cl) < 0) {
        cl->overflow = 1;
        return;
    }
    if (cl->buf_used + len + 1 > cl->buf_cap) {
        size_t cap = (cl->buf_used + len + 1) * 2;
        char *b = realloc(cl->buf, cap);
        if (!b) {
            cl->overflow = 1;
            return;
        }
        cl->buf = b;
        cl->buf_cap = cap;
    }
    if (len)
        memcpy(cl->buf + cl->buf_used, data, len);
    cl->buf[cl->buf_used + len] = '\0';
    cl->fields[cl->nfields] = (char *)(uintptr_t)cl->buf_used;
    cl->lens[cl->nfields] = len;
    cl->buf_used += len + 1;
    cl->nfields++;
}

int csvline_init(struct csvline *cl, char delim)
{
    memset(cl, 0, sizeof *cl);
    cl->delim = delim;
    /* Strict: a stray quote inside an unquoted field, or a quote left open at the end of
     * the line, is an error rather than a guess. */
    if (csv_init(&cl->parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return -1;
    csv_set_delim(&cl->parser, (unsigned char)delim);
    return fields_grow(cl);
}

void csvline_free(struct csvline *cl)
{
    csv_free(&cl->parser);
    free(cl->fields);
    free(cl->lens);
    free(cl->buf);
    memset(cl, 0, sizeof *cl);
}

/* After a parse error libcsv's state is undefined for the next line: start afresh. */
static void parser_reset(struct csvline *cl)
{
    csv_free(&cl->parser);
    csv_init(&cl->parser, CSV_STRICT | CSV_STRICT_FINI);
    csv_set_delim(&cl->parser, (unsigned char)cl->delim);
}

int csvline_split(struct csvline *cl, const char *line, size_t len, const char **why)
{
    cl->nfields = 0;
    cl->buf_used = 0;
    cl->overflow = 0;
    if (cl->buf_cap > 65536 && len < cl->buf_cap / 8) {
        /* after an outlier (the longest line is the loader's limit): back to a usual size */
        size_t cap = 4096 > (len + 1) * 2 ? 4096 : (len + 1) * 2;
        char *b = realloc(cl->buf, cap);
        if (b) {
            cl->buf = b;
            cl->buf_cap = cap;
        }
    }
    if (len == 0) {
        /* An empty line is one empty field, as libcsv would see it. */
        on_field("", 0, cl);
    } else if (csv_parse(&cl->parser, line, len, on_field, NULL, cl) != len) {
        if (why)
            *why = csv_strerror(csv_error(&cl->parser));
        parser_reset(cl);
        return -1;
    }
    if (len > 0 && csv_fini(&cl->parser, on_field, NULL, cl) != 0) {
        if (why)
            *why = "a quoted field is not closed before the end of the line";
        parser_reset(cl);
        return -1;
    }
    if (cl->overflow) {
        if (why)
            *why = "too many fields";
        return -1;
    }
    for (int i = 0; i < cl->nfields; i++)
        cl->fields[i] = cl->buf + (uintptr_t)cl->fields[i];
    return cl->nfields;
}

size_t csvline_trim(const char **line, size_t len, int first_line)
{
    const unsigned char *s = (const unsigned char *)*line;
    if (first_line && len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        *line += 3;
        len -= 3;
    }
    if (len > 0 && (*line)[len - 1] == '\r')
        len--;
    return len;
}
