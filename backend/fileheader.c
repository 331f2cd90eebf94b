/* fileheader.c - see fileheader.h. */
#include "backend/fileheader.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/csvline.h"
#include "backend/espi.h"
#include "backend/regxml.h"
#include "backend/octopus.h"
#include "backend/reader_d0010.h"
#include "backend/loadshared.h"

#define HEADER_MAX 65536

void fileheader_free(struct fileload *f)
{
    for (int i = 0; i < f->ncols; i++)
        free(f->colnames[i]);
    free(f->colnames);
    f->colnames = NULL;
    f->ncols = 0;
    free(f->seq_state.priv);
    free(f->priv_after_header);
    f->seq_state.priv = f->priv_after_header = NULL;
}

/* Line 1's bytes (at most HEADER_MAX) into *buf; 0, or -1 on an I/O error. */
static int read_line1(struct fileload *f, char **buf, size_t *len, struct mo_err *err)
{
    *buf = malloc(HEADER_MAX);
    if (!*buf)
        return mo_err_set(err, "out_of_memory", "out of memory");
    *len = 0;
    while (*len < HEADER_MAX) {
        ssize_t n = pread(f->fd, *buf + *len, HEADER_MAX - *len, (off_t)*len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            free(*buf);
            *buf = NULL;
            return mo_err_at(err, f->claim.path, 0, 0, "file_read", "cannot read: %s",
                             strerror(errno));
        }
        if (n == 0)
            break;
        *len += (size_t)n;
        if (memchr(*buf, '\n', *len))
            break;
    }
    return 0;
}

/* The file's format: the one it was queued with, else the one its header names. NULL
 * with header_err set when there is none. */
static const struct reader_format *header_format(struct fileload *f, char **fields,
                                                 size_t *lens, int n, const char *text,
                                                 size_t tlen, struct mo_err *header_err)
{
    if (f->claim.format[0] && strcmp(f->claim.format, "unknown") != 0) {
        const struct reader_format *fmt = reader_find(f->claim.format);
        if (!fmt)
            mo_err_at(header_err, f->claim.path, 1, 0, "header", "unknown format '%s'",
                      f->claim.format);
        return fmt;
    }
    const struct reader_format *fmt = reader_detect(fields, lens, n);
    if (!fmt) {
        char names[300] = "";
        for (size_t i = 0; reader_formats[i]; i++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
                     i ? ", " : "", reader_formats[i]->name);
        mo_err_at(header_err, f->claim.path, 1, 0, "header", "the header '%.*s' is not one "
                  "of a known format (%s)", (int)(tlen < 200 ? tlen : 200), text, names);
    }
    return fmt;
}

/* The format reads the header: column names kept, the reader's state as header() left
 * it. Returns 0, 1 when the format refuses the header (header_err), -1 on no memory. */
static int take_header(struct fileload *f, const struct reader_format *fmt, char **fields,
                       size_t *lens, int n, struct mo_err *header_err, struct mo_err *err)
{
    f->fmt = fmt;
    /* MO_LOAD_SERIAL=1 reads every format in order on one parse thread (to tell a
     * format's own fault from a parallel-reading one) */
    f->stream.parallel = (fmt->flags & READER_PARALLEL) && !f->shared->tuning.serial;
    f->fast_lines = !f->shared->tuning.no_fast_lines;
    f->colnames = calloc((size_t)n, sizeof *f->colnames);
    f->seq_state.priv = calloc(1, fmt->state_size ? fmt->state_size : 1);
    f->priv_after_header = calloc(1, fmt->state_size ? fmt->state_size : 1);
    if (!f->colnames || !f->seq_state.priv || !f->priv_after_header)
        return mo_err_set(err, "out_of_memory", "out of memory");
    f->ncols = n;
    for (int i = 0; i < n; i++)
        f->colnames[i] = strdup(fields[i]);
    f->seq_state.fmt = fmt;
    f->seq_state.path = f->claim.path;
    f->seq_state.line = 1;
    if (fmt->header && fmt->header(&f->seq_state, fields, lens, n, header_err) < 0)
        return 1;
    if (fmt->state_size)
        memcpy(f->priv_after_header, f->seq_state.priv, fmt->state_size);
    return 0;
}

/* The formats meterops reads, for a refusal: "long, wide, ..., espi". */
static void format_names(char *names, size_t len)
{
    names[0] = '\0';
    for (size_t i = 0; reader_formats[i]; i++)
        snprintf(names + strlen(names), len - strlen(names), "%s%s", i ? ", " : "",
                 reader_formats[i]->name);
}

/* What a file that is no CSV looks like, from its first bytes: XML (a Green Button feed
 * or not) or JSON. Returns 1 when it is a document f's claim lets it be read as (the
 * format is set up), 2 when it is refused (header_err), 0 when it looks like neither. */
static int document_format(struct fileload *f, const char *buf, size_t len,
                           struct mo_err *header_err, struct mo_err *err)
{
    int xml = espi_sniff(buf, len);
    const char *claimed = f->claim.format[0] && strcmp(f->claim.format, "unknown") != 0 ?
                          f->claim.format : NULL;
    size_t i = len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
        i++;
    int json = !xml && ((i < len && (buf[i] == '{' || buf[i] == '[')) || octopus_sniff(buf, len));
    if (!xml && !json)
        return 0;
    const struct reader_format *reg = xml == 2 ? regxml_sniff(buf, len) : NULL;
    if (reg && (!claimed || strcmp(claimed, reg->name) == 0)) {
        /* a registry feed as XML: the CSV feed's rules and upsert, records from regxml.c;
         * every column, as a full CSV header would name them */
        f->fmt = reg;
        f->registry_xml = 1;
        f->stream.parallel = 0;
        f->fast_lines = 0;
        f->seq_state.priv = calloc(1, reg->state_size ? reg->state_size : 1);
        f->priv_after_header = calloc(1, reg->state_size ? reg->state_size : 1);
        if (!f->seq_state.priv || !f->priv_after_header)
            return mo_err_set(err, "out_of_memory", "out of memory"), -1;
        f->seq_state.fmt = reg;
        f->seq_state.path = f->claim.path;
        f->data_offset = 0;
        return 1;
    }
    char names[300];
    format_names(names, sizeof names);
    const struct reader_format *doc = xml == 1 ? &reader_espi :
                                      json && octopus_sniff(buf, len) ? &reader_octopus : NULL;
    if (doc && (!claimed || strcmp(claimed, doc->name) == 0)) {
        f->fmt = doc;
        f->stream.parallel = 0;
        f->fast_lines = 0;
        f->seq_state.priv = calloc(1, 1);
        f->priv_after_header = calloc(1, 1);
        if (!f->seq_state.priv || !f->priv_after_header)
            return mo_err_set(err, "out_of_memory", "out of memory"), -1;
        f->seq_state.fmt = doc;
        f->seq_state.path = f->claim.path;
        f->data_offset = 0;
        return 1;
    }
    if (claimed && (!doc || strcmp(claimed, doc->name) != 0))
        mo_err_at(header_err, f->claim.path, 1, 0, "header", "%s, not the %s format it was "
                  "queued as; meterops reads: %s", xml == 1 ? "a Green Button XML feed" :
                  xml ? "XML" : doc ? "an Octopus consumption page" : "JSON", claimed, names);
    else if (xml)
        mo_err_at(header_err, f->claim.path, 1, 0, "header", "XML, not a Green Button feed "
                  "(no Atom feed or entry with the ESPI namespace http://naesb.org/espi) nor a "
                  "registry feed (a <customers>, <tariffs>, <meters> or <bills> root in "
                  "urn:meterops:registry:1); meterops reads: %s", names);
    else
        mo_err_at(header_err, f->claim.path, 1, 0, "header", "JSON, not Octopus consumption "
                  "(no results of {consumption, interval_start, interval_end}); meterops reads: "
                  "%s", names);
    return 2;
}

int fileheader_read(struct fileload *f, struct mo_err *header_err, char *raw, size_t *raw_len,
                       struct mo_err *err)
{
    char *buf = NULL;
    size_t len = 0;
    if (read_line1(f, &buf, &len, err) < 0)
        return -1;
    int doc = len ? document_format(f, buf, len, header_err, err) : 0;
    if (doc != 0) {
        char *nl1 = memchr(buf, '\n', len);
        *raw_len = nl1 ? (size_t)(nl1 - buf) : len;
        if (*raw_len > 200)
            *raw_len = 200;
        memcpy(raw, buf, *raw_len);
        free(buf);
        return doc < 0 ? -1 : doc == 1 ? 0 : 1;
    }
    char *nl = memchr(buf, '\n', len);
    size_t hlen = nl ? (size_t)(nl - buf) : len;
    f->data_offset = nl ? (int64_t)(hlen + 1) : (int64_t)len;
    *raw_len = hlen < 1000 ? hlen : 1000;
    memcpy(raw, buf, *raw_len);
    if (*raw_len && raw[*raw_len - 1] == '\r')
        (*raw_len)--;
    int rc = 0;
    if (len == 0) {
        mo_err_at(header_err, f->claim.path, 1, 0, "header", "the file is empty: no header");
        rc = 1;
    } else if (!nl && len == HEADER_MAX) {
        mo_err_at(header_err, f->claim.path, 1, 0, "header", "line 1 is longer than %d bytes; "
                  "no format has such a header", HEADER_MAX);
        rc = 1;
    }
    const char *text = buf;
    size_t tlen = csvline_trim(&text, hlen, 1);
    int bad;
    const char *zero = rc ? NULL : memchr(text, 0, tlen); /* as parse.c's data lines */
    if (zero) {
        mo_err_at(header_err, f->claim.path, 1, 0, "header", "the header holds a NUL byte "
                  "(byte %d): not text", (int)(zero - text) + 1);
        rc = 1;
    } else if (!rc && !utf8_valid(text, tlen, &bad)) {
        mo_err_at(header_err, f->claim.path, 1, 0, "header", "the header is not valid UTF-8 "
                  "(byte %d)", bad);
        rc = 1;
    }
    /* A UK DTC flow (ZHV header) is pipe-delimited; of the flows only D0010 is read. */
    char flow[20];
    enum dtc_kind dtc = rc ? DTC_NONE : dtc_sniff(text, tlen, flow, sizeof flow);
    const char *claimed = f->claim.format[0] && strcmp(f->claim.format, "unknown") != 0 ?
                          f->claim.format : NULL;
    if (dtc == DTC_OTHER && (!claimed || strcmp(claimed, reader_d0010.name) == 0)) {
        char names[300];
        format_names(names, sizeof names);
        mo_err_at(header_err, f->claim.path, 1, 3, "header", "a UK DTC flow %s (ZHV header), "
                  "not the D0010 meter-reading flow, the one DTC flow meterops reads; meterops "
                  "reads: %s", flow[0] ? flow : "with no flow id", names);
        rc = 1;
    }
    char delim = dtc == DTC_D0010 && (!claimed || strcmp(claimed, reader_d0010.name) == 0) ?
                 reader_d0010.delimiter : ',';
    struct linesplit ls;
    char **fields = NULL;
    size_t *lens = NULL;
    int n = -1;
    const char *why = NULL;
    if (linesplit_init(&ls, delim) < 0) {
        free(buf);
        return mo_err_set(err, "out_of_memory", "out of memory");
    }
    if (!rc && (n = linesplit_split(&ls, text, tlen, &fields, &lens, &why)) < 0) {
        mo_err_at(header_err, f->claim.path, 1, 0, "header", "the header is not valid CSV: %s", why);
        rc = 1;
    }
    if (!rc) {
        const struct reader_format *fmt = header_format(f, fields, lens, n, text, tlen, header_err);
        rc = fmt ? take_header(f, fmt, fields, lens, n, header_err, err) : 1;
    }
    linesplit_free(&ls);
    free(buf);
    return rc;
}
