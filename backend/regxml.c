/* regxml.c - see regxml.h. Three levels: the root (<meters>), a record (<meter>), a field
 * (<mpxn>); the schema says which names and in which order, so the reader only maps a
 * field's name to its column. */
#include "backend/regxml.h"

#include <libxml/xmlreader.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/xmlerr.h"
#include "backend/xsd.h"

/* The root element of each feed and its record element. */
static const struct {
    const char *root, *record;
    const struct reader_format *fmt;
} feeds[] = {
    { "customers", "customer", &reader_customers },
    { "tariffs", "tariff", &reader_tariffs },
    { "meters", "meter", &reader_meters },
    { "bills", "bill", &reader_bills },
};
#define NFEEDS (sizeof feeds / sizeof feeds[0])

const struct reader_format *regxml_sniff(const char *head, size_t len)
{
    if (len > 4096)
        len = 4096;
    char buf[4097];
    memcpy(buf, head, len);
    buf[len] = '\0';
    for (size_t i = 0; i < len; i++) /* a caller's NUL (filehash's first line) ends nothing */
        if (!buf[i])
            buf[i] = ' ';
    if (!strstr(buf, REGXML_NS))
        return NULL;
    /* the first element: after the prolog's <?...?> and <!--...--> */
    const char *p = buf;
    while ((p = strchr(p, '<')) != NULL) {
        if (p[1] == '?' || p[1] == '!') {
            p++;
            continue;
        }
        p++;
        const char *colon = p;
        while (*colon && *colon != ':' && *colon != ' ' && *colon != '>' && *colon != '/' &&
               *colon != '\n' && *colon != '\t' && *colon != '\r')
            colon++;
        if (*colon == ':') /* a prefix */
            p = colon + 1;
        for (size_t i = 0; i < NFEEDS; i++) {
            size_t n = strlen(feeds[i].root);
            if (strncmp(p, feeds[i].root, n) == 0 && strchr(" \t\r\n>/", p[n]))
                return feeds[i].fmt;
        }
        return NULL;
    }
    return NULL;
}

struct rx {
    xmlTextReaderPtr rd;
    const char *path;
    struct mo_err *err;
    const char *record;
    const char *const *cols;
    int ncols;
    int failed;
    struct xml_errors xe;       /* libxml2's first error, the schema violations */
    /* the record being read */
    struct regxml_record rec;
    char text[REGXML_MAX_COLS][REGXML_MAX_TEXT + 1];
    int field;              /* column of the field being read, -1 none */
};

static int fail(struct rx *x, const char *code, const char *fmt, ...) MO_PRINTF(3, 4);
static int fail(struct rx *x, const char *code, const char *fmt, ...)
{
    if (x->failed)
        return -1;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    mo_err_at(x->err, x->path, xmlTextReaderGetParserLineNumber(x->rd),
              xmlTextReaderGetParserColumnNumber(x->rd), code, "%s", msg);
    x->failed = 1;
    return -1;
}

static void record_start(struct rx *x)
{
    x->rec.number++;
    /* the node's own line (the parser's position is ahead of it, by what it buffered) */
    xmlNodePtr node = xmlTextReaderCurrentNode(x->rd);
    x->rec.line = node ? xmlGetLineNo(node) : xmlTextReaderGetParserLineNumber(x->rd);
    for (int i = 0; i < x->ncols; i++)
        x->text[i][0] = '\0', x->rec.lens[i] = 0;
    x->field = -1;
}

/* "line L: meter mpxn=... fuel=..." */
static void record_raw(struct rx *x)
{
    struct regxml_record *r = &x->rec;
    size_t o = (size_t)snprintf(r->raw, sizeof r->raw, "line %ld: %s", r->line, x->record);
    for (int i = 0; i < x->ncols && o < sizeof r->raw; i++)
        if (r->lens[i])
            o += (size_t)snprintf(r->raw + o, sizeof r->raw - o, " %s=%.*s", x->cols[i],
                                  (int)(r->lens[i] > 60 ? 60 : r->lens[i]), x->text[i]);
}

static int step(struct rx *x, regxml_record_fn fn, void *ctx)
{
    int type = xmlTextReaderNodeType(x->rd);
    int depth = xmlTextReaderDepth(x->rd);
    const char *local = (const char *)xmlTextReaderConstLocalName(x->rd);
    switch (type) {
    case XML_READER_TYPE_DOCUMENT_TYPE:
        return fail(x, "xml_dtd", "a document type declaration (<!DOCTYPE>): a registry feed "
                    "has none, and meterops reads no DTD");
    case XML_READER_TYPE_ENTITY_REFERENCE:
        return fail(x, "xml_dtd", "an entity reference; meterops expands no entities");
    case XML_READER_TYPE_ELEMENT:
        if (depth > 2)
            return fail(x, "xml_limit", "element <%s> nested deeper than a field", local);
        if (depth == 1 && strcmp(local, x->record) == 0) {
            record_start(x);
            if (xmlTextReaderIsEmptyElement(x->rd))
                goto record_end;
        } else if (depth == 2) {
            x->field = -1;
            for (int i = 0; i < x->ncols; i++)
                if (strcmp(local, x->cols[i]) == 0)
                    x->field = i;
        }
        return 0;
    case XML_READER_TYPE_TEXT:
    case XML_READER_TYPE_CDATA:
    case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
        if (depth == 3 && x->field >= 0) {
            const char *v = (const char *)xmlTextReaderConstValue(x->rd);
            size_t have = x->rec.lens[x->field], n = v ? strlen(v) : 0;
            if (have + n > REGXML_MAX_TEXT)
                return fail(x, "xml_limit", "<%s> holds more than %d bytes", x->cols[x->field],
                            REGXML_MAX_TEXT);
            memcpy(x->text[x->field] + have, v, n);
            x->text[x->field][have + n] = '\0';
            x->rec.lens[x->field] = have + n;
        }
        return 0;
    case XML_READER_TYPE_END_ELEMENT:
        if (depth == 2)
            x->field = -1;
        if (depth == 1 && strcmp(local, x->record) == 0)
            goto record_end;
        return 0;
    default:
        return 0;
    }
record_end:
    /* the schema has seen the whole record: a record it refused is not handed over */
    if (x->xe.xsd_count)
        return 0;
    record_raw(x);
    return fn(ctx, &x->rec) ? 1 : 0;
}

/* A <!DOCTYPE> before the root element (in the first 64 KB: a prolog of comments and
 * processing instructions is no longer): refused before libxml2 parses the internal
 * subset, where entity bombs and external entities are declared. Its line, or 0. */
static long doctype_line(int fd)
{
    static const size_t cap = 65536;
    char *b = malloc(cap);
    if (!b)
        return 0;
    ssize_t n = pread(fd, b, cap, 0);
    long line = 1, found = 0;
    for (ssize_t i = 0; i < n && !found; i++) {
        if (b[i] == '\n')
            line++;
        if (b[i] != '<' || i + 1 >= n)
            continue;
        if (b[i + 1] == '?')
            continue;
        if (i + 3 < n && memcmp(b + i, "<!--", 4) == 0) {
            for (i += 4; i + 2 < n && memcmp(b + i, "-->", 3) != 0; i++)
                line += b[i] == '\n';
            continue;
        }
        if (i + 9 <= n && memcmp(b + i, "<!DOCTYPE", 9) == 0)
            found = line;
        else
            break; /* the root element */
    }
    free(b);
    return found;
}

int regxml_read(int fd, const char *path, const struct reader_format *fmt, regxml_record_fn fn,
                void *ctx, struct mo_err *err)
{
    long dt = doctype_line(fd);
    if (dt)
        return mo_err_at(err, path, dt, 1, "xml_dtd", "a document type declaration (<!DOCTYPE>): a "
                         "registry feed has none, and meterops reads no DTD (entity expansion, "
                         "external entities): refused unread");
    size_t k = 0;
    while (k < NFEEDS && feeds[k].fmt != fmt)
        k++;
    if (k == NFEEDS)
        return mo_err_set(err, "header", "%s is no registry feed", fmt->name);
    struct xsd *sc = xsd_load(XSD_REGISTRY, err);
    if (!sc)
        return -1;
    struct rx *x = calloc(1, sizeof *x);
    if (!x) {
        xsd_free(sc);
        return mo_err_set(err, "out_of_memory", "out of memory");
    }
    x->path = path;
    x->err = err;
    x->record = feeds[k].record;
    x->cols = fmt->columns;
    while (x->cols[x->ncols] && x->ncols < REGXML_MAX_COLS)
        x->ncols++;
    for (int i = 0; i < REGXML_MAX_COLS; i++)
        x->rec.fields[i] = x->text[i];
    x->rec.nfields = x->ncols;
    int rc = -1;
    if (lseek(fd, 0, SEEK_SET) < 0) {
        mo_err_at(err, path, 0, 0, "file_read", "cannot seek to the start");
        goto done;
    }
    /* no network, no entity substitution, no DTD loaded; the reader must not close fd */
    x->rd = xmlReaderForFd(fd, path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                           XML_PARSE_NOWARNING | XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
    if (!x->rd) {
        mo_err_at(err, path, 0, 0, "xml_syntax", "cannot start the XML reader");
        goto done;
    }
    x->xe.rd = x->rd;
    xmlTextReaderSetStructuredErrorHandler(x->rd, xml_errors_record, &x->xe);
    if (xmlTextReaderSetSchema(x->rd, (xmlSchemaPtr)xsd_schema(sc)) != 0) {
        mo_err_at(err, path, 0, 0, "xsd_compile", "cannot validate against %s", XSD_REGISTRY);
        goto done;
    }
    int ret = 0, stopped = 0, root = 0;
    while (!x->failed && !stopped && (ret = xmlTextReaderRead(x->rd)) == 1) {
        if (!root && xmlTextReaderNodeType(x->rd) == XML_READER_TYPE_ELEMENT) {
            root = 1;
            const char *local = (const char *)xmlTextReaderConstLocalName(x->rd);
            const char *ns = (const char *)xmlTextReaderConstNamespaceUri(x->rd);
            if (strcmp(local, feeds[k].root) != 0 || !ns || strcmp(ns, REGXML_NS) != 0) {
                fail(x, "header", "the root element is <%s>, not the <%s xmlns=\"%s\"> of a %s feed",
                     local, feeds[k].root, REGXML_NS, fmt->name);
                break;
            }
        }
        stopped = step(x, fn, ctx) > 0;
    }
    if (x->failed)
        goto done;
    if (x->xe.xml_msg[0] || ret < 0) {
        mo_err_at(err, path, x->xe.xml_line, x->xe.xml_col, "xml_syntax", "not well-formed XML: %s",
                  x->xe.xml_msg[0] ? x->xe.xml_msg : "parse error");
        goto done;
    }
    if (x->xe.xsd_count) {
        mo_err_at(err, path, x->xe.xsd_line, x->xe.xsd_col, "xsd_invalid",
                  "not valid against %s: %s (%ld violation%s in the file)", XSD_REGISTRY,
                  x->xe.xsd_msg, x->xe.xsd_count, x->xe.xsd_count == 1 ? "" : "s");
        goto done;
    }
    if (!root) {
        mo_err_at(err, path, 0, 0, "header", "no XML element in the file");
        goto done;
    }
    rc = 0;
done:
    if (x->rd)
        xmlFreeTextReader(x->rd);
    xsd_free(sc);
    free(x);
    return rc;
}
