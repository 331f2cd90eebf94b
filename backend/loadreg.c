#include "backend/loadreg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/csvline.h"
#include "backend/db.h"
#include "backend/loadshared.h"
#include "backend/regxml.h"
#include "backend/sql.h"

struct regctx {
    struct fileload *f;
    struct errlog *log;
    PGconn *conn;
    int64_t line;
    const char *raw;
    size_t raw_len;
    char *buf;          /* COPY text of the staged records, sent in blocks */
    size_t len, cap;
    int rejected, recorded, oom;
    int64_t staged, reader_rejects;
};

static void put(struct regctx *r, const char *s, size_t n)
{
    if (r->len + n > r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 1 << 16;
        while (cap < r->len + n)
            cap *= 2;
        char *b = realloc(r->buf, cap);
        if (!b) {
            r->oom = 1;
            return;
        }
        r->buf = b;
        r->cap = cap;
    }
    memcpy(r->buf + r->len, s, n);
    r->len += n;
}

static void put_text(struct regctx *r, const char *s)
{
    for (; *s; s++) {
        const char *esc = *s == '\\' ? "\\\\" : *s == '\t' ? "\\t" : *s == '\n' ? "\\n"
                        : *s == '\r' ? "\\r" : NULL;
        if (esc)
            put(r, esc, 2);
        else
            put(r, s, 1);
    }
}

static void on_record(void *ctx, const char *const *values, int nvalues)
{
    struct regctx *r = ctx;
    if (r->rejected || r->recorded)
        return;
    r->recorded = 1;
    if (nvalues == 0) /* a line that holds no record of its own (reader.h) */
        return;
    char num[24];
    int n = snprintf(num, sizeof num, "%lld", (long long)r->line);
    put(r, num, (size_t)n);
    for (int i = 0; i < nvalues; i++) {
        put(r, "\t", 1);
        if (values[i])
            put_text(r, values[i]);
        else
            put(r, "\\N", 2);
    }
    put(r, "\n", 1);
    r->staged++;
}

static void on_reading(void *ctx, const struct reading *rd)
{
    (void)rd;
    struct regctx *r = ctx;
    if (!r->rejected && !r->recorded) {
        r->rejected = 1;
        errlog_add(r->log, r->line, NULL, RJ_FIELD_INVALID, "a reading in a registry feed",
                   r->raw, r->raw_len);
        r->reader_rejects++;
    }
}

static void on_reject(void *ctx, int column, const char *name, const char *code,
                      const char *message)
{
    (void)column;
    struct regctx *r = ctx;
    if (r->rejected)
        return;
    r->rejected = 1;
    errlog_add(r->log, r->line, name, code, message, r->raw, r->raw_len);
    r->reader_rejects++;
}

static int flush_copy(struct regctx *r, struct mo_err *err)
{
    if (r->oom)
        return mo_err_set(err, "out_of_memory", "out of memory staging records");
    if (r->len && PQputCopyData(r->conn, r->buf, (int)r->len) != 1)
        return db_err_from_result(NULL, r->conn, err);
    r->len = 0;
    return 0;
}

/* The raw text of line `line`, read back through the line-offset index (its first entry
 * is line `first`: 2 for CSV, whose line 1 is the header; 1 for XML records). */
static size_t raw_line(FILE *idx, int64_t first, int fd, int64_t line, char *buf, size_t cap)
{
    int64_t off[2];
    if (line < first || fseeko(idx, (off_t)(line - first) * 16, SEEK_SET) != 0 ||
        fread(off, 16, 1, idx) != 1)
        return 0;
    size_t n = (size_t)off[1] < cap ? (size_t)off[1] : cap;
    ssize_t got = pread(fd, buf, n, (off_t)off[0]);
    return got > 0 ? (size_t)got : 0;
}

/* The session's staging table (load/registry_stage: line_no, then the format's columns,
 * identifiers from the compiled-in table, quoted, where its column marker stands), dropped
 * at commit; the transaction is opened first. */
static int stage_create(PGconn *conn, const struct reader_format *fmt, struct mo_err *err)
{
    static const char marker[] = "/*columns*/";
    const char *tmpl = sql_text(SQL_LOAD_REGISTRY_STAGE);
    const char *at = strstr(tmpl, marker);
    if (!at)
        return mo_err_set(err, "sql_shape", "queries/load/registry_stage.sql lost its %s", marker);
    char ddl[4096];
    size_t o = (size_t)snprintf(ddl, sizeof ddl, "%.*s", (int)(at - tmpl), tmpl);
    for (int i = 0; fmt->columns && fmt->columns[i] && o < sizeof ddl; i++) {
        char *id = PQescapeIdentifier(conn, fmt->columns[i], strlen(fmt->columns[i]));
        if (!id)
            return db_err_from_result(NULL, conn, err);
        o += (size_t)snprintf(ddl + o, sizeof ddl - o, ", %s text", id);
        PQfreemem(id);
    }
    const char *rest = at + strlen(marker);
    if (o >= sizeof ddl || (size_t)snprintf(ddl + o, sizeof ddl - o, "%s", rest) >= sizeof ddl - o)
        return mo_err_set(err, "sql_shape", "format %s has too many columns to stage", fmt->name);
    if (db_exec(conn, SQL_TX_BEGIN, 0, NULL, err) < 0)
        return -1;
    PGresult *res = db_query_text(conn, ddl, 0, NULL, err);
    PQclear(res);
    return res ? 0 : -1;
}

/* One record's fields through the format's rules: staged, or one rejection. */
static void stage_fields(struct regctx *r, char **fields, size_t *lens, int nf)
{
    struct fileload *f = r->f;
    const struct reader_sink sink = {
        .ctx = r, .reading = on_reading, .record = on_record, .reject = on_reject,
    };
    f->seq_state.line = r->line;
    f->fmt->row(&f->seq_state, fields, lens, nf, &sink);
    if (!r->rejected && !r->recorded)
        on_reject(r, 0, NULL, RJ_FIELD_COUNT, "the row holds no record");
}

/* One data line through the checks and the reader: a record staged, or one rejection. */
static void stage_line(struct regctx *r, struct linesplit *ls, const char *line, size_t len)
{
    const char *text = line;
    size_t tlen = csvline_trim(&text, len, 0);
    r->raw = line;
    r->raw_len = tlen;
    r->rejected = r->recorded = 0;
    int bad;
    char **fields;
    size_t *lens;
    const char *why = NULL;
    char msg[200];
    int nf;
    const char *zero = memchr(text, 0, tlen); /* as parse.c: before a reader quotes it */
    if (zero) {
        snprintf(msg, sizeof msg, "the line holds a NUL byte (byte %d): not text",
                 (int)(zero - text) + 1);
        on_reject(r, 0, NULL, RJ_ENCODING, msg);
    } else if (!utf8_valid(text, tlen, &bad)) {
        snprintf(msg, sizeof msg, "the line is not valid UTF-8 (byte %d)", bad);
        on_reject(r, 0, NULL, RJ_ENCODING, msg);
    } else if ((nf = linesplit_split(ls, text, tlen, &fields, &lens, &why)) < 0) {
        snprintf(msg, sizeof msg, "the line is not valid CSV: %s", why ? why : "parse error");
        on_reject(r, 0, NULL, RJ_FIELD_COUNT, msg);
    } else {
        stage_fields(r, fields, lens, nf);
    }
}

/* ---- a registry feed as XML (regxml.h) ------------------------------------------------- */

struct xmlstage {
    struct regctx *r;
    FILE *idx, *raws;   /* raws: each record's raw text, which idx points into */
    int64_t raw_off;
    off_t consumed;
    struct mo_err *err;
    int failed;
};

static int on_xml_record(void *ctx, const struct regxml_record *rec)
{
    struct xmlstage *x = ctx;
    struct regctx *r = x->r;
    size_t n = strlen(rec->raw);
    int64_t ent[2] = { x->raw_off, (int64_t)n };
    fwrite(ent, 16, 1, x->idx);
    fwrite(rec->raw, 1, n, x->raws);
    x->raw_off += (int64_t)n;
    r->line = rec->number;
    r->raw = rec->raw;
    r->raw_len = n;
    r->rejected = r->recorded = 0;
    int bad;
    char msg[200];
    int i;
    for (i = 0; i < rec->nfields; i++) /* the document's encoding is libxml2's to check */
        if (!utf8_valid(rec->fields[i], rec->lens[i], &bad))
            break;
    if (i < rec->nfields) {
        snprintf(msg, sizeof msg, "<%s> is not valid UTF-8 (byte %d)", r->f->fmt->columns[i], bad);
        on_reject(r, i, r->f->fmt->columns[i], RJ_ENCODING, msg);
    } else {
        stage_fields(r, (char **)rec->fields, (size_t *)rec->lens, rec->nfields);
    }
    fileload_progress(r->f, 1, 0);
    if (r->len >= (1 << 20) && flush_copy(r, x->err) < 0)
        return x->failed = 1;
    if ((rec->number & 0xffff) == 0 && load_stopping(r->f->shared)) {
        mo_err_set(x->err, "stopped", "the loader is stopping");
        return x->failed = 1;
    }
    return 0;
}

/* Every record of the document into the staging table's COPY. 0; 1 when the document is
 * refused as a whole (*refusal: where and why; nothing of it may land); -1 with err. */
static int stage_xml(struct regctx *r, FILE *idx, FILE *raws, struct mo_err *refusal,
                     struct mo_err *err)
{
    struct xmlstage x = { .r = r, .idx = idx, .raws = raws, .err = err };
    int rc = regxml_read(r->f->fd, r->f->claim.path, r->f->fmt, on_xml_record, &x, refusal);
    if (x.failed)
        return -1;
    if (rc < 0)
        return strcmp(refusal->code, "file_read") == 0 || strcmp(refusal->code, "out_of_memory") == 0
                   ? (*err = *refusal, -1) : 1;
    return flush_copy(r, err) < 0 ? -1 : 0;
}

/* The next line of in, as getline, but keeping at most max bytes of it (and max + 1 more
 * for its newline): a longer line is read to its newline and dropped, *too_long set and
 * the start kept, so a registry feed's memory stays bounded by the limit. Returns the
 * bytes read (0 at the end, -1 out of memory); *len is what buf holds and *full the
 * line's length, both without the newline. */
static int64_t bounded_line(FILE *in, char **buf, size_t *cap, size_t max, size_t *len,
                            int64_t *full, int *too_long)
{
    if (*cap < max + 2) {
        char *b = realloc(*buf, max + 2);
        if (!b)
            return -1;
        *buf = b;
        *cap = max + 2;
    }
    int64_t n = 0;
    size_t k = 0;
    int c;
    *too_long = 0;
    *full = 0;
    while ((c = getc_unlocked(in)) != EOF) {
        n++;
        if (c == '\n')
            break;
        ++*full;
        if (k <= max)
            (*buf)[k++] = (char)c;
    }
    if (k > max) {
        *too_long = 1;
        k = 200;
    }
    *len = k;
    return n;
}

/* Every data line into the staging table's COPY; idx gets each line's offset and length
 * (to read a refused record's raw line back). 0, or -1 with err. */
static int stage_file(struct regctx *r, FILE *in, FILE *idx, struct linesplit *ls,
                      struct mo_err *err)
{
    struct fileload *f = r->f;
    fseeko(in, (off_t)f->data_offset, SEEK_SET);
    char *line = NULL;
    size_t cap = 0, len;
    int64_t n, full;
    int64_t off = f->data_offset;
    int rc = 0, too_long;
    r->line = 2;
    while ((n = bounded_line(in, &line, &cap, f->max_line, &len, &full, &too_long)) > 0) {
        int64_t rec[2] = { off, (int64_t)len };
        fwrite(rec, 16, 1, idx);
        off += n;
        if (too_long) {
            char msg[160];
            snprintf(msg, sizeof msg, "the line is %lld bytes long, more than the limit of %zu "
                     "bytes (--max-line-bytes)", (long long)full, f->max_line);
            r->raw = line;
            r->raw_len = len;
            r->rejected = 1;
            errlog_add(r->log, r->line, NULL, RJ_LINE_TOO_LONG, msg, line, len);
            r->reader_rejects++;
        } else {
            stage_line(r, ls, line, len);
        }
        fileload_progress(f, 1, n);
        if (r->len >= (1 << 20) && flush_copy(r, err) < 0) {
            rc = -1;
            break;
        }
        if ((r->line & 0xffff) == 0 && load_stopping(f->shared)) {
            rc = mo_err_set(err, "stopped", "the loader is stopping");
            break;
        }
        r->line++;
    }
    free(line);
    if (n < 0)
        return mo_err_set(err, "out_of_memory", "out of memory reading the file");
    if (rc == 0 && flush_copy(r, err) < 0)
        rc = -1;
    return rc;
}

/* The upsert; each record it refuses becomes a load_error row with its raw line. */
static int upsert_staged(struct regctx *r, const char *upsert, FILE *idx, int64_t first,
                         int rawfd, int64_t *refused, struct mo_err *err)
{
    char file_id[24];
    snprintf(file_id, sizeof file_id, "%lld", (long long)r->f->claim.file_id);
    const char *params[2] = { file_id, r->f->claim.create_meters ? "true" : "false" };
    int with_id = (r->f->fmt->flags & READER_FILE_ID) != 0;
    PGresult *res = db_query_text(r->conn, upsert, with_id ? 2 : 0, with_id ? params : NULL, err);
    if (!res)
        return -1;
    fflush(idx);
    for (int i = 0; i < PQntuples(res); i++) {
        int64_t ln = strtoll(PQgetvalue(res, i, 0), NULL, 10);
        char raw[4096];
        size_t rl = raw_line(idx, first, rawfd, ln, raw, sizeof raw);
        if (rl && raw[rl - 1] == '\r')
            rl--;
        errlog_add(r->log, ln, PQgetisnull(res, i, 1) ? NULL : PQgetvalue(res, i, 1),
                   PQgetvalue(res, i, 2), PQgetvalue(res, i, 3), raw, rl);
        (*refused)++;
    }
    PQclear(res);
    return 0;
}

int loadreg_run_sql(struct fileload *f, struct errlog *log, const char *upsert_text,
                    int64_t *total, int64_t *loaded, int64_t *rejected, struct mo_err *err)
{
    PGconn *conn = f->conn;
    const struct reader_format *fmt = f->fmt;
    const char *upsert = upsert_text ? upsert_text : sql_text(fmt->upsert_sql);
    if (!upsert)
        return mo_err_set(err, "sql_missing", "format %s names no embedded upsert query",
                          fmt->name);
    if (stage_create(conn, fmt, err) < 0)
        return -1;
    if (db_copy_begin(conn, SQL_LOAD_REGISTRY_STAGE_COPY, err) < 0)
        return -1;
    FILE *in = fdopen(dup(f->fd), "r");
    FILE *idx = tmpfile();
    FILE *raws = f->registry_xml ? tmpfile() : NULL;
    struct regctx r = { .f = f, .log = log, .conn = conn };
    struct linesplit ls;
    if (!in || !idx || (f->registry_xml && !raws) || linesplit_init(&ls, fmt->delimiter ? fmt->delimiter : ',') < 0) {
        int rc = mo_err_set(err, "out_of_memory", "cannot set up reading the file");
        if (in)
            fclose(in);
        if (idx)
            fclose(idx);
        if (raws)
            fclose(raws);
        db_copy_end(conn, "setup failed", err);
        return rc;
    }
    int rc = f->registry_xml ? stage_xml(&r, idx, raws, &f->refusal, err) : stage_file(&r, in, idx, &ls, err);
    fclose(in);
    linesplit_free(&ls);
    free(r.buf);
    if (db_copy_end(conn, rc == 0 ? NULL : "staging failed", err) < 0 && rc == 0)
        rc = -1;
    int64_t refused = 0;
    if (raws)
        fflush(raws);
    /* the reader's verdict on the whole file (reader_format.end: a D0010 trailer) */
    if (rc == 0 && !f->registry_xml && fmt->end && fmt->end(&f->seq_state, &f->refusal) < 0)
        rc = 1;
    if (rc == 0)
        rc = upsert_staged(&r, upsert, idx, f->registry_xml ? 1 : 2, raws ? fileno(raws) : f->fd,
                           &refused, err);
    fclose(idx);
    if (raws)
        fclose(raws);
    *total = r.staged + r.reader_rejects;
    *rejected = r.reader_rejects + refused;
    *loaded = r.staged - refused;
    return rc;
}

int loadreg_run(struct fileload *f, struct errlog *log, char *message, size_t message_len,
                int64_t *total, int64_t *loaded, int64_t *rejected, struct mo_err *err)
{
    int rc = loadreg_run_sql(f, log, NULL, total, loaded, rejected, err);
    if (rc == 0 && *rejected)
        snprintf(message, message_len, "%lld of %lld records rejected (counts by code in load_error_summary)",
                 (long long)*rejected, (long long)*total);
    return rc;
}

int loadreg_finish(struct fileload *f, struct errlog *log, int rejected, struct mo_err *err)
{
    (void)log;
    if (!rejected)
        return 0;
    if (db_exec(f->conn, SQL_TX_ROLLBACK, 0, NULL, err) < 0)
        return -1;
    return db_exec(f->conn, SQL_TX_BEGIN, 0, NULL, err);
}
