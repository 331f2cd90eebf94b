/* docread.h - what a document reader (a format read as a whole document, not as lines:
 * Green Button XML, Octopus JSON) hands the loader: readings or refusals one by one, from
 * a byte source it may read twice. loaddoc.c is the loader's side. */
#ifndef MO_DOCREAD_H
#define MO_DOCREAD_H

#include <stddef.h>
#include <stdint.h>

#include "backend/err.h"

/* One reading, or one refused reading (code set). */
struct doc_reading {
    int64_t start;      /* UTC seconds */
    int64_t seconds;    /* duration */
    int64_t wh;         /* valid when code is NULL */
    char quality;       /* 'A', or 'E' estimated */
    int channel;        /* 0 import, 1 export */
    long line;          /* where the reading starts in the document */
    int column;
    /* NULL: a reading; else the rejection code (reader.h RJ_* or the format's) and why */
    const char *code;
    char message[256];
    /* as written, for the raw text of a load_error row */
    char raw[160];
};

struct doc_sink {
    void *ctx;
    /* every reading, read or refused; return nonzero to stop reading */
    int (*reading)(void *ctx, const struct doc_reading *r);
};

/* The byte source: fills buf with up to len bytes, returns how many (0 at the end), or
 * -1 (the source keeps why). */
typedef int (*doc_read_fn)(void *ctx, char *buf, int len);

/* A reader may read the document twice (espi.h says why): rewind() goes back to byte 0
 * and returns 0, or -1 with err set. */
struct doc_source {
    doc_read_fn read;
    int (*rewind)(void *ctx, struct mo_err *err);
    void *ctx;
};

/* A document held in memory as a source (tests, fuzzing): doc_memory_source(&m, buf, len)
 * returns the source that reads m. */
struct doc_memory {
    const char *buf;
    size_t len, at;
};
struct doc_source doc_memory_source(struct doc_memory *m, const char *buf, size_t len);

#endif
