/* parse.c - what a parse thread does to one chunk: cut it into lines, check encoding and
 * CSV syntax, run the format's reader, and check each reading against the registry
 * (contract checks 1-8; duplicates, check 9, need the whole file and are assemble.c's).
 *
 * Output goes into the chunk's arrays, which keep their memory from one use of the chunk
 * to the next: once a load runs, nothing is allocated per row. A row's readings wait in
 * the parser until the reader is done with the row, so a row lands whole or is rejected
 * once, for the first failing check in contract order (the lowest check number; among
 * readings of one row, the earliest). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/csvline.h"
#include "backend/halfhour.h"
#include "backend/loader.h"
#include "backend/parse.h"

/* row_reading.idoff of a reading whose meter id is the parser's cached last_id */
#define CACHED_ID UINT32_MAX

/* The loader's checks of one reading, numbered as in the contract (doc/loader.md,
 * "Validation"): a row is rejected for the lowest-numbered check one of its readings
 * fails. Checks 1-4 and the unscaled 5 are the reader's, 9 (duplicates) assemble.c's. */
enum reading_check {
    CHECK_PASSED = 0,
    CHECK_RANGE = 5,            /* the value is plausible for the meter's interval */
    CHECK_METER = 6,            /* the meter is registered, or may be (--create-meters) */
    CHECK_ALIGNED = 7,          /* the start is on a boundary of the meter's interval */
    CHECK_ENDED = 8,            /* the interval lies in the window: not before --not-before,
                                 * ended before the load started */
};

/* A reading of the row being read. */
struct row_reading {
    int64_t start;
    int64_t wh;
    long index;         /* file meter index, or -1: new (create) or no meter (meter_fault) */
    uint32_t idoff;     /* the meter id in parser->ids */
    uint16_t idlen;
    uint8_t mapped;     /* the meter came from --meter / --export-meter */
    const char *meter_fault; /* the meter check's rejection code, or NULL */
    int minutes;        /* as the reader gave it (0 = the meter's) */
    int column, vcolumn, idcolumn;
    char quality;
    int channel;
};

int parser_init(struct parser *p)
{
    memset(p, 0, sizeof *p);
    p->last_index = -2;
    p->ids_cap = 256;
    p->ids = calloc(p->ids_cap, 1);
    if (!p->ids)
        return -1;
    return linesplit_init(&p->ls, ',');
}

void parser_free(struct parser *p)
{
    linesplit_free(&p->ls);
    free(p->priv);
    free(p->row);
    free(p->ids);
    memset(p, 0, sizeof *p);
}

const char *fileload_colname(const struct fileload *f, int column)
{
    if (column < 1 || column > f->ncols)
        return NULL;
    return f->colnames[column - 1];
}

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 256;
    while (c < need)
        c *= 2;
    void *a = realloc(*arr, c * elem);
    if (!a)
        return -1;
    *arr = a;
    *cap = c;
    return 0;
}

/* Appends a NUL-terminated copy of s[0..n) to a growing text buffer and returns its
 * offset; out of memory marks the chunk and returns 0 (callers' buffers start with a
 * string there, or are never read once the chunk is marked). */
static uint32_t text_put(char **buf, size_t *used, size_t *cap, struct chunk *c, const char *s,
                         size_t n)
{
    if (grow((void **)buf, cap, *used + n + 1, 1) < 0) {
        c->oom = 1;
        return 0;
    }
    uint32_t off = (uint32_t)*used;
    memcpy(*buf + off, s, n);
    (*buf)[off + n] = '\0';
    *used += n + 1;
    return off;
}

/* ... to the chunk's pool. */
static uint32_t pool_put(struct chunk *c, const char *s, size_t n)
{
    return text_put(&c->pool, &c->pool_used, &c->pool_cap, c, s, n);
}

/* Past CHUNK_DETAILED_ERRORS of its code in the chunk, a rejection is only counted. */
static int tallied(struct chunk *c, int64_t line, int column, const char *name,
                   const char *code, const char *msg)
{
    int k = 0;
    while (k < c->npercode && strcmp(c->percode[k].code, code) != 0)
        k++;
    if (k == c->npercode) {
        if (k == (int)(sizeof c->percode / sizeof c->percode[0]))
            k = 0; /* more codes than any reader has: they share the first one's quota */
        else
            c->percode[c->npercode++].code = code, c->percode[k].n = 0;
    }
    if (c->percode[k].n < CHUNK_DETAILED_ERRORS) {
        c->percode[k].n++;
        return 0;
    }
    for (size_t i = 0; i < c->ntally; i++) {
        struct parsed_tally *t = &c->tally[i];
        if (t->column == column && strcmp(t->code, code) == 0 &&
            (name ? t->name != NO_NAME && strcmp(c->pool + t->name, name) == 0 : t->name == NO_NAME)) {
            t->count++;
            t->last_line = line;
            return 1;
        }
    }
    if (grow((void **)&c->tally, &c->captally, c->ntally + 1, sizeof *c->tally) < 0) {
        c->oom = 1;
        return 1;
    }
    struct parsed_tally *t = &c->tally[c->ntally++];
    t->code = code;
    t->column = column;
    t->name = name ? pool_put(c, name, strlen(name)) : NO_NAME;
    t->msg = pool_put(c, msg, strlen(msg));
    t->first_line = t->last_line = line;
    t->count = 1;
    return 1;
}

static void add_error(struct parser *p, int column, const char *name, const char *code,
                      const char *msg)
{
    struct chunk *c = p->c;
    if (tallied(c, p->line, column, name, code, msg))
        return;
    if (grow((void **)&c->errs, &c->caperrs, c->nerrs + 1, sizeof *c->errs) < 0) {
        c->oom = 1;
        return;
    }
    struct parsed_reject *e = &c->errs[c->nerrs++];
    e->line = p->line;
    e->code = code;
    e->column = column;
    e->name = name ? pool_put(c, name, strlen(name)) : NO_NAME;
    e->msg = pool_put(c, msg, strlen(msg));
    e->off = (uint32_t)(p->raw - c->buf);
    e->len = (uint32_t)p->raw_len;
}

/* A line over the limit (--max-line-bytes): rejected as such; its start is the raw text. */
static void too_long(struct parser *p, const char *s, size_t have, int64_t len, size_t limit)
{
    char msg[160];
    snprintf(msg, sizeof msg, "the line is %lld bytes long, more than the limit of %zu bytes "
             "(--max-line-bytes)", (long long)len, limit);
    p->raw = s;
    p->raw_len = have < 200 ? have : 200;
    p->rejected = 1;
    p->nrow = 0;
    add_error(p, 0, NULL, RJ_LINE_TOO_LONG, msg);
}

static void on_reject(void *ctx, int column, const char *column_name, const char *code,
                      const char *message)
{
    struct parser *p = ctx;
    if (p->rejected)
        return; /* a reader reports one fault per row; keep the first if it does not */
    p->rejected = 1;
    add_error(p, column, column_name, code, message);
}

/* Ids of the row's meters; on failure the chunk is marked and offset 0 (always there,
 * parser_init made it) stands in. */
static uint32_t ids_put(struct parser *p, const char *s, size_t n)
{
    return text_put(&p->ids, &p->ids_used, &p->ids_cap, p->c, s, n);
}

/* The meter check for one reading: which meter it belongs to. */
static void resolve_meter(struct parser *p, struct row_reading *q, const struct reading *r)
{
    struct fileload *f = p->f;
    const struct mapped_meter *map = NULL;
    q->index = -1;
    q->meter_fault = NULL;
    q->mapped = 0;
    q->idcolumn = 1;
    if (r->channel == 1) {
        if (!f->export_opt.given) {
            q->meter_fault = RJ_NO_METER;
            q->idoff = ids_put(p, "export", 6);
            q->idlen = 6;
            return;
        }
        map = &f->export_opt;
    } else if (f->meter_opt.given) {
        map = &f->meter_opt;
    }
    if (map) {
        q->mapped = 1;
        q->idcolumn = 0;
        q->idoff = ids_put(p, map->id, map->idlen);
        q->idlen = (uint16_t)map->idlen;
        if (map->index >= 0)
            q->index = map->index;
        else if (!f->create_meters)
            q->meter_fault = RJ_UNKNOWN_METER;
        return;
    }
    if (!r->mpxn || r->mpxn_len == 0) {
        q->meter_fault = RJ_NO_METER;
        q->idlen = 0;
        q->idoff = ids_put(p, "", 0);
        return;
    }
    size_t n = r->mpxn_len < 63 ? r->mpxn_len : 63;
    q->idlen = (uint16_t)n;
    if (r->mpxn_len > 63) {
        /* no meter id is that long (every reader refuses one first); no caching */
        q->idoff = ids_put(p, r->mpxn, n);
        q->index = meters_find(&f->meters, r->mpxn, r->mpxn_len);
        q->meter_fault = q->index >= 0 ? NULL : RJ_NO_METER;
        return;
    }
    q->idoff = CACHED_ID; /* the id is p->last_id: no copy per reading */
    if (n == p->last_idlen && p->last_index != -2 && same_bytes(r->mpxn, p->last_id, n)) {
        q->index = p->last_index;
        q->meter_fault = p->last_code;
        return;
    }
    /* earlier readings of this row that point at the cached id keep their own copy */
    for (size_t i = 0; i + 1 < p->nrow; i++)
        if (p->row[i].idoff == CACHED_ID)
            p->row[i].idoff = ids_put(p, p->last_id, p->last_idlen);
    long idx = meters_find(&f->meters, r->mpxn, r->mpxn_len);
    const char *code = NULL;
    if (idx < 0) {
        if (!validate_fuel(r->mpxn, r->mpxn_len))
            code = RJ_NO_METER;
        else if (!f->create_meters)
            code = RJ_UNKNOWN_METER;
    }
    q->index = idx;
    q->meter_fault = code;
    memcpy(p->last_id, r->mpxn, n);
    p->last_idlen = n;
    p->last_index = idx;
    p->last_code = code;
}

static inline const char *reading_id(const struct parser *p, const struct row_reading *q)
{
    return q->idoff == CACHED_ID ? p->last_id : p->ids + q->idoff;
}

static void on_reading(void *ctx, const struct reading *r)
{
    struct parser *p = ctx;
    if (p->rejected)
        return;
    if (grow((void **)&p->row, &p->caprow, p->nrow + 1, sizeof *p->row) < 0) {
        p->c->oom = 1;
        return;
    }
    struct row_reading *q = &p->row[p->nrow++];
    q->start = r->start;
    q->wh = r->wh;
    q->minutes = r->minutes;
    q->column = r->column;
    q->vcolumn = r->value_column ? r->value_column : r->column;
    q->quality = r->quality == 'E' ? 'E' : 'A';
    q->channel = r->channel;
    resolve_meter(p, q, r);
}

static void on_record(void *ctx, const char *const *values, int nvalues)
{
    /* registry feeds never come through here (loadreg.c reads them) */
    (void)values;
    (void)nvalues;
    struct parser *p = ctx;
    if (!p->rejected) {
        p->rejected = 1;
        add_error(p, 0, NULL, RJ_FIELD_INVALID, "a registry record in a readings file");
    }
}

static void fmt_utc(int64_t t, char *buf)
{
    ts_format_utc(t, buf);
}

/* The range (scaled), meter, alignment and ended checks over the row's readings; returns
 * the failing check (CHECK_PASSED: none) and writes its rejection. */
static enum reading_check check_row(struct parser *p)
{
    struct fileload *f = p->f;
    enum reading_check best = CHECK_PASSED;
    size_t bi = 0;
    for (size_t i = 0; i < p->nrow; i++) {
        struct row_reading *q = &p->row[i];
        enum reading_check c = CHECK_PASSED;
        if (q->meter_fault) {
            c = CHECK_METER;
        } else {
            int iv = q->index >= 0 ? meters_interval(&f->meters, (size_t)q->index) : (q->minutes ? q->minutes : 30);
            int mins = q->minutes ? q->minutes : iv;
            if (!validate_in_range(q->wh, mins))
                c = CHECK_RANGE;
            else if ((q->minutes && q->minutes != iv) || !validate_aligned(q->start, iv))
                c = CHECK_ALIGNED;
            else if (!validate_in_window(q->start, iv, f->floor, f->now))
                c = CHECK_ENDED;
        }
        if (c && (!best || c < best)) {
            best = c;
            bi = i;
        }
    }
    if (!best)
        return 0;
    struct row_reading *q = &p->row[bi];
    char id[64];
    snprintf(id, sizeof id, "%.*s", (int)q->idlen, reading_id(p, q));
    char msg[400], ts[32], ts2[32];
    int iv = q->index >= 0 ? meters_interval(&f->meters, (size_t)q->index) : (q->minutes ? q->minutes : 30);
    switch (best) {
    case CHECK_PASSED:
        break;
    case CHECK_RANGE: {
        int mins = q->minutes ? q->minutes : iv;
        snprintf(msg, sizeof msg, "%lld.%03lld kWh in %d minutes is more than meter %s can "
                 "plausibly record (at most %d Wh)", (long long)(q->wh / 1000),
                 (long long)(q->wh % 1000), mins, id, MO_MAX_WH_PER_HOUR * mins / 60);
        add_error(p, q->vcolumn, fileload_colname(f, q->vcolumn), RJ_VALUE_RANGE, msg);
        break;
    }
    case CHECK_METER:
        if (strcmp(q->meter_fault, RJ_UNKNOWN_METER) == 0)
            snprintf(msg, sizeof msg, "meter %s is not in the registry (register it, or load "
                     "with --create-meters)", id);
        else if (q->channel == 1 && !f->export_opt.given)
            snprintf(msg, sizeof msg, "an export reading and no --export-meter to say which "
                     "meter it belongs to");
        else if (q->idlen == 0)
            snprintf(msg, sizeof msg, "the row names no meter; give --meter MPXN");
        else
            snprintf(msg, sizeof msg, "'%s' is no MPAN or MPRN (a household id or a masked "
                     "number?); name the meter with --meter MPXN", id);
        add_error(p, q->idcolumn, q->idcolumn ? fileload_colname(f, q->idcolumn) : NULL,
                  q->meter_fault, msg);
        break;
    case CHECK_ALIGNED:
        fmt_utc(q->start, ts);
        if (q->minutes && q->minutes != iv)
            snprintf(msg, sizeof msg, "a %d-minute reading at %s for meter %s, which records "
                     "every %d minutes", q->minutes, ts, id, iv);
        else
            snprintf(msg, sizeof msg, "%s is not on a %d-minute boundary (UTC) of meter %s",
                     ts, iv, id);
        add_error(p, q->column, fileload_colname(f, q->column), RJ_MISALIGNED, msg);
        break;
    case CHECK_ENDED:
        fmt_utc(q->start, ts);
        if (q->start < f->floor) {
            fmt_utc(f->floor, ts2);
            snprintf(msg, sizeof msg, "the interval starting %s is before %.10s, the earliest "
                     "reading this load accepts (--not-before)", ts, ts2);
            add_error(p, q->column, fileload_colname(f, q->column), RJ_DATE_RANGE, msg);
            break;
        }
        fmt_utc(f->now, ts2);
        snprintf(msg, sizeof msg, "the interval starting %s has not ended by the load's start "
                 "(%s%s)", ts, ts2, f->claim.future_margin ? ", with --future-margin" : "");
        add_error(p, q->column, fileload_colname(f, q->column), RJ_FUTURE, msg);
        break;
    }
    return best;
}

/* The row passed: its readings go to the chunk. */
static void commit_row(struct parser *p)
{
    struct chunk *c = p->c;
    struct fileload *f = p->f;
    if (grow((void **)&c->rows, &c->caprows, c->nrows + 1, sizeof *c->rows) < 0 ||
        grow((void **)&c->rds, &c->caprds, c->nrds + p->nrow, sizeof *c->rds) < 0) {
        c->oom = 1;
        return;
    }
    struct parsed_row *row = &c->rows[c->nrows++];
    row->line = p->line;
    row->off = (uint32_t)(p->raw - c->buf);
    row->len = (uint32_t)p->raw_len;
    row->first = (uint32_t)c->nrds;
    row->n = (uint32_t)p->nrow;
    for (size_t i = 0; i < p->nrow; i++) {
        struct row_reading *q = &p->row[i];
        struct parsed_reading *d = &c->rds[c->nrds++];
        int iv = q->index >= 0 ? meters_interval(&f->meters, (size_t)q->index) : (q->minutes ? q->minutes : 30);
        int64_t day = floor_div(q->start, 86400);
        d->day = (int32_t)day;
        d->slot = (uint16_t)validate_slot((int32_t)(q->start - day * 86400), iv);
        d->wh = (int32_t)q->wh;
        d->quality = (uint8_t)q->quality;
        d->minutes = (uint8_t)iv;
        d->column = (uint16_t)q->column;
        d->vcolumn = (uint16_t)q->vcolumn;
        if (q->index >= 0) {
            d->meter = (uint32_t)q->index;
            d->idlen = 0;
        } else {
            d->meter = NEW_METER | pool_put(c, reading_id(p, q), q->idlen);
            c->has_new = 1;
            d->idlen = q->idlen;
        }
    }
}

/* The fast line's reading straight into the chunk, when its meter is the one the last
 * reading resolved to and every loader check passes: exactly what on_reading, check_row
 * and commit_row would leave, without the row's pending list. Returns 0 when the reading
 * needs the general path (another meter, a mapped file, a failing check): that path then
 * takes the reading, and explains any rejection. */
static int fast_commit(struct parser *p, const struct reading *r)
{
    struct fileload *f = p->f;
    struct chunk *c = p->c;
    size_t n = r->mpxn_len;
    if (f->meter_opt.given || p->last_index < 0 || n != p->last_idlen ||
        !same_bytes(r->mpxn, p->last_id, n))
        return 0;
    long index = p->last_index;
    int iv = meters_interval(&f->meters, (size_t)index);
    if (!validate_in_range(r->wh, iv) || !validate_aligned(r->start, iv) ||
        !validate_in_window(r->start, iv, f->floor, f->now))
        return 0;
    if ((c->nrows == c->caprows && grow((void **)&c->rows, &c->caprows, c->nrows + 1, sizeof *c->rows) < 0) ||
        (c->nrds == c->caprds && grow((void **)&c->rds, &c->caprds, c->nrds + 1, sizeof *c->rds) < 0)) {
        c->oom = 1;
        return 1;
    }
    struct parsed_row *row = &c->rows[c->nrows++];
    row->line = p->line;
    row->off = (uint32_t)(p->raw - c->buf);
    row->len = (uint32_t)p->raw_len;
    row->first = (uint32_t)c->nrds;
    row->n = 1;
    struct parsed_reading *d = &c->rds[c->nrds++];
    int64_t day = floor_div(r->start, 86400);
    d->day = (int32_t)day;
    d->slot = (uint16_t)validate_slot((int32_t)(r->start - day * 86400), iv);
    d->wh = (int32_t)r->wh;
    d->quality = (uint8_t)(r->quality == 'E' ? 'E' : 'A');
    d->minutes = (uint8_t)iv;
    d->column = (uint16_t)r->column;
    d->vcolumn = (uint16_t)(r->value_column ? r->value_column : r->column);
    d->meter = (uint32_t)index;
    d->idlen = 0;
    return 1;
}

/* The reader state this chunk is read with: the file's own for formats that read in
 * order, else this thread's copy of what header() left. */
static struct reader_state *state_for(struct parser *p, struct fileload *f)
{
    if (!f->stream.parallel)
        return &f->seq_state;
    if (p->priv_gen != f->gen) {
        size_t need = f->fmt->state_size ? f->fmt->state_size : 1;
        if (need > p->priv_cap) {
            void *n = realloc(p->priv, need);
            if (!n)
                return NULL;
            p->priv = n;
            p->priv_cap = need;
        }
        if (f->fmt->state_size)
            memcpy(p->priv, f->priv_after_header, f->fmt->state_size);
        p->st = f->seq_state;
        p->st.priv = p->priv;
        p->priv_gen = f->gen;
        p->last_index = -2;
    }
    return &p->st;
}

void parse_chunk(struct parser *p, struct chunk *c)
{
    struct fileload *f = c->f;
    c->nrows = c->nrds = c->nerrs = c->pool_used = 0;
    c->ntally = 0;
    c->npercode = 0;
    c->oom = 0;
    c->has_new = 0;
    p->c = c;
    p->f = f;
    if (p->priv_gen != f->gen)
        p->last_index = -2;
    struct reader_state *st = state_for(p, f);
    if (!st) {
        c->oom = 1;
        return;
    }
    const struct reader_sink sink = {
        .ctx = p, .reading = on_reading, .record = on_record, .reject = on_reject,
    };
    const char *s = c->buf, *end = c->buf + c->len;
    int64_t line = c->first_line;
    size_t max_line = f->max_line ? f->max_line : LOADER_MAX_LINE;
    if (c->long_len) {
        /* one line over the limit, of which the chunk holds the start (loadfile.c) */
        p->line = line;
        too_long(p, s, c->len, c->long_len, max_line);
        c->lines = 1;
        return;
    }
    /* MO_LOAD_NOFAST=1 clears fast_lines: every line through the splitter and row() (to
     * compare the two) */
    /* A NUL byte would end the text a reader quotes in its message ('0.5' for
     * "0.5\0abc"): a line holding one is refused here, before any reader sees it. One
     * memchr per chunk keeps this off the path of chunks without one. */
    int nul = memchr(s, 0, c->len) != NULL;
    size_t (*fast_line)(struct reader_state *, const char *, const char *, struct reading *) =
        f->fast_lines && !nul ? f->fmt->fast_line : NULL;
    while (s < end) {
        struct reading r;
        size_t len = fast_line ? fast_line(st, s, end, &r) : 0;
        if (len > max_line) {
            p->line = line;
            too_long(p, s, len, (int64_t)len, max_line);
            line++;
            s += len + (s + len < end);
            continue;
        }
        if (len) {
            p->line = line;
            p->raw = s;
            p->raw_len = len;
            if (!fast_commit(p, &r)) {
                p->rejected = 0;
                p->nrow = 0;
                p->ids_used = 0;
                st->line = line;
                on_reading(p, &r);
                if (!p->rejected && check_row(p) == CHECK_PASSED)
                    commit_row(p);
            }
            line++;
            s += len + (s + len < end);
            continue;
        }
        char **fields;
        size_t *lens;
        const char *why = NULL, *next;
        size_t raw_len;
        int nonascii, bad_col;
        char msg[200];
        int n = linesplit_next(&p->ls, s, end, &next, &raw_len, &nonascii, &fields, &lens, &why);
        if (raw_len > max_line) {
            /* whole in this chunk (it holds at most the limit or a chunk's bytes), and
             * refused as such whatever its fields */
            p->line = line;
            too_long(p, s, raw_len, (int64_t)raw_len, max_line);
            line++;
            s = next;
            continue;
        }
        p->line = line;
        p->raw = s;
        p->raw_len = raw_len;
        p->rejected = 0;
        p->nrow = 0;
        p->ids_used = 0;
        const char *zero = nul ? memchr(s, 0, raw_len) : NULL;
        if (zero) {
            snprintf(msg, sizeof msg, "the line holds a NUL byte (byte %d): not text",
                     (int)(zero - s) + 1);
            add_error(p, 0, NULL, RJ_ENCODING, msg);
        } else if (nonascii && !utf8_valid(s, raw_len, &bad_col)) {
            snprintf(msg, sizeof msg, "the line is not valid UTF-8 (byte %d)", bad_col);
            add_error(p, 0, NULL, RJ_ENCODING, msg);
        } else if (n < 0) {
            snprintf(msg, sizeof msg, "the line is not valid CSV: %s", why ? why : "parse error");
            add_error(p, 0, NULL, RJ_FIELD_COUNT, msg);
        } else {
            st->line = line;
            f->fmt->row(st, fields, lens, n, &sink);
            if (!p->rejected && p->nrow > 0 && check_row(p) == CHECK_PASSED)
                commit_row(p);
            else if (!p->rejected && p->nrow == 0 && !c->oom) {
                /* a reader that neither emits nor rejects would lose a row silently */
                add_error(p, 0, NULL, RJ_FIELD_COUNT, "the row holds no reading");
            }
        }
        line++;
        s = next;
    }
    c->lines = line - c->first_line;
}

/* ---- documents (READER_DOCUMENT): readings a document reader found, one at a time ---- */

void parse_doc_begin(struct parser *p, struct chunk *c)
{
    c->nrows = c->nrds = c->nerrs = c->pool_used = 0;
    c->ntally = 0;
    c->npercode = 0;
    c->oom = 0;
    c->has_new = 0;
    c->lines = 0;
    p->c = c;
    p->f = c->f;
    p->last_index = -2;
}

void parse_doc_row(struct parser *p, int64_t line, size_t raw_off, size_t raw_len,
                   const struct reading *r, const char *code, const char *msg)
{
    struct chunk *c = p->c;
    p->line = line;
    p->raw = c->buf + raw_off;
    p->raw_len = raw_len;
    p->rejected = 0;
    p->nrow = 0;
    p->ids_used = 0;
    c->lines++;
    if (code) {
        p->rejected = 1;
        add_error(p, 0, NULL, code, msg);
        return;
    }
    on_reading(p, r);
    if (!p->rejected && check_row(p) == CHECK_PASSED)
        commit_row(p);
}
