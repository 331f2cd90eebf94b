/* reader.h - the interface every input format fills.
 *
 * A reader sees one CSV record at a time (split by libcsv from exactly one physical line,
 * see csvline.h), already stripped of BOM and CRLF, and either emits what the record holds
 * or rejects it with a stable code, the 1-based column and a message a support engineer
 * understands. A reader never looks anything up in the database: unknown meters,
 * alignment to the meter's interval, future readings and duplicates across lines are
 * checked by the loader (validate.h), which owns the registry and the file-wide state.
 *
 * Adding a format: a backend/reader_NAME.c that defines one `const struct reader_format`,
 * one line in reader_formats[] (reader.c), a fixture in tests/fixtures and a unit test. */
#ifndef MO_READER_H
#define MO_READER_H

#include <stddef.h>
#include <stdint.h>

#include "backend/err.h"
#include "backend/sql.h"

/* Stable rejection codes (load_error.code). Documented in doc/formats.md. */
#define RJ_ENCODING        "encoding"            /* not valid UTF-8 */
#define RJ_FIELD_COUNT     "field_count"         /* wrong number of fields (also truncated lines) */
#define RJ_LINE_TOO_LONG   "line_too_long"       /* longer than --max-line-bytes; skipped unread */
#define RJ_MPXN_SYNTAX     "mpxn_syntax"         /* not 13 (MPAN core) / 21 (full MPAN) digits / MPRN */
#define RJ_MPAN_CHECK      "mpan_check_digit"    /* MPAN core fails its check digit */
#define RJ_TIMESTAMP       "timestamp_syntax"    /* unparsable or impossible date/time */
#define RJ_MISALIGNED      "misaligned_interval" /* not on an interval boundary of the meter */
#define RJ_FUTURE          "future_reading"      /* interval ends after the load started */
#define RJ_DATE_RANGE      "date_out_of_range"   /* starts before --not-before (default 2000-01-01) */
#define RJ_VALUE_SYNTAX    "value_syntax"        /* not a number */
#define RJ_VALUE_MISSING   "value_missing"       /* empty or "Null" value */
#define RJ_VALUE_RANGE     "value_range"         /* negative or implausibly large */
#define RJ_DUP_CONFLICT    "duplicate_conflict"  /* same meter+interval twice, different values */
#define RJ_DUP_IDENTICAL   "duplicate_identical" /* same meter+interval twice, same value; not loaded twice */
#define RJ_UNKNOWN_METER   "unknown_meter"       /* meter not in the registry (see --create-meters) */
#define RJ_NO_METER        "no_meter_mapping"    /* row carries no usable meter id and no --meter given */
#define RJ_FIELD_INVALID   "field_invalid"       /* registry feeds: a field fails its rule */
#define RJ_REFERENCE       "unknown_reference"   /* registry feeds: refers to a missing row */
#define RJ_RECORD_ORDER    "record_order"        /* d0010: a record its group does not allow there */
#define RJ_TRAILER         "trailer"             /* d0010: ZPT trailer missing, misplaced or miscounting */

/* Largest plausible half-hour import for a domestic or small business meter is far below
 * this; anything above is a unit or decimal-point error. Scaled by interval length. */
#define MO_MAX_WH_PER_HOUR 100000

/* One interval value, normalised. */
struct reading {
    const char *mpxn;   /* meter id as written (NULL when the row carries none); valid until the row callback returns */
    size_t mpxn_len;
    int64_t start;      /* interval start, seconds since 1970-01-01 UTC */
    int minutes;        /* interval length the row implies; 0 = take the meter's */
    int64_t wh;         /* watt-hours, rounded half away from zero from the source unit */
    char quality;       /* 'A' actual, 'E' estimated */
    int channel;        /* 0 import, 1 export (ESB "Active Export") */
    int column;         /* 1-based column of the value, for later rejections */
    int value_column;   /* 1-based column of the energy value when it is not `column`
                         * (long: column names the timestamp, value_column the kWh);
                         * 0 = same as column */
};

/* Where a reader sends what it found. A row is either all its readings (or its record) or
 * exactly one rejection: a bad field rejects the whole row, so no row lands half. */
struct reader_sink {
    void *ctx;
    void (*reading)(void *ctx, const struct reading *r);
    /* Registry feeds: the row's values, in the order of format->columns; NULL = SQL NULL. */
    void (*record)(void *ctx, const char *const *values, int nvalues);
    /* (record with nvalues 0: the row is accepted but holds no record of its own, as a
     * D0010 group or trailer line; nothing is staged for it) */
    void (*reject)(void *ctx, int column, const char *column_name, const char *code,
                   const char *message);
};

/* Per-file reader state; formats keep what they need in `priv` (state_size bytes, zeroed). */
struct reader_state {
    const struct reader_format *fmt;
    const char *path;
    long line;          /* current physical line, 1-based */
    void *priv;         /* the format's own state (state_size bytes) */
};

enum reader_kind { READER_READINGS, READER_REGISTRY };

/* reader_format.flags */
#define READER_PARALLEL 1u /* rows are independent once header() has run: the loader may
                            * parse chunks of one file on several threads, each with its
                            * own copy of the state header() left. Without it (a format
                            * that remembers earlier rows, like esb-hdf's clock-change
                            * pairing) one thread parses the file in order. */
#define READER_DOCUMENT 2u /* not lines: a whole document (XML) that loaddoc.c reads and
                            * hands over reading by reading; no sniff/header/row */
#define READER_FILE_ID 4u  /* the registry upsert takes $1 = the load_file's id and
                            * $2 = --create-meters (boolean) (d0010) */

struct reader_format {
    const char *name;     /* --format value: long, wide, lcl, esb-hdf, customers, meters, tariffs, bills */
    const char *summary;  /* one line for --help and doc/formats.md */
    enum reader_kind kind;
    size_t state_size;
    /* Nonzero when line 1 (split into fields) is this format's header. */
    int (*sniff)(char *const *fields, const size_t *lens, int nfields);
    /* Checks the header record; fills err (column set) when it is not acceptable. */
    int (*header)(struct reader_state *st, char *const *fields, const size_t *lens, int nfields,
                  struct mo_err *err);
    /* One data record of line st->line: emits readings/records or one rejection. */
    void (*row)(struct reader_state *st, char *const *fields, const size_t *lens, int nfields,
                const struct reader_sink *sink);
    /* Registry feeds: staging columns (NULL-terminated, all text) and the embedded SQL
     * (sql.h; SQL_NONE for other formats) that moves a temporary table "stage" (line_no bigint, then these
     * columns) into the registry in one statement, returning one row
     * (line_no, column_name, code, message) per staged row it refused (an unknown
     * reference, say); the loader stores those as load_error rows. */
    const char *const *columns;
    enum sql_query upsert_sql;
    unsigned flags;       /* READER_PARALLEL */
    /* Optional, for the hot path: the format's commonest line, read straight from the
     * buffer. When the line starting at s (ending at "\n" or at end) has exactly that
     * shape and row() would emit one reading for it and reject nothing, fills *r as row()
     * would and returns the line's length without its "\n"; else returns 0 and the line
     * goes through the CSV splitter and row() like any other. Never rejects anything, so
     * every fault is still explained by row(). */
    size_t (*fast_line)(struct reader_state *st, const char *s, const char *end,
                        struct reading *r);
    /* Which files of one load job go first (enum reader_stage): a file waits while a file
     * of an earlier stage of its job is queued or loading. Stored with the file when it is
     * enqueued (load_file.stage), so the claim query never maps format names itself. */
    int stage;
    /* The field delimiter ('|' for DTC flows); 0 = ','. */
    char delimiter;
    /* Optional, registry feeds: after the last line, whether the file as a whole holds
     * (a D0010 trailer's count). Returns 0, or -1 with err (line, code, why): the whole
     * file is refused. */
    int (*end)(struct reader_state *st, struct mo_err *err);
};

/* reader_format.stage: registry feeds that others name load before those naming them. */
enum reader_stage {
    READER_STAGE_PARTIES = 0,   /* customers, tariffs: named by meters and bills */
    READER_STAGE_REGISTRY = 1,  /* meters, bills: name customers and tariffs */
    READER_STAGE_READINGS = 2,  /* readings name meters; also files of no known format */
};

/* The formats (each defined in its backend/reader_*.c). */
extern const struct reader_format reader_long, reader_wide, reader_lcl, reader_esb_hdf;
extern const struct reader_format reader_espi, reader_octopus;
extern const struct reader_format reader_customers, reader_meters, reader_tariffs, reader_bills;
extern const struct reader_format reader_prices, reader_lcl_prices;
extern const struct reader_format reader_d0010;

/* All formats, NULL-terminated; and lookup by --format name. */
extern const struct reader_format *const reader_formats[];
const struct reader_format *reader_find(const char *name);
/* The format whose sniff() accepts this header, or NULL. */
const struct reader_format *reader_detect(char *const *fields, const size_t *lens, int nfields);
/* Nonzero when each of the len bytes at s is an ASCII digit (true for len 0). */
int reader_all_digits(const char *s, size_t len);

#endif
