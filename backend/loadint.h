/* loadint.h - what the loader's modules share (parse.c, assemble.c, merge.c, loadfile.c,
 * loader.c); nothing outside backend/ includes it.
 *
 * The flow of one file:
 *   loadfile.c cuts the file into chunks at newlines (each knows its first line number)
 *   -> parse threads (parse.c) split, read and check each line (contract checks 1-8) and
 *      leave compact accepted readings and rejections in the chunk
 *   -> the file's own thread takes the chunks back IN ORDER (assemble.c): duplicates
 *      (check 9), meter-days in the open-day table, finished days to the writer
 *   -> merge.c streams day rows with binary COPY on the file's connection (direct path),
 *      or through the staging table when a day already exists (correction path).
 * Everything of a file is one transaction on one connection. */
#ifndef MO_LOADINT_H
#define MO_LOADINT_H

#include <libpq-fe.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "backend/daytab.h"
#include "backend/err.h"
#include "backend/errlog.h"
#include "backend/loader.h"
#include "backend/linesplit.h"
#include "backend/queue.h"
#include "backend/reader.h"
#include "backend/samebytes.h"
#include "backend/validate.h"

struct loader;
struct fileload;

/* prd.meter for a meter the registry does not know yet (--create-meters): the id text is
 * in the chunk's pool at offset (meter & ~NEW_METER). */
#define NEW_METER 0x80000000u

/* One accepted reading, as a parse thread leaves it. */
struct prd {
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
struct prow {
    int64_t line;
    uint32_t off, len;  /* the raw line in the chunk's buffer */
    uint32_t first, n;
};

/* One rejected row. */
struct perr {
    int64_t line;
    const char *code;
    uint32_t name, msg; /* offsets in the pool; name NO_NAME = whole-line fault */
    uint32_t off, len;  /* the raw line */
    int column;
};
#define NO_NAME UINT32_MAX

struct chunk {
    struct chunk *next;         /* in the loader's parse queue */
    struct fileload *f;
    uint64_t seq;               /* order within the pass */
    int64_t first_line;         /* 0 while it is parsed, then the file's (rebase_lines) */
    int64_t lines;              /* counted by the parse thread */
    char *buf;
    size_t len, cap;
    struct prow *rows;
    size_t nrows, caprows;
    struct prd *rds;
    size_t nrds, caprds;
    struct perr *errs;
    size_t nerrs, caperrs;
    char *pool;
    size_t pool_used, pool_cap;
    int done;                   /* parsed (guarded by the loader's mutex) */
    uint64_t hash_ticket;       /* its bytes in the file's sha256 (hashpipe.h) */
    int oom;                    /* the parse thread ran out of memory */
    int has_new;                /* some reading names a meter the registry lacks */
};

/* A meter a file names through an option (--meter / --export-meter). */
struct mapped_meter {
    int given;
    long index;                 /* file meter index, or -1 when it is new or unknown */
    char id[64];
    size_t idlen;
};

/* Per file and attempt; owned by the file's thread, read by parse threads. */
struct fileload {
    struct loader *L;
    struct claimed_file claim;
    const char *owner;
    PGconn *conn;
    int fd;
    const struct reader_format *fmt;
    int parallel;               /* fmt->flags & READER_PARALLEL */
    uint64_t gen;               /* tells parse threads their cached reader state is stale */
    /* header */
    char **colnames;
    int ncols;
    void *priv_after_header;    /* the reader's state as header() left it */
    struct reader_state seq_state; /* sequential formats: the one state, used in order */
    int64_t data_offset;        /* byte offset of line 2 */
    /* registry */
    struct meter_table meters;
    struct mapped_meter meter_opt, export_opt;
    int create_meters;
    int64_t now;                /* the load's start (server clock): later intervals are future */
    char sha256[65];            /* of the bytes read (hex), "" until a pass has read them all */
    /* the chunk pipeline (guarded by the loader's mutex) */
    pthread_cond_t done_cv;
    uint64_t next_parse_seq;    /* sequential formats: next chunk to parse */
    int parsing;
    /* progress, read by the lease thread and the progress display */
    _Atomic int64_t progress_rows;
    _Atomic int64_t bytes_done;
    _Atomic int claim_lost;
};

/* parse.c: a parse thread's private things. */
struct parser {
    struct linesplit ls;
    struct reader_state st;     /* parallel formats: a private copy of the header state */
    void *priv;
    size_t priv_cap;
    uint64_t priv_gen;
    /* the row being read */
    struct pend *pend;
    size_t npend, cappend;
    char *ids;                  /* ids of new meters in this row */
    size_t ids_used, ids_cap;
    int rejected;
    struct chunk *c;
    struct fileload *f;
    int64_t line;
    const char *raw;
    size_t raw_len;
    /* last meter id looked up, and what it resolved to */
    char last_id[64];
    size_t last_idlen;
    long last_index;
    const char *last_code;
};

int parser_init(struct parser *p);
void parser_free(struct parser *p);
/* Reads every line of c (of file c->f) into c's output. */
void parse_chunk(struct parser *p, struct chunk *c);

/* Column name for a loader rejection (NULL when column is 0 or past the header). */
const char *fileload_colname(const struct fileload *f, int column);

/* One file thread: one connection, one file at a time. */
struct slot {
    struct loader *L;
    int index;
    pthread_t thread;
    PGconn *conn;
    struct chunk *chunks;
    int nchunks;
    char *carry;                /* the partial line at the end of the last chunk read */
    size_t carry_len, carry_cap;
    struct fileload *cur;       /* the file in progress (guarded by L->mu) */
    int gave_up;                /* the database stayed unreachable */
};

struct loader {
    char *conninfo, *owner;
    int jobs, lease_seconds;
    int mode;                   /* enum loader_mode */
    int64_t *ids;
    size_t nids;
    struct load_events *ev;
    pthread_mutex_t mu;
    pthread_cond_t work_cv;     /* parse threads: chunks queued */
    pthread_cond_t wake_cv;     /* file threads and the caller: something changed */
    struct chunk *qhead, *qtail;
    int stop, files_final, parsers_stop, lease_stop;
    int nidle, nexited;
    uint64_t wake_gen;
    pthread_t *parsers;
    int nparsers;
    struct slot *slots;
    int nslots;
    pthread_t lease_thread;
    PGconn *lease_conn;
    pthread_mutex_t ctl_mu;     /* the control connection: partitions, meter ids */
    PGconn *ctl;
    _Atomic uint64_t gen;
    size_t chunk_bytes, day_budget;
    int throttle_ms;            /* MO_LOAD_THROTTLE_MS: pause after each chunk (tests) */
};

/* loader.c services for loadfile.c */
/* Nice value of the worker threads (parse, hash): below the server's COPY. */
int loader_worker_nice(void);
void loader_dispatch(struct loader *L, struct chunk *c);
void loader_wait_chunk(struct loader *L, struct chunk *c);
int loader_chunk_done(struct loader *L, const struct chunk *c);
int loader_ensure_partition(void *ctx, int64_t day, struct mo_err *err);
int loader_next_ids(void *ctx, int64_t *ids, int n, struct mo_err *err);
/* Reconnects a file thread's connection with backoff (0.5 s doubling to 10 s, about two
 * minutes in all); 0 when connected again. */
int loader_reconnect(struct loader *L, PGconn **conn, const char *what);
void loader_notice(struct loader *L, const char *fmt, ...) MO_PRINTF(2, 3);

/* loadfile.c: takes one claimed file to a final state (or gives it back). Returns -1 when
 * the database stayed unreachable. */
int loadfile(struct slot *s, struct claimed_file *cf);

#endif
