#include "backend/errlog.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "backend/db.h"
#include "backend/sql.h"
#include "backend/utf8.h"

int errlog_open(struct errlog *log, int64_t file_id, struct mo_err *err)
{
    memset(log, 0, sizeof *log);
    log->file_id = file_id;
    log->tmp = tmpfile();
    if (!log->tmp)
        return mo_err_set(err, "tmpfile", "cannot create a temporary file for rejected rows: %s",
                          strerror(errno));
    return 0;
}

void errlog_close(struct errlog *log)
{
    if (log->tmp)
        fclose(log->tmp);
    log->tmp = NULL;
}

/* A COPY text field: backslash, tab and line ends escaped; non-UTF-8 bytes as \xNN. */
static void put_field(FILE *f, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        /* NUL cannot be sent in COPY text: escaped like an invalid byte */
        int k = c ? utf8_seq(str + i, n - i, NULL) : 0;
        if (k == 0) {
            fprintf(f, "\\\\x%02X", c);
            i++;
        } else if (k > 1) {
            fwrite(s + i, 1, (size_t)k, f);
            i += (size_t)k;
        } else {
            switch (c) {
            case '\\': fputs("\\\\", f); break;
            case '\t': fputs("\\t", f); break;
            case '\n': fputs("\\n", f); break;
            case '\r': fputs("\\r", f); break;
            default: putc(c, f);
            }
            i++;
        }
    }
}

void errlog_add(struct errlog *log, int64_t line, const char *column_name, const char *code,
                const char *message, const char *raw, size_t raw_len)
{
    FILE *f = log->tmp;
    fprintf(f, "%lld\t%lld\t", (long long)log->file_id, (long long)line);
    if (column_name)
        put_field(f, column_name, strlen(column_name));
    else
        fputs("\\N", f);
    putc('\t', f);
    put_field(f, code, strlen(code));
    putc('\t', f);
    put_field(f, message, strlen(message));
    putc('\t', f);
    if (raw)
        put_field(f, raw, raw_len);
    else
        fputs("\\N", f);
    if (putc('\n', f) == EOF)
        log->failed = 1;
    log->count++;
}

int errlog_copy(struct errlog *log, PGconn *conn, struct mo_err *err)
{
    if (fflush(log->tmp) != 0 || log->failed || ferror(log->tmp))
        return mo_err_set(err, "tmpfile", "could not write the rejected rows to a temporary "
                          "file (disk full?)");
    if (log->count == 0)
        return 0;
    if (db_copy_begin(conn, SQL_LOAD_ERRORS_COPY, err) < 0)
        return -1;
    rewind(log->tmp);
    char buf[1 << 16];
    size_t n;
    int rc = 0;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, log->tmp)) > 0)
        if (PQputCopyData(conn, buf, (int)n) != 1)
            rc = db_err_from_result(NULL, conn, err);
    fseek(log->tmp, 0, SEEK_END);
    if (rc < 0)
        return db_copy_end(conn, "could not send the rejected rows", err);
    return db_copy_end(conn, NULL, err);
}
