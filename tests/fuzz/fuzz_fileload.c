/* fuzz_fileload.c - a whole file through the loader's parsing stages without a server:
 * line 1 through fileheader_read (format sniffing, the format's header()), the rest as
 * one chunk through parse_chunk (backend/parse.c: splitting, UTF-8, the reader, the meter,
 * range, alignment and future checks against a small registry). The first byte sets the
 * options: bit 0 --create-meters, bit 1 --meter, bit 2 --export-meter. The chunk is
 * parsed twice, with the formats' fast line readers and without (MO_LOAD_NOFAST), and
 * both must leave exactly the same rows, readings and rejections. */
#include "tests/fuzz/fuzz.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend/fileheader.h"
#include "backend/loadshared.h"
#include "backend/parse.h"

/* A few meters the seeds name, with each interval. */
static const struct {
    const char *id;
    int minutes;
} registry[] = {
    { "2700003640001", 30 }, { "1083342065209", 30 }, { "1146623491540", 30 },
    { "1293452921270", 15 }, { "1521974505459", 60 }, { "2672587162", 30 },
};

struct run {
    struct load_shared sh;
    struct fileload f;
    struct chunk c;
    struct parser p;
    int header_rc;
};

static void map_meter(struct mapped_meter *m, const struct meter_table *t, long index)
{
    m->given = 1;
    m->index = index;
    m->idlen = meters_name(t, (size_t)index, m->id, sizeof m->id);
}

/* Header and parse of the file in fd, fast lines on or off; 0 when the header passed. */
static int run_file(struct run *r, int fd, const char *body, size_t size, unsigned opts,
                    int fast)
{
    memset(r, 0, sizeof *r);
    r->sh.tuning.no_fast_lines = !fast;
    r->f.shared = &r->sh;
    r->f.fd = fd;
    r->f.claim.path = "fuzz.csv";
    r->f.now = 1735689600; /* 2025-01-01 */
    r->f.gen = 1;
    meters_init(&r->f.meters);
    for (size_t i = 0; i < sizeof registry / sizeof *registry; i++)
        if (meters_add(&r->f.meters, registry[i].id, strlen(registry[i].id), (int64_t)i + 1,
                       registry[i].minutes) < 0)
            abort();
    r->f.create_meters = opts & 1;
    if (opts & 2)
        map_meter(&r->f.meter_opt, &r->f.meters, 1);
    if (opts & 4)
        map_meter(&r->f.export_opt, &r->f.meters, 2);
    struct mo_err herr, err;
    char raw[1000];
    size_t raw_len;
    memset(&herr, 0, sizeof herr);
    memset(&err, 0, sizeof err);
    int rc = fileheader_read(&r->f, &herr, raw, &raw_len, &err);
    FUZZ_CHECK(rc >= 0);
    FUZZ_CHECK(raw_len <= sizeof raw);
    FUZZ_CHECK(rc == 0 || herr.code[0]);
    r->header_rc = rc;
    if (rc != 0)
        return rc;
    /* a document format (XML, JSON: READER_DOCUMENT) has no rows to split: loaddoc.c
     * reads it, and its own harness fuzzes it */
    if (r->f.fmt->flags & READER_DOCUMENT)
        return 1;
    FUZZ_CHECK(r->f.data_offset >= 0 && (size_t)r->f.data_offset <= size);
    r->f.stream.parallel = (r->f.fmt->flags & READER_PARALLEL) != 0;
    r->c.f = &r->f;
    r->c.stream = &r->f.stream;
    r->c.first_line = 2;
    r->c.len = size - (size_t)r->f.data_offset;
    r->c.buf = malloc(r->c.len + 1);
    if (!r->c.buf || parser_init(&r->p) < 0)
        abort();
    memcpy(r->c.buf, body + r->f.data_offset, r->c.len);
    parse_chunk(&r->p, &r->c);
    FUZZ_CHECK(!r->c.oom);
    return 0;
}

static void run_free(struct run *r)
{
    parser_free(&r->p);
    free(r->c.buf);
    free(r->c.rows);
    free(r->c.rds);
    free(r->c.errs);
    free(r->c.pool);
    fileheader_free(&r->f);
    meters_free(&r->f.meters);
}

/* The two parses left the same output. */
static void same_output(const struct run *a, const struct run *b)
{
    const struct chunk *x = &a->c, *y = &b->c;
    FUZZ_CHECK(x->lines == y->lines);
    FUZZ_CHECK(x->nrows == y->nrows && x->nrds == y->nrds && x->nerrs == y->nerrs);
    FUZZ_CHECK(x->has_new == y->has_new);
    for (size_t i = 0; i < x->nrows; i++) {
        const struct parsed_row *u = &x->rows[i], *v = &y->rows[i];
        FUZZ_CHECK(u->line == v->line && u->off == v->off && u->len == v->len);
        FUZZ_CHECK(u->first == v->first && u->n == v->n);
    }
    for (size_t i = 0; i < x->nrds; i++) {
        const struct parsed_reading *u = &x->rds[i], *v = &y->rds[i];
        FUZZ_CHECK(u->day == v->day && u->slot == v->slot && u->wh == v->wh);
        FUZZ_CHECK(u->quality == v->quality && u->minutes == v->minutes);
        FUZZ_CHECK(u->column == v->column && u->vcolumn == v->vcolumn);
        FUZZ_CHECK(u->idlen == v->idlen);
        FUZZ_CHECK((u->meter & NEW_METER) == (v->meter & NEW_METER));
        if (u->meter & NEW_METER)
            FUZZ_CHECK(memcmp(x->pool + (u->meter & ~NEW_METER), y->pool + (v->meter & ~NEW_METER),
                              u->idlen) == 0);
        else
            FUZZ_CHECK(u->meter == v->meter);
    }
    for (size_t i = 0; i < x->nerrs; i++) {
        const struct parsed_reject *u = &x->errs[i], *v = &y->errs[i];
        FUZZ_CHECK(u->line == v->line && u->column == v->column);
        FUZZ_CHECK(strcmp(u->code, v->code) == 0);
        FUZZ_CHECK(u->off == v->off && u->len == v->len);
        FUZZ_CHECK(strcmp(x->pool + u->msg, y->pool + v->msg) == 0);
        FUZZ_CHECK((u->name == NO_NAME) == (v->name == NO_NAME));
        if (u->name != NO_NAME)
            FUZZ_CHECK(strcmp(x->pool + u->name, y->pool + v->name) == 0);
    }
    /* every line is a row or a rejection, once */
    FUZZ_CHECK((int64_t)(x->nrows + x->nerrs) == x->lines);
}

FUZZ_ENTRY(fileload)
{
    if (size == 0)
        return 0;
    unsigned opts = data[0];
    const char *body = (const char *)data + 1;
    size--;
    int fd = memfd_create("fuzz", 0);
    if (fd < 0 || (size && write(fd, body, size) != (ssize_t)size))
        abort();
    static struct run fast, slow;
    int rc = run_file(&fast, fd, body, size, opts, 1);
    if (rc == 0) {
        run_file(&slow, fd, body, size, opts, 0);
        same_output(&fast, &slow);
        run_free(&slow);
    }
    run_free(&fast);
    close(fd);
    return 0;
}
