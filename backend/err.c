#include "backend/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "backend/textfmt.h"

void mo_err_clear(struct mo_err *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

static void err_vfill(struct mo_err *err, const char *code, const char *fmt, va_list ap)
{
    snprintf(err->code, sizeof err->code, "%s", code ? code : "error");
    /* a message may quote a file's bytes or name: stored and printed, it is one line
     * with no control character (fmt_visible) */
    char raw[sizeof err->message];
    vsnprintf(raw, sizeof raw, fmt, ap);
    const char *shown = fmt_visible(err->message, sizeof err->message, raw);
    if (shown != err->message)
        snprintf(err->message, sizeof err->message, "%s", shown);
}

int mo_err_set(struct mo_err *err, const char *code, const char *fmt, ...)
{
    if (!err)
        return -1;
    mo_err_clear(err);
    va_list ap;
    va_start(ap, fmt);
    err_vfill(err, code, fmt, ap);
    va_end(ap);
    return -1;
}

int mo_err_at(struct mo_err *err, const char *file, long line, int column, const char *code,
              const char *fmt, ...)
{
    if (!err)
        return -1;
    mo_err_clear(err);
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->column = column;
    va_list ap;
    va_start(ap, fmt);
    err_vfill(err, code, fmt, ap);
    va_end(ap);
    return -1;
}

void mo_err_format(const struct mo_err *err, char *buf, size_t len)
{
    /* the file's name escaped like the message: the result is stored (load_file.message)
     * as well as printed */
    char shown[4 * sizeof err->file];
    const char *file = fmt_visible(shown, sizeof shown, err->file);
    if (err->file[0] && err->line > 0 && err->column > 0)
        snprintf(buf, len, "%s:%ld:%d: %s [%s]", file, err->line, err->column, err->message, err->code);
    else if (err->file[0] && err->line > 0)
        snprintf(buf, len, "%s:%ld: %s [%s]", file, err->line, err->message, err->code);
    else if (err->file[0])
        snprintf(buf, len, "%s: %s [%s]", file, err->message, err->code);
    else
        snprintf(buf, len, "%s", err->message);
}
