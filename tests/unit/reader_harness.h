/* reader_harness.h - drives one reader the way the loader does (csvline_trim, csvline_split,
 * header then row per physical line) and records what it emits, for the reader tests and
 * tests/tools/reader_totals. Not part of the product. */
#ifndef MO_READER_HARNESS_H
#define MO_READER_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "backend/csvline.h"
#include "backend/reader.h"

struct hr_reading {
    char mpxn[40];
    int64_t start;
    int minutes;
    int64_t wh;
    char quality;
    int channel;
    int column;
    long line;
};

struct hr_reject {
    long line;
    int column;
    char column_name[64];   /* "" when the reader passed NULL */
    char code[32];
    char message[320];
};

struct harness {
    const struct reader_format *fmt;
    struct reader_state st;
    struct csvline cl;
    int header_rc;              /* what fmt->header returned (line 1) */
    struct mo_err header_err;
    int keep;                   /* record every reading (unit tests) or only totals (real files) */
    struct hr_reading *r;
    size_t nr, cap_r;
    struct hr_reject *j;
    size_t nj, cap_j;
    /* Totals, kept whether or not readings are recorded. */
    long readings;
    long readings_by_channel[2];
    int64_t wh_by_channel[2];
    long rows;                  /* data lines fed */
    long rows_rejected;
    long contract_breaches;     /* a row that emitted readings and a rejection, or >1 rejection */
    long row_readings, row_rejects;
};

/* keep: record each reading (tests on a few lines). Returns 0, -1 on allocation failure. */
int harness_open(struct harness *h, const struct reader_format *fmt, const char *path, int keep);
void harness_close(struct harness *h);
/* Feeds one physical line (no terminator; CR and BOM are trimmed as the loader does). The
 * first line fed is the header. */
void harness_line(struct harness *h, const char *line, size_t len);
/* Feeds a NUL-terminated line. */
void harness_feed(struct harness *h, const char *line);
/* Feeds a whole file, cut at LF. Returns 0, -1 when it cannot be read. */
int harness_file(struct harness *h, const char *path);
/* The format reader_detect() picks for this header line (BOM and CR trimmed); NULL if none. */
const struct reader_format *harness_detect(const char *header);
/* Feeds `header` to a fresh reader of fmt: the column of its `header` error, 0 when it
 * was accepted, -1 when it failed with another code. */
int harness_header_fault_column(const struct reader_format *fmt, const char *header);
/* Rejections with this code. */
long harness_count_code(const struct harness *h, const char *code);
/* $MO_SRCDIR/tests/fixtures/realdata/<rel> into buf. */
const char *harness_fixture(char *buf, size_t len, const char *rel);

/* cmocka checks the reader tests share. */
/* harness_open (keeping readings) and feed `header`, which must be accepted. */
void harness_open_ok(struct harness *h, const struct reader_format *fmt, const char *path,
                     const char *header);
/* Rejection i was on `line` at `column` (named `name`, "" for none) with `code`. */
void harness_assert_reject(const struct harness *h, size_t i, long line, int column,
                           const char *name, const char *code);
/* A header and the column its `header` fault must name. */
struct harness_header_fault {
    const char *header;
    int column;
};
void harness_assert_header_faults(const struct reader_format *fmt,
                                  const struct harness_header_fault *cases, size_t n);
/* t as "YYYY-MM-DDTHH:MM:SSZ"; the last eight answers stay valid. */
const char *harness_iso(int64_t t);

#endif
