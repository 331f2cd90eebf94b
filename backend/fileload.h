/* fileload.h - one file being loaded, as its stages see it: the chunks the file's driver
 * (loadfile.c) reads, the parse threads (parse.c) fill and the assembler (assemble.c)
 * takes back, and the file's header, format and registry that they all read. Nothing
 * outside backend/ includes it.
 *
 * The flow of one file (loadfile.c drives it; each stage is called and returns):
 *   read: loadfile.c cuts the file into chunks at newlines
 *   -> parse: the parse pool (parsepool.c) runs parse_chunk on each: split, read and check
 *      each line (contract checks 1-8) and leave compact parsed readings and rejections
 *      in the chunk
 *   -> assemble: the driver takes the chunks back IN ORDER and hands them to assemble.c:
 *      duplicates (check 9), meter-days in the open-day table, finished days to the writer
 *   -> write: daywriter.c streams day rows with binary COPY on the file's connection
 *      (direct path), or through the staging table when a day already exists (correction
 *      path).
 * Everything of a file is one transaction on one connection. */
#ifndef MO_FILELOAD_H
#define MO_FILELOAD_H

#include <libpq-fe.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/stat.h>
#include <string.h>

#include "backend/daytab.h"
#include "backend/err.h"
#include "backend/errlog.h"
#include "backend/linesplit.h"
#include "backend/meters.h"
#include "backend/queue.h"
#include "backend/reader.h"
#include "backend/samebytes.h"
#include "backend/validate.h"

struct fileload;
struct load_shared;

/* parsed_reading.meter for a meter the registry does not know yet (--create-meters): the
 * id text is in the chunk's pool at offset (meter & ~NEW_METER). */
#define NEW_METER 0x80000000u

/* One accepted reading, as a parse thread leaves it. */
struct parsed_reading {
    uint32_t meter;     /* the file's meter index, or NEW_METER | pool offset of the id */
    int32_t day;        /* UTC day, days since 1970-01-01 */
    int32_t wh;
    uint16_t slot;      /* interval of the day, numbered by `minutes` */
    uint8_t quality;    /* 'A' or 'E' */
    uint8_t minutes;    /* the meter's interval (for a new meter: the reading's, or 30) */
    uint16_t column;    /* 1-based column of the interval (misaligned, future) */
    uint16_t vcolumn;   /* 1-based column of the value (duplicates) */
    uint16_t idlen;     /* NEW_METER: length of the id */
};

/* One accepted row: its readings are rds[first .. first + n). */
struct parsed_row {
    int64_t line;
    uint32_t off, len;  /* the raw line in the chunk's buffer */
    uint32_t first, n;
};

/* One rejected row. */
struct parsed_reject {
    int64_t line;
    const char *code;
    uint32_t name, msg; /* offsets in the pool; name NO_NAME = whole-line fault */
    uint32_t off, len;  /* the raw line */
    int column;
};
#define NO_NAME UINT32_MAX

/* Rejections of one code and column past a chunk's detailed ones (CHUNK_DETAILED_ERRORS
 * of each code): counted, with their first message and line range, not one by one, so a
 * chunk's output stays bounded whatever its lines reject (short lines by the million). */
struct parsed_tally {
    const char *code;
    int column;
    uint32_t name, msg; /* offsets in the pool; name NO_NAME = whole-line fault */
    int64_t first_line, last_line, count;
};
#define CHUNK_DETAILED_ERRORS 1024

/* One file's chunks in the parse pool (parsepool.h). */
struct parse_stream {
    int parallel;               /* fmt->flags & READER_PARALLEL: any chunk on any thread */
    int parsing;                /* in order: a thread holds one of its chunks (pool's lock) */
    uint64_t next_seq;          /* in order: the next chunk to parse (pool's lock) */
    pthread_cond_t done_cv;     /* a chunk of it was parsed */
};

struct chunk {
    struct chunk *next;         /* in the parse pool's queue */
    struct fileload *f;
    struct parse_stream *stream;
    uint64_t seq;               /* order within the pass */
    int64_t first_line;         /* 0 while it is parsed, then the file's (rebase_lines) */
    int64_t lines;              /* counted by the parse thread */
    char *buf;
    size_t len, cap;
    struct parsed_row *rows;
    size_t nrows, caprows;
    struct parsed_reading *rds;
    size_t nrds, caprds;
    struct parsed_reject *errs;
    size_t nerrs, caperrs;
    struct parsed_tally *tally; /* past CHUNK_DETAILED_ERRORS of a code */
    size_t ntally, captally;
    struct { const char *code; uint32_t n; } percode[24]; /* detailed so far, by code */
    int npercode;
    char *pool;
    size_t pool_used, pool_cap;
    int done;                   /* parsed (guarded by the parse pool's lock) */
    uint64_t hash_ticket;       /* its bytes in the file's sha256 (hashpipe.h) */
    int oom;                    /* the parse thread ran out of memory */
    int has_new;                /* some reading names a meter the registry lacks */
    size_t hash_from;           /* buf[0, hash_from) went into the hash already */
    int64_t file_bytes;         /* the file's bytes the chunk stands for (>= len) */
    int64_t long_len;           /* > 0: the chunk is one line over the limit, this long,
                                 * of which buf keeps the start (loadfile.c) */
};

/* A meter a file names through an option (--meter / --export-meter). */
struct mapped_meter {
    int given;
    long index;                 /* file meter index, or -1 when it is new or unknown */
    char id[64];
    size_t idlen;
};

/* What the thread pool may see of the file a file thread has in progress: enough to renew
 * its lease and show its progress (loader.c reads it, loadfile.c writes it). */
struct file_progress {
    pthread_mutex_t mu;         /* guards attempt, and claim_lost against a new attempt */
    int64_t file_id, bytes;
    const char *path;           /* the claim's (valid while the file is in progress) */
    int attempt;
    _Atomic int64_t rows, bytes_done;
    _Atomic int claim_lost;     /* the lease keeper could not renew this attempt's lease */
};

/* Per file and attempt; owned by the file's thread, read by parse threads. */
struct fileload {
    struct load_shared *shared;
    struct claimed_file claim;
    const char *owner;
    PGconn *conn;
    int fd;
    const struct reader_format *fmt;
    struct parse_stream stream;
    uint64_t gen;               /* tells parse threads their cached reader state is stale */
    int fast_lines;             /* the format's fast line reader may be used */
    size_t max_line;            /* a longer line is line_too_long (loader_tuning) */
    /* header */
    char **colnames;
    int ncols;
    void *priv_after_header;    /* the reader's state as header() left it */
    struct reader_state seq_state; /* sequential formats: the one state, used in order */
    int64_t data_offset;        /* byte offset of line 2 */
    int registry_xml;           /* a registry feed written as XML (regxml.h): loadreg.c
                                 * stages its records from the document */
    /* registry */
    struct meter_table meters;
    struct mapped_meter meter_opt, export_opt;
    int create_meters;
    int64_t now;                /* the load's start (server clock) plus --future-margin:
                                 * intervals ending later are future */
    int64_t floor;              /* --not-before (seconds): earlier intervals are date_out_of_range */
    char sha256[65];            /* of the bytes read (hex), "" until a pass has read them all */
    struct stat opened;         /* fstat when opened: a read is of one version of the file
                                 * only if nothing of this changed by its end (loadfile.c) */
    struct file_progress *progress; /* NULL: nobody watches (tests) */
    int via_coordinator;        /* the file met stored meter-days on the workers: its next
                                 * attempts write through the coordinator (correction path) */
    struct mo_err refusal;      /* a document refused as a whole: where and why (loaddoc.h) */
};

/* Column name for a loader rejection (NULL when column is 0 or past the header). */
const char *fileload_colname(const struct fileload *f, int column);

/* Progress of the bytes and rows read (nothing when f->progress is NULL). */
static inline void fileload_progress(struct fileload *f, int64_t rows, int64_t bytes)
{
    if (f->progress) {
        atomic_fetch_add(&f->progress->rows, rows);
        atomic_fetch_add(&f->progress->bytes_done, bytes);
    }
}

#endif
