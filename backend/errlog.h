/* errlog.h - the rejected rows of one file, on their way to meterops.load_error.
 *
 * A file may reject millions of rows, so they are not kept in memory: each is written at
 * once, already in COPY text format, to an unlinked temporary file, and streamed into
 * load_error with one COPY inside the file's transaction (so a file's errors commit with
 * its status, or not at all). The raw line is stored as read; bytes that are not UTF-8
 * (or NUL) are written as the four characters \xNN, since a text column cannot hold them. */
#ifndef MO_ERRLOG_H
#define MO_ERRLOG_H

#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>

#include "backend/err.h"

struct errlog {
    FILE *tmp;
    int64_t file_id;
    int64_t count;
    int failed;         /* a write failed (disk full): the file cannot be committed */
};

int errlog_open(struct errlog *log, int64_t file_id, struct mo_err *err);
void errlog_close(struct errlog *log);
/* One load_error row. column_name NULL for whole-line faults; raw without its terminator. */
void errlog_add(struct errlog *log, int64_t line, const char *column_name, const char *code,
                const char *message, const char *raw, size_t raw_len);
/* COPY everything written into meterops.load_error on conn (inside the caller's
 * transaction). */
int errlog_copy(struct errlog *log, PGconn *conn, struct mo_err *err);

#endif
