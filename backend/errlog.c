#include "backend/errlog.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/db.h"
#include "backend/sql.h"
#include "backend/textfmt.h"
#include "backend/utf8.h"

int errlog_open(struct errlog *log, int64_t file_id, int attempt, int64_t keep,
                struct mo_err *err)
{
    memset(log, 0, sizeof *log);
    log->file_id = file_id;
    log->attempt = attempt;
    log->keep = keep < 0 ? ERRLOG_KEEP_DEFAULT : keep;
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
    for (size_t i = 0; i < log->ngroups; i++) {
        free(log->groups[i].code);
        free(log->groups[i].column);
        free(log->groups[i].first_message);
    }
    for (size_t i = 0; i < log->ncodes; i++)
        free(log->codes[i].code);
    free(log->groups);
    free(log->codes);
    log->groups = NULL;
    log->codes = NULL;
    log->ngroups = log->ncodes = 0;
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

/* The pairs are few (codes x columns of a format): a linear search, the last hit first,
 * costs less than hashing the strings. */
static struct errlog_group *find_group(struct errlog *log, const char *code, const char *col)
{
    for (size_t k = log->ngroups; k-- > 0;) {
        struct errlog_group *g = &log->groups[k];
        if (strcmp(g->code, code) == 0 && strcmp(g->column, col) == 0)
            return g;
    }
    if (log->ngroups == log->capgroups) {
        size_t cap = log->capgroups ? log->capgroups * 2 : 16;
        struct errlog_group *n = realloc(log->groups, cap * sizeof *n);
        if (!n)
            return NULL;
        log->groups = n;
        log->capgroups = cap;
    }
    struct errlog_group *g = &log->groups[log->ngroups];
    *g = (struct errlog_group){ .code = strdup(code), .column = strdup(col) };
    if (!g->code || !g->column) {
        free(g->code);
        free(g->column);
        return NULL;
    }
    log->ngroups++;
    return g;
}

static struct errlog_code *find_code(struct errlog *log, const char *code)
{
    for (size_t k = log->ncodes; k-- > 0;)
        if (strcmp(log->codes[k].code, code) == 0)
            return &log->codes[k];
    if (log->ncodes == log->capcodes) {
        size_t cap = log->capcodes ? log->capcodes * 2 : 16;
        struct errlog_code *n = realloc(log->codes, cap * sizeof *n);
        if (!n)
            return NULL;
        log->codes = n;
        log->capcodes = cap;
    }
    struct errlog_code *c = &log->codes[log->ncodes];
    *c = (struct errlog_code){ .code = strdup(code) };
    if (!c->code)
        return NULL;
    log->ncodes++;
    return c;
}

/* Counts the rejection; a later pass (a file not grouped by meter-day) may bring an
 * earlier line, so the first line is a minimum and its message follows it. */
static int count_many(struct errlog *log, int64_t line, int64_t last, int64_t n,
                      const char *col, const char *code, const char *message)
{
    struct errlog_group *g = find_group(log, code, col ? col : "");
    if (!g)
        return -1;
    if (g->errors == 0 || line < g->first_line) {
        char *m = strdup(message);
        if (!m)
            return -1;
        free(g->first_message);
        g->first_message = m;
        g->first_line = line;
    }
    if (g->errors == 0 || last > g->last_line)
        g->last_line = last;
    g->errors += n;
    return 0;
}

static int count(struct errlog *log, int64_t line, const char *col, const char *code,
                 const char *message)
{
    return count_many(log, line, line, 1, col, code, message);
}

void errlog_add_many(struct errlog *log, int64_t first_line, int64_t last_line, int64_t n,
                     const char *column_name, const char *code, const char *message)
{
    log->count += n;
    if (!find_code(log, code) || count_many(log, first_line, last_line, n, column_name, code,
                                            message) < 0)
        log->failed = 1;
}

void errlog_add(struct errlog *log, int64_t line, const char *column_name, const char *code,
                const char *message, const char *raw, size_t raw_len)
{
    log->count++;
    /* the message may quote the file's bytes: stored with its control characters escaped,
     * as every printer shows them (the raw line keeps them, COPY-escaped) */
    char shown[2048];
    message = fmt_visible(shown, sizeof shown, message);
    struct errlog_code *c = find_code(log, code);
    if (!c || count(log, line, column_name, code, message) < 0) {
        log->failed = 1;
        return;
    }
    if (c->kept >= log->keep)
        return;
    c->kept++;
    log->kept++;
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
}

int64_t errlog_code_count(const struct errlog *log, const char *code)
{
    int64_t n = 0;
    for (size_t k = 0; k < log->ngroups; k++)
        if (strcmp(log->groups[k].code, code) == 0)
            n += log->groups[k].errors;
    return n;
}

static int send_tmp(struct errlog *log, PGconn *conn, struct mo_err *err)
{
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

/* The summary: a few rows, formatted into memory and sent as one COPY. */
static int send_summary(struct errlog *log, PGconn *conn, struct mo_err *err)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m)
        return mo_err_set(err, "out_of_memory", "out of memory for the error summary");
    for (size_t k = 0; k < log->ngroups; k++) {
        const struct errlog_group *g = &log->groups[k];
        fprintf(m, "%lld\t%d\t", (long long)log->file_id, log->attempt);
        put_field(m, g->code, strlen(g->code));
        putc('\t', m);
        put_field(m, g->column, strlen(g->column));
        fprintf(m, "\t%lld\t%lld\t%lld\t", (long long)g->errors, (long long)g->first_line,
                (long long)g->last_line);
        put_field(m, g->first_message, strlen(g->first_message));
        putc('\n', m);
    }
    if (fclose(m) != 0) {
        free(text);
        return mo_err_set(err, "out_of_memory", "out of memory for the error summary");
    }
    int rc = db_copy_begin(conn, SQL_LOAD_ERRORS_SUMMARY_COPY, err);
    if (rc == 0)
        rc = db_copy_end(conn, PQputCopyData(conn, text, (int)len) == 1 ? NULL
                         : "could not send the error summary", err);
    free(text);
    return rc;
}

int errlog_copy(struct errlog *log, PGconn *conn, struct mo_err *err)
{
    if (fflush(log->tmp) != 0 || log->failed || ferror(log->tmp))
        return mo_err_set(err, "tmpfile", "could not write the rejected rows to a temporary "
                          "file (disk full?)");
    if (log->count == 0)
        return 0;
    if (log->kept > 0 && send_tmp(log, conn, err) < 0)
        return -1;
    return send_summary(log, conn, err);
}
