/* loaddoc.c - see loaddoc.h. The file's thread reads and parses the document itself (an
 * XML stream is read in order, by one thread); readings fill one chunk at a time, which
 * goes to the assembler when full. */
#include "backend/loaddoc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/espi.h"
#include "backend/xsd.h"
#include "backend/octopus.h"
#include "backend/parse.h"

/* Readings per chunk handed to the assembler. */
#define DOC_CHUNK_ROWS 8192

struct doc {
    struct file_thread *t;
    struct fileload *f;
    struct assembler *a;
    struct hashpipe *hp;
    struct parser p;
    struct chunk *c;
    int hashing;                /* pass 2 of the reader: the bytes go into the hash */
    int64_t left;               /* bytes still to read (never past the queued size) */
    int64_t bytes;              /* hashed so far */
    int pass1;
    int64_t ordinal;            /* readings so far: the loader's line number of a reading */
    int failed;                 /* err is set: stop */
    struct mo_err *err;
};

static int doc_read(void *ctx, char *buf, int len)
{
    struct doc *d = ctx;
    if (d->left < len)
        len = (int)d->left;
    if (len <= 0)
        return 0;
    ssize_t n;
    do
        n = read(d->f->fd, buf, (size_t)len);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        mo_err_at(d->err, d->f->claim.path, 0, 0, "file_read", "cannot read: %s", strerror(errno));
        d->failed = 1;
        return -1;
    }
    d->left -= n;
    if (d->hashing && n > 0) {
        hashpipe_wait(d->hp, hashpipe_add(d->hp, buf, (size_t)n));
        d->bytes += n;
    }
    return (int)n;
}

static int doc_rewind(void *ctx, struct mo_err *err)
{
    struct doc *d = ctx;
    if (lseek(d->f->fd, 0, SEEK_SET) < 0)
        return mo_err_at(err, d->f->claim.path, 0, 0, "file_read", "cannot seek: %s",
                         strerror(errno));
    d->left = d->f->claim.bytes;
    d->hashing = 1;
    return 0;
}

static int grow_buf(struct chunk *c, size_t need)
{
    if (need <= c->cap)
        return 0;
    size_t cap = c->cap ? c->cap : 65536;
    while (cap < need)
        cap *= 2;
    char *b = realloc(c->buf, cap);
    if (!b)
        return -1;
    c->buf = b;
    c->cap = cap;
    return 0;
}

/* The chunk so far to the assembler; a new one begins. */
static int doc_flush(struct doc *d)
{
    struct chunk *c = d->c;
    if (c->lines == 0)
        return 0;
    if (c->oom) {
        d->failed = 1;
        return mo_err_set(d->err, "out_of_memory", "out of memory while reading the file");
    }
    if (asm_chunk(d->a, c, d->err) < 0) {
        d->failed = 1;
        return -1;
    }
    if (d->pass1)
        fileload_progress(d->f, c->lines, 0);
    c->len = 0;
    parse_doc_begin(&d->p, c);
    return 0;
}

static int doc_reading(void *ctx, const struct doc_reading *e)
{
    struct doc *d = ctx;
    struct chunk *c = d->c;
    char raw[200];
    int rl0 = e->column > 0 ? snprintf(raw, sizeof raw, "line %ld:%d: %s", e->line, e->column, e->raw)
                            : snprintf(raw, sizeof raw, "%s", e->raw);
    size_t rl = rl0 < 0 ? 0 : (size_t)rl0 < sizeof raw ? (size_t)rl0 : sizeof raw - 1;
    if (grow_buf(c, c->len + rl + 1) < 0) {
        d->failed = 1;
        mo_err_set(d->err, "out_of_memory", "out of memory while reading the file");
        return 1;
    }
    size_t off = c->len;
    memcpy(c->buf + off, raw, rl);
    c->len += rl;
    struct reading r = {
        .mpxn = NULL, .mpxn_len = 0, .start = e->start, .minutes = (int)(e->seconds / 60),
        .wh = e->wh, .quality = e->quality, .channel = e->channel, .column = 0,
    };
    /* The loader's line of a reading is its number in the document, not the line it is
     * on: a document may hold many readings on one line (minified XML, a JSON page), and
     * the assembler's second pass tells the rows it decided already by their line
     * (assemble.c replay_row), so lines must grow row by row. The document's own line
     * and column lead the raw text. */
    parse_doc_row(&d->p, ++d->ordinal, off, rl, e->code ? NULL : &r, e->code, e->message);
    if (c->lines >= DOC_CHUNK_ROWS && doc_flush(d) < 0)
        return 1;
    return 0;
}

int loaddoc_read(struct file_thread *t, struct fileload *f, struct assembler *a,
                 struct hashpipe *hp, int pass1, struct mo_err *refusal, struct mo_err *err)
{
    if (!t->chunks && !(t->chunks = calloc((size_t)t->depth, sizeof *t->chunks)))
        return mo_err_set(err, "out_of_memory", "out of memory");
    struct doc d = { .t = t, .f = f, .a = a, .hp = hp, .pass1 = pass1, .err = err,
                     .left = f->claim.bytes, .c = &t->chunks[0] };
    if (parser_init(&d.p) < 0)
        return mo_err_set(err, "out_of_memory", "out of memory");
    d.c->f = f;
    d.c->stream = &f->stream;
    d.c->first_line = 0;
    d.c->len = 0;
    d.c->long_len = 0;
    d.c->hash_from = 0;
    parse_doc_begin(&d.p, d.c);
    if (lseek(f->fd, 0, SEEK_SET) < 0) {
        parser_free(&d.p);
        return mo_err_at(err, f->claim.path, 0, 0, "file_read", "cannot seek: %s", strerror(errno));
    }
    const struct doc_source src = { doc_read, doc_rewind, &d };
    d.hashing = f->fmt == &reader_octopus; /* read once: hashed as read */
    const struct doc_sink sink = { &d, doc_reading };
    mo_err_clear(refusal);
    int rc;
    const char *unit = f->claim.unit;
    if (f->fmt == &reader_octopus) {
        struct octopus_info info;
        struct octopus_opts o = { .unit = strcmp(unit, "m3") == 0 ? OCTOPUS_M3 : OCTOPUS_KWH };
        if (f->claim.calorific_value > 0)
            o.calorific_milli = (int64_t)(f->claim.calorific_value * 1000 + 0.5);
        rc = octopus_read(&src, f->claim.path, &o, &sink, &info, refusal);
    } else {
        struct espi_info info;
        struct espi_opts o = { 0 };
        if (strcmp(unit, "Wh") == 0 || strcmp(unit, "kWh") == 0) {
            o.default_uom = ESPI_UOM_WH;
            o.default_p10 = unit[0] == 'k' ? 3 : 0;
        }
        struct xsd *sc = NULL;
        if (f->claim.xsd && !(sc = xsd_load(XSD_ESPI, err))) {
            parser_free(&d.p);
            return -1;
        }
        o.schema = xsd_schema(sc);
        rc = espi_read(&src, f->claim.path, &o, &sink, &info, refusal);
        xsd_free(sc);
    }
    if (d.failed) {
        parser_free(&d.p);
        return -1;
    }
    if (rc < 0) {
        parser_free(&d.p);
        if (strcmp(refusal->code, "file_read") == 0 || strcmp(refusal->code, "out_of_memory") == 0) {
            *err = *refusal;
            return -1;
        }
        return 1;
    }
    /* the rest of the file into the hash, should the reader have stopped short of it */
    char tail[4096];
    int n;
    while ((n = doc_read(&d, tail, sizeof tail)) > 0)
        ;
    rc = n < 0 || doc_flush(&d) < 0 ? -1 : 0;
    d.c->len = 0;
    parser_free(&d.p);
    return rc;
}
