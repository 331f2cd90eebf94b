/* errlog.h - the rejected rows of one file, on their way to meterops.load_error and
 * meterops.load_error_summary.
 *
 * Every rejection is counted, in memory, by (code, column): exact counts, first and last
 * line and the first message, written at commit as load_error_summary rows with one COPY.
 * Only the first `keep` rejections of each code are kept as raw rows: each is written at
 * once, already in COPY text format, to an unlinked temporary file, and streamed into
 * load_error with one COPY inside the file's transaction (so a file's errors commit with
 * its status, or not at all). Memory and disk are therefore bounded by the number of
 * (code, column) pairs and keep rows per code, never by the number of rejections: a
 * national file with a missing registry writes 1,000 rows, not 168M. The raw line is
 * stored as read; bytes that are not UTF-8 (or NUL) are written as the four characters
 * \xNN, since a text column cannot hold them. */
#ifndef MO_ERRLOG_H
#define MO_ERRLOG_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "backend/err.h"

#define ERRLOG_KEEP_DEFAULT 1000

/* One (code, column) pair's exact counts. column "" for whole-line faults. */
struct errlog_group {
    char *code, *column, *first_message;
    int64_t errors, first_line, last_line;
};

/* Raw rows kept so far of one code. */
struct errlog_code {
    char *code;
    int64_t kept;
};

struct errlog {
    FILE *tmp;
    int64_t file_id;
    int attempt;
    int64_t keep;       /* raw rows kept per code; 0: none */
    int64_t count;      /* every rejection */
    int64_t kept;       /* raw rows written to tmp */
    struct errlog_group *groups;
    size_t ngroups, capgroups;
    struct errlog_code *codes;
    size_t ncodes, capcodes;
    int failed;         /* a write or an allocation failed: the file cannot be committed */
};

/* keep < 0: ERRLOG_KEEP_DEFAULT. */
int errlog_open(struct errlog *log, int64_t file_id, int attempt, int64_t keep,
                struct mo_err *err);
void errlog_close(struct errlog *log);
/* One rejection. column_name NULL for whole-line faults; raw without its terminator. */
void errlog_add(struct errlog *log, int64_t line, const char *column_name, const char *code,
                const char *message, const char *raw, size_t raw_len);
/* n rejections of one code and column between first_line and last_line, counted without
 * their rows (the parser's tally of a chunk with very many rejections: parse.c); message
 * is the first one's. */
void errlog_add_many(struct errlog *log, int64_t first_line, int64_t last_line, int64_t n,
                     const char *column_name, const char *code, const char *message);
/* The exact count of one code (all columns), for tests and summaries. */
int64_t errlog_code_count(const struct errlog *log, const char *code);
/* COPY the kept rows into meterops.load_error and the counts into
 * meterops.load_error_summary on conn (inside the caller's transaction). */
int errlog_copy(struct errlog *log, PGconn *conn, struct mo_err *err);

#endif
