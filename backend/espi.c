/* espi.c - see espi.h. One pass over the reader's nodes; a small stack of element kinds
 * says where a text node belongs (an IntervalReading's timePeriod/start, not the
 * IntervalBlock's interval/start). */
#include "backend/espi.h"

#include <libxml/xmlreader.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_ESPI "http://naesb.org/espi"
#define NS_ATOM "http://www.w3.org/2005/Atom"
#define HREF_MAX 512

enum el {
    EL_OTHER, EL_FEED, EL_ENTRY, EL_LINK, EL_CONTENT,
    EL_READING_TYPE, EL_METER_READING, EL_USAGE_POINT, EL_LTP,
    EL_BLOCK, EL_READING, EL_QUALITY, EL_TIME_PERIOD,
    EL_UOM, EL_P10, EL_FLOW, EL_START, EL_DURATION, EL_VALUE, EL_QUALITY_VALUE,
    EL_TZ, EL_DST_OFFSET, EL_DST_START, EL_DST_END,
};

static const struct { const char *name; enum el el; int atom; } el_names[] = {
    { "feed", EL_FEED, 1 }, { "entry", EL_ENTRY, 1 }, { "link", EL_LINK, 1 },
    { "content", EL_CONTENT, 1 },
    { "ReadingType", EL_READING_TYPE, 0 }, { "MeterReading", EL_METER_READING, 0 },
    { "UsagePoint", EL_USAGE_POINT, 0 }, { "LocalTimeParameters", EL_LTP, 0 },
    { "IntervalBlock", EL_BLOCK, 0 }, { "IntervalReading", EL_READING, 0 },
    { "ReadingQuality", EL_QUALITY, 0 }, { "timePeriod", EL_TIME_PERIOD, 0 },
    { "uom", EL_UOM, 0 }, { "powerOfTenMultiplier", EL_P10, 0 },
    { "flowDirection", EL_FLOW, 0 }, { "start", EL_START, 0 }, { "duration", EL_DURATION, 0 },
    { "value", EL_VALUE, 0 }, { "quality", EL_QUALITY_VALUE, 0 }, { "tzOffset", EL_TZ, 0 },
    { "dstOffset", EL_DST_OFFSET, 0 }, { "dstStartRule", EL_DST_START, 0 },
    { "dstEndRule", EL_DST_END, 0 },
};

/* A ReadingType's unit and direction; set = which fields it gave. */
struct rtype {
    char self[HREF_MAX];
    int uom, p10, flow;
    int has_uom, has_p10;
};

/* A MeterReading: its self link and the ReadingType it relates to. */
struct mreading {
    char self[HREF_MAX];
    char rtype[HREF_MAX];
};

struct espi_state {
    xmlTextReaderPtr rd;
    const char *path;
    const struct espi_opts *opts;
    const struct doc_sink *sink;
    struct espi_info *info;
    struct mo_err *err;
    int failed, stopped;
    int pass;                   /* 1: ReadingTypes and MeterReadings only; 2: readings */
    /* the source, and the prolog scan that refuses a DTD before libxml2 parses it */
    doc_read_fn src;
    void *src_ctx;
    int prolog_state, prolog_done, prolog_count;
    char prolog_kw[9];
    int dtd_seen, utf16_seen, src_failed;
    long src_bytes;
    struct mo_err src_err;
    /* element stack */
    enum el stack[ESPI_MAX_DEPTH + 1];
    int depth;
    int root_checked;
    /* the entry being read */
    char self[HREF_MAX], up[HREF_MAX], rt_link[HREF_MAX];
    /* tables */
    struct rtype *types;
    int ntypes;
    struct mreading *mrs;
    int nmrs;
    struct rtype cur_type;      /* the ReadingType being read */
    int in_type;
    const struct rtype *last_type;
    /* the block being read: its unit */
    struct rtype block_type;
    int block_has_type;
    /* the reading being read */
    struct doc_reading r;
    int64_t value;
    int has_start, has_duration, has_value, bad_value;
    char bad_text[128];
    const char *bad_code;
    /* first libxml2 error */
    char xml_msg[300];
    long xml_line;
    int xml_col;
    /* schema violations (--xsd, pass 1): the first, and how many */
    char xsd_msg[300];
    long xsd_line;
    int xsd_col;
    long xsd_errors;
};

static int fail_at(struct espi_state *s, const char *code, const char *fmt, ...)
    MO_PRINTF(3, 4);

static int fail_at(struct espi_state *s, const char *code, const char *fmt, ...)
{
    if (s->failed)
        return -1;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    long line = s->rd ? xmlTextReaderGetParserLineNumber(s->rd) : 0;
    int col = s->rd ? xmlTextReaderGetParserColumnNumber(s->rd) : 0;
    mo_err_at(s->err, s->path, line, col, code, "%s", msg);
    s->failed = 1;
    return -1;
}

/* ---- the source, with the prolog scan ------------------------------------------------ */

/* Byte by byte until the first element starts: <?...?> and <!--...--> are skipped, a
 * <!DOCTYPE stops the read. */
enum { P_TOP, P_LT, P_PI, P_PI_Q, P_BANG, P_COMMENT, P_COMMENT_D1, P_COMMENT_D2 };

static void prolog_scan(struct espi_state *s, const unsigned char *b, int n)
{
    for (int i = 0; i < n && !s->prolog_done && !s->dtd_seen; i++) {
        unsigned char c = b[i];
        if (s->src_bytes == 0 && i < 2 && ((b[0] == 0xFF && n > 1 && b[1] == 0xFE) ||
                                           (b[0] == 0xFE && n > 1 && b[1] == 0xFF) ||
                                           (b[0] == 0 && n > 1 && b[1] == '<') ||
                                           (b[0] == '<' && n > 1 && b[1] == 0))) {
            s->utf16_seen = 1;
            return;
        }
        switch (s->prolog_state) {
        case P_TOP:
            if (c == '<')
                s->prolog_state = P_LT;
            break;
        case P_LT:
            if (c == '?')
                s->prolog_state = P_PI;
            else if (c == '!') {
                s->prolog_state = P_BANG;
                s->prolog_count = 0;
            } else
                s->prolog_done = 1; /* the root element */
            break;
        case P_PI:
            if (c == '?')
                s->prolog_state = P_PI_Q;
            break;
        case P_PI_Q:
            s->prolog_state = c == '>' ? P_TOP : c == '?' ? P_PI_Q : P_PI;
            break;
        case P_BANG:
            s->prolog_kw[s->prolog_count++] = (char)c;
            if (s->prolog_count == 2 && memcmp(s->prolog_kw, "--", 2) == 0) {
                s->prolog_state = P_COMMENT;
            } else if (s->prolog_count == 7) {
                s->dtd_seen = 1; /* <!DOCTYPE, or anything else libxml2 would take as one */
            }
            break;
        case P_COMMENT:
            if (c == '-')
                s->prolog_state = P_COMMENT_D1;
            break;
        case P_COMMENT_D1:
            s->prolog_state = c == '-' ? P_COMMENT_D2 : P_COMMENT;
            break;
        case P_COMMENT_D2:
            s->prolog_state = c == '>' ? P_TOP : c == '-' ? P_COMMENT_D2 : P_COMMENT;
            break;
        }
    }
}

static int src_read(void *ctx, char *buf, int len)
{
    struct espi_state *s = ctx;
    if (s->dtd_seen || s->utf16_seen || s->src_failed)
        return -1;
    int n = s->src(s->src_ctx, buf, len);
    if (n < 0) {
        s->src_failed = 1;
        return -1;
    }
    if (!s->prolog_done)
        prolog_scan(s, (const unsigned char *)buf, n);
    s->src_bytes += n;
    if (s->dtd_seen || s->utf16_seen)
        return -1;
    return n;
}

static int src_close(void *ctx)
{
    (void)ctx;
    return 0;
}

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
    struct espi_state *s = ctx;
    if (e && e->domain == XML_FROM_SCHEMASV && e->level >= XML_ERR_ERROR) {
        /* a schema violation: the document goes on being read, to its end */
        if (s->xsd_errors++ == 0) {
            snprintf(s->xsd_msg, sizeof s->xsd_msg, "%s", e->message ? e->message : "not valid");
            size_t n = strlen(s->xsd_msg);
            while (n && (s->xsd_msg[n - 1] == '\n' || s->xsd_msg[n - 1] == ' '))
                s->xsd_msg[--n] = '\0';
            s->xsd_line = e->line > 0 ? e->line : (s->rd ? xmlTextReaderGetParserLineNumber(s->rd) : 0);
            s->xsd_col = e->int2 > 0 ? e->int2 : (s->rd ? xmlTextReaderGetParserColumnNumber(s->rd) : 0);
        }
        return;
    }
    if (s->xml_msg[0] || !e || e->level < XML_ERR_ERROR)
        return;
    snprintf(s->xml_msg, sizeof s->xml_msg, "%s", e->message ? e->message : "not well-formed");
    size_t n = strlen(s->xml_msg);
    while (n && (s->xml_msg[n - 1] == '\n' || s->xml_msg[n - 1] == ' '))
        s->xml_msg[--n] = '\0';
    s->xml_line = e->line;
    s->xml_col = e->int2;
}

/* ---- small parsers ------------------------------------------------------------------------ */

/* A whole decimal integer (optional sign), surrounding blanks allowed; -1 if not. */
static int parse_int64(const char *t, int64_t *out)
{
    while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')
        t++;
    int neg = 0;
    if (*t == '-' || *t == '+')
        neg = *t++ == '-';
    if ((unsigned)(*t - '0') > 9)
        return -1;
    uint64_t v = 0;
    while ((unsigned)(*t - '0') <= 9) {
        if (v > (UINT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*t++ - '0');
        if (v > (uint64_t)INT64_MAX)
            return -1;
    }
    while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')
        t++;
    if (*t)
        return -1;
    *out = neg ? -(int64_t)v : (int64_t)v;
    return 0;
}

/* value * 10^p10 in whole units, rounded half away from zero; -1 on overflow. */
static int scale_exact(int64_t value, int p10, int64_t *out)
{
    int64_t v = value;
    if (p10 >= 0) {
        for (int i = 0; i < p10; i++) {
            if (v > INT64_MAX / 10 || v < INT64_MIN / 10)
                return -1;
            v *= 10;
        }
        *out = v;
        return 0;
    }
    int64_t div = 1;
    for (int i = 0; i < -p10; i++)
        div *= 10;
    int64_t q = v / div, r = v % div;
    if (r < 0)
        r = -r;
    if (2 * r >= div)
        q += v < 0 ? -1 : 1;
    *out = q;
    return 0;
}

static const char *uom_name(int uom)
{
    switch (uom) {
    case 72: return "Wh";
    case 73: return "VArh";
    case 38: return "W";
    case 63: return "VAr";
    case 61: return "VA";
    case 71: return "VAh";
    case 5: return "A";
    case 29: return "V";
    case 33: return "Hz";
    case 65: return "power factor";
    case 169: return "therm";
    case 128: return "US gallons";
    case 42: return "cubic metres";
    case 119: return "cubic feet";
    case 80: return "currency";
    case 27: return "time";
    default: return "a UnitSymbolKind meterops does not know";
    }
}

static enum el classify(const xmlChar *local, const xmlChar *ns)
{
    if (!ns)
        return EL_OTHER;
    int atom = strcmp((const char *)ns, NS_ATOM) == 0;
    if (!atom && strcmp((const char *)ns, NS_ESPI) != 0)
        return EL_OTHER;
    for (size_t i = 0; i < sizeof el_names / sizeof el_names[0]; i++)
        if (el_names[i].atom == atom && strcmp((const char *)local, el_names[i].name) == 0)
            return el_names[i].el;
    return EL_OTHER;
}

static enum el parent(const struct espi_state *s, int up)
{
    int k = s->depth - 1 - up;
    return k >= 0 ? s->stack[k] : EL_OTHER;
}

static int in(const struct espi_state *s, enum el e)
{
    for (int k = 0; k < s->depth; k++)
        if (s->stack[k] == e)
            return 1;
    return 0;
}

/* ---- the model --------------------------------------------------------------------------- */

static void copy_href(char *dst, const char *src)
{
    snprintf(dst, HREF_MAX, "%s", src ? src : "");
}

static const struct rtype *find_type(const struct espi_state *s, const char *href)
{
    if (!href[0])
        return NULL;
    for (int i = s->ntypes - 1; i >= 0; i--)
        if (strcmp(s->types[i].self, href) == 0)
            return &s->types[i];
    return NULL;
}

/* The ReadingType of the block now starting: by its entry's up link (".../MeterReading/X/
 * IntervalBlock") to the MeterReading and its related ReadingType; else the only or last
 * ReadingType read; else the options' unit. */
static void resolve_block_type(struct espi_state *s)
{
    const struct rtype *t = NULL;
    char mr[HREF_MAX];
    copy_href(mr, s->up);
    size_t n = strlen(mr);
    const char *tail = "/IntervalBlock";
    size_t tn = strlen(tail);
    if (n > tn && strcmp(mr + n - tn, tail) == 0) {
        mr[n - tn] = '\0';
        for (int i = s->nmrs - 1; i >= 0 && !t; i--)
            if (strcmp(s->mrs[i].self, mr) == 0)
                t = find_type(s, s->mrs[i].rtype);
    }
    if (!t && s->ntypes == 1)
        t = &s->types[0];
    if (!t)
        t = s->last_type;
    s->block_has_type = 1;
    memset(&s->block_type, 0, sizeof s->block_type);
    s->block_type.flow = 1;
    if (t)
        s->block_type = *t;
    if (!s->block_type.has_uom && s->opts && s->opts->default_uom) {
        s->block_type.uom = s->opts->default_uom;
        s->block_type.has_uom = 1;
        if (!s->block_type.has_p10)
            s->block_type.p10 = s->opts->default_p10;
        s->block_type.has_p10 = 1;
    }
}

/* A block whose readings would have no unit refuses the file: the unit is not guessed. */
static int block_unit_known(struct espi_state *s)
{
    if (s->block_type.has_uom)
        return 0;
    return fail_at(s, "espi_unit", "an IntervalBlock whose ReadingType gives no uom (%s): "
                   "meterops does not guess the unit: name it with --unit Wh or --unit kWh", s->ntypes ? "the ReadingType has none" :
                   "the feed has no ReadingType");
}

static int remember_type(struct espi_state *s)
{
    s->info->reading_types++;
    if (s->pass == 2) {
        const struct rtype *t = find_type(s, s->self);
        if (t)
            s->last_type = t;
        return 0;
    }
    if (s->ntypes == ESPI_MAX_TYPES)
        return fail_at(s, "xml_limit", "more than %d ReadingTypes in one feed", ESPI_MAX_TYPES);
    s->types[s->ntypes] = s->cur_type;
    copy_href(s->types[s->ntypes].self, s->self);
    s->ntypes++;
    return 0;
}

static int remember_meter_reading(struct espi_state *s)
{
    if (s->pass == 2)
        return 0;
    if (s->nmrs == ESPI_MAX_TYPES)
        return fail_at(s, "xml_limit", "more than %d MeterReadings in one feed", ESPI_MAX_TYPES);
    copy_href(s->mrs[s->nmrs].self, s->self);
    copy_href(s->mrs[s->nmrs].rtype, s->rt_link);
    s->nmrs++;
    return 0;
}

static void reading_begin(struct espi_state *s)
{
    memset(&s->r, 0, sizeof s->r);
    s->r.line = xmlTextReaderGetParserLineNumber(s->rd);
    s->r.column = xmlTextReaderGetParserColumnNumber(s->rd);
    s->r.quality = 'A';
    s->has_start = s->has_duration = s->has_value = s->bad_value = 0;
    s->bad_code = NULL;
}

static void reject(struct doc_reading *r, const char *code, const char *fmt, ...)
    MO_PRINTF(3, 4);

static void reject(struct doc_reading *r, const char *code, const char *fmt, ...)
{
    if (r->code)
        return;
    r->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->message, sizeof r->message, fmt, ap);
    va_end(ap);
}

/* The IntervalReading ends: decide it and hand it on. */
static int reading_end(struct espi_state *s)
{
    struct doc_reading *r = &s->r;
    const struct rtype *t = &s->block_type;
    s->info->readings++;
    r->channel = t->flow == 19 ? 1 : 0;
    snprintf(r->raw, sizeof r->raw, "IntervalReading start=%lld duration=%lld value=%lld",
             (long long)r->start, (long long)r->seconds, (long long)s->value);
    if (s->bad_code)
        reject(r, s->bad_code, "%s", s->bad_text);
    if (!s->has_start || !s->has_duration)
        reject(r, "timestamp_syntax", "the IntervalReading has no timePeriod start and duration");
    if (!s->has_value)
        reject(r, "value_missing", "the IntervalReading has no value");
    if (!t->has_uom)
        reject(r, RJ_ESPI_UNIT, "no ReadingType gives this reading's unit (uom)");
    else if (t->uom != ESPI_UOM_WH)
        reject(r, RJ_ESPI_UNIT, "the ReadingType's uom is %d (%s), not 72 (Wh): meterops "
               "loads energy in Wh", t->uom, uom_name(t->uom));
    if (!r->code && r->seconds != 900 && r->seconds != 1800 && r->seconds != 3600)
        reject(r, RJ_ESPI_INTERVAL, "a %lld-second reading; meterops stores 15-, 30- and "
               "60-minute intervals (daily and billing-period readings are not loaded)",
               (long long)r->seconds);
    if (!r->code && (t->p10 < -12 || t->p10 > 12))
        reject(r, "value_range", "powerOfTenMultiplier %d is outside -12..12", t->p10);
    if (!r->code && scale_exact(s->value, t->p10, &r->wh) < 0)
        reject(r, "value_range", "%lld x 10^%d Wh is beyond any meter's range",
               (long long)s->value, t->p10);
    if (s->sink && s->sink->reading && s->sink->reading(s->sink->ctx, r))
        s->stopped = 1;
    return 0;
}

/* Text of a leaf element, by where it is. */
static int on_text(struct espi_state *s, const char *t)
{
    enum el e = parent(s, 0), p = parent(s, 1);
    int64_t v;
    if (s->in_type && (e == EL_UOM || e == EL_P10 || e == EL_FLOW)) {
        if (parse_int64(t, &v) < 0 || v < -1000 || v > 1000)
            return fail_at(s, "espi_unit", "ReadingType field '%.40s' is not a small integer", t);
        if (s->pass == 2)
            return 0;
        if (e == EL_UOM)
            s->cur_type.uom = (int)v, s->cur_type.has_uom = 1;
        else if (e == EL_P10)
            s->cur_type.p10 = (int)v, s->cur_type.has_p10 = 1;
        else
            s->cur_type.flow = (int)v;
        return 0;
    }
    if (in(s, EL_LTP)) {
        if ((e == EL_TZ || e == EL_DST_OFFSET) && parse_int64(t, &v) == 0) {
            if (e == EL_TZ)
                s->info->tz_offset = v, s->info->have_tz = 1;
            else
                s->info->dst_offset = v;
        } else if (e == EL_DST_START) {
            snprintf(s->info->dst_start_rule, sizeof s->info->dst_start_rule, "%.15s", t);
        } else if (e == EL_DST_END) {
            snprintf(s->info->dst_end_rule, sizeof s->info->dst_end_rule, "%.15s", t);
        }
        return 0;
    }
    if (s->pass == 1 || !in(s, EL_READING))
        return 0;
    if (p == EL_TIME_PERIOD && (e == EL_START || e == EL_DURATION)) {
        if (parse_int64(t, &v) < 0 || (e == EL_DURATION && v <= 0)) {
            s->bad_code = "timestamp_syntax";
            snprintf(s->bad_text, sizeof s->bad_text, "timePeriod %s '%.30s' is not whole "
                     "seconds", e == EL_START ? "start" : "duration", t);
            return 0;
        }
        if (e == EL_START)
            s->r.start = v, s->has_start = 1;
        else
            s->r.seconds = v, s->has_duration = 1;
    } else if (e == EL_VALUE && p == EL_READING) {
        if (parse_int64(t, &v) < 0) {
            s->bad_code = "value_syntax";
            snprintf(s->bad_text, sizeof s->bad_text, "value '%.40s' is not a whole number", t);
            return 0;
        }
        s->value = v;
        s->has_value = 1;
    } else if (e == EL_QUALITY_VALUE && p == EL_QUALITY) {
        if (parse_int64(t, &v) == 0 && (v == 8 || v == 9 || v == 11 || v == 12))
            s->r.quality = 'E';
    }
    return 0;
}

static int on_link(struct espi_state *s)
{
    xmlChar *rel = xmlTextReaderGetAttribute(s->rd, BAD_CAST "rel");
    xmlChar *href = xmlTextReaderGetAttribute(s->rd, BAD_CAST "href");
    if (href && rel && parent(s, 1) == EL_ENTRY) {
        const char *h = (const char *)href, *r = (const char *)rel;
        if (strcmp(r, "self") == 0)
            copy_href(s->self, h);
        else if (strcmp(r, "up") == 0)
            copy_href(s->up, h);
        else if (strcmp(r, "related") == 0 && strstr(h, "/ReadingType/"))
            copy_href(s->rt_link, h);
    }
    xmlFree(rel);
    xmlFree(href);
    return 0;
}

static int on_end_el(struct espi_state *s);

static int check_root(struct espi_state *s, enum el e, const xmlChar *name)
{
    s->root_checked = 1;
    if (e == EL_FEED || e == EL_ENTRY)
        return 0;
    return fail_at(s, "not_espi", "XML, not a Green Button feed: the root element is <%.60s>; "
                   "a feed's root is the Atom <feed> (or one <entry>)", (const char *)name);
}

static int on_start(struct espi_state *s)
{
    const xmlChar *local = xmlTextReaderConstLocalName(s->rd);
    const xmlChar *name = xmlTextReaderConstName(s->rd);
    if (name && strlen((const char *)name) > ESPI_MAX_NAME)
        return fail_at(s, "xml_limit", "an element name longer than %d bytes", ESPI_MAX_NAME);
    if (s->depth >= ESPI_MAX_DEPTH)
        return fail_at(s, "xml_limit", "elements nested deeper than %d", ESPI_MAX_DEPTH);
    enum el e = classify(local, xmlTextReaderConstNamespaceUri(s->rd));
    if (!s->root_checked && check_root(s, e, name) < 0)
        return -1;
    int empty = xmlTextReaderIsEmptyElement(s->rd);
    s->stack[s->depth++] = e;
    switch (e) {
    case EL_ENTRY:
        s->self[0] = s->up[0] = s->rt_link[0] = '\0';
        break;
    case EL_LINK:
        on_link(s);
        break;
    case EL_READING_TYPE:
        memset(&s->cur_type, 0, sizeof s->cur_type);
        s->cur_type.flow = 1;
        s->in_type = 1;
        break;
    case EL_USAGE_POINT:
        s->info->usage_points++;
        break;
    case EL_BLOCK:
        if (s->pass == 1)
            break;
        s->info->blocks++;
        resolve_block_type(s);
        if (block_unit_known(s) < 0)
            return -1;
        break;
    case EL_READING:
        if (s->pass == 1 || !in(s, EL_BLOCK))
            break;
        reading_begin(s);
        break;
    default:
        break;
    }
    if (empty) /* no end tag comes */
        return on_end_el(s);
    return 0;
}

static int on_end_el(struct espi_state *s)
{
    if (s->depth == 0)
        return 0;
    enum el e = s->stack[--s->depth];
    switch (e) {
    case EL_READING_TYPE:
        s->in_type = 0;
        return remember_type(s);
    case EL_METER_READING:
        return remember_meter_reading(s);
    case EL_READING:
        if (s->pass == 2 && in(s, EL_BLOCK))
            return reading_end(s);
        return 0;
    default:
        return 0;
    }
}

static int step(struct espi_state *s)
{
    int type = xmlTextReaderNodeType(s->rd);
    switch (type) {
    case XML_READER_TYPE_ELEMENT:
        return on_start(s);
    case XML_READER_TYPE_END_ELEMENT:
        return on_end_el(s);
    case XML_READER_TYPE_TEXT:
    case XML_READER_TYPE_CDATA: {
        const xmlChar *v = xmlTextReaderConstValue(s->rd);
        size_t n = v ? strlen((const char *)v) : 0;
        if (n > ESPI_MAX_TEXT)
            return fail_at(s, "xml_limit", "a text of %zu bytes (at most %d)", n, ESPI_MAX_TEXT);
        return v ? on_text(s, (const char *)v) : 0;
    }
    case XML_READER_TYPE_DOCUMENT_TYPE:
        return fail_at(s, "xml_dtd", "the file has a document type declaration (<!DOCTYPE>); "
                       "a Green Button feed has none, and meterops reads no DTD");
    case XML_READER_TYPE_ENTITY_REFERENCE:
        return fail_at(s, "xml_dtd", "an entity reference; meterops expands no entities");
    default:
        return 0;
    }
}

static int finish(struct espi_state *s, int ret)
{
    if (s->failed && s->xml_msg[0]) /* our refusal came from what libxml2 already found */
        return mo_err_at(s->err, s->path, s->xml_line, s->xml_col, "xml_syntax",
                         "not well-formed XML: %s", s->xml_msg);
    if (s->failed || s->stopped)
        return s->failed ? -1 : 0;
    if (s->src_failed) {
        *s->err = s->src_err.code[0] ? s->src_err : *s->err;
        if (!s->err->code[0])
            mo_err_at(s->err, s->path, 0, 0, "file_read", "cannot read the file");
        return -1;
    }
    if (s->utf16_seen)
        return mo_err_at(s->err, s->path, 1, 1, "xml_encoding", "UTF-16 XML; meterops reads "
                         "Green Button feeds in UTF-8");
    if (s->dtd_seen)
        return mo_err_at(s->err, s->path, 0, 0, "xml_dtd", "the file has a document type "
                         "declaration (<!DOCTYPE>) before its root element; a Green Button "
                         "feed has none, and meterops reads no DTD (entity expansion, external "
                         "entities): refused unread");
    if (ret < 0 || s->xml_msg[0])
        return mo_err_at(s->err, s->path, s->xml_line, s->xml_col, "xml_syntax",
                         "not well-formed XML: %s", s->xml_msg[0] ? s->xml_msg : "parse error");
    if (!s->root_checked)
        return mo_err_at(s->err, s->path, 0, 0, "not_espi", "no XML element in the file");
    if (s->info->readings == 0)
        return mo_err_at(s->err, s->path, 0, 0, "no_readings", "a Green Button feed with no "
                         "IntervalReading (%d ReadingType%s, %d UsagePoint%s): nothing to load",
                         s->info->reading_types, s->info->reading_types == 1 ? "" : "s",
                         s->info->usage_points, s->info->usage_points == 1 ? "" : "s");
    return 0;
}

/* One read of the document from the source's start. Returns finish()'s answer for pass
 * 2; for pass 1, 0 or -1 (an error pass 2 would meet too is reported by pass 1). */
static int run_pass(struct espi_state *s, int pass)
{
    s->pass = pass;
    s->depth = 0;
    s->root_checked = 0;
    s->prolog_state = P_TOP;
    s->prolog_done = s->prolog_count = 0;
    s->dtd_seen = s->utf16_seen = s->src_failed = 0;
    s->src_bytes = 0;
    s->xml_msg[0] = '\0';
    s->last_type = NULL;
    memset(s->info, 0, sizeof *s->info);
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                  XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
    s->rd = xmlReaderForIO(src_read, src_close, s, s->path, NULL, options);
    int ret = 0;
    if (!s->rd) {
        ret = -1;
        if (!s->dtd_seen && !s->utf16_seen && !s->src_failed)
            snprintf(s->xml_msg, sizeof s->xml_msg, "cannot start the XML reader");
    } else {
        xmlTextReaderSetStructuredErrorHandler(s->rd, on_xml_error, s);
        /* after the handler: the validator takes it when the schema is set */
        if (pass == 1 && s->opts && s->opts->schema &&
            xmlTextReaderSetSchema(s->rd, (xmlSchemaPtr)s->opts->schema) != 0)
            fail_at(s, "xsd_compile", "cannot validate against the ESPI schema");
        while (!s->failed && !s->stopped && (ret = xmlTextReaderRead(s->rd)) == 1)
            step(s);
        if (ret == 1)
            ret = 0;
    }
    int rc = finish(s, ret);
    if (pass == 1 && rc < 0 && strcmp(s->err->code, "no_readings") == 0)
        rc = 0; /* pass 1 reads no readings */
    if (pass == 1 && rc == 0 && s->xsd_errors)
        rc = mo_err_at(s->err, s->path, s->xsd_line, s->xsd_col, "xsd_invalid",
                       "not valid against the ESPI schema (espiDerived.xsd): %s (%ld violation%s "
                       "in the file)", s->xsd_msg, s->xsd_errors, s->xsd_errors == 1 ? "" : "s");
    if (s->rd)
        xmlFreeTextReader(s->rd);
    s->rd = NULL;
    return rc;
}

int espi_read(const struct doc_source *src, const char *path, const struct espi_opts *opts,
              const struct doc_sink *sink, struct espi_info *info, struct mo_err *err)
{
    struct espi_info dummy;
    if (!info)
        info = &dummy;
    memset(info, 0, sizeof *info);
    struct espi_state *s = calloc(1, sizeof *s);
    if (!s)
        return mo_err_set(err, "out_of_memory", "out of memory");
    s->types = calloc(ESPI_MAX_TYPES, sizeof *s->types);
    s->mrs = calloc(ESPI_MAX_TYPES, sizeof *s->mrs);
    if (!s->types || !s->mrs) {
        free(s->types);
        free(s->mrs);
        free(s);
        return mo_err_set(err, "out_of_memory", "out of memory");
    }
    s->path = path;
    s->opts = opts;
    s->sink = sink;
    s->info = info;
    s->err = err;
    s->src = src->read;
    s->src_ctx = src->ctx;
    mo_err_clear(&s->src_err);
    int rc = run_pass(s, 1);
    if (rc == 0 && src->rewind(src->ctx, err) < 0)
        rc = -1;
    if (rc == 0)
        rc = run_pass(s, 2);
    free(s->types);
    free(s->mrs);
    free(s);
    return rc;
}

int espi_read_memory(const char *buf, size_t len, const char *path,
                     const struct espi_opts *opts, const struct doc_sink *sink,
                     struct espi_info *info, struct mo_err *err)
{
    struct doc_memory m;
    const struct doc_source src = doc_memory_source(&m, buf, len);
    return espi_read(&src, path, opts, sink, info, err);
}

int espi_sniff(const char *head, size_t len)
{
    if (len > 4096)
        len = 4096;
    size_t i = 0;
    if (len >= 3 && (unsigned char)head[0] == 0xEF && (unsigned char)head[1] == 0xBB &&
        (unsigned char)head[2] == 0xBF)
        i = 3;
    while (i < len && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
        i++;
    if (i >= len || head[i] != '<')
        return 0;
    /* the first element's start tag: past the prolog's <?..?> and <!--..--> */
    const char *p = head + i, *end = head + len;
    while (p < end) {
        if (end - p >= 2 && p[0] == '<' && p[1] == '?') {
            const char *q = memmem(p, (size_t)(end - p), "?>", 2);
            if (!q)
                return 2;
            p = q + 2;
        } else if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
            const char *q = memmem(p, (size_t)(end - p), "-->", 3);
            if (!q)
                return 2;
            p = q + 3;
        } else if (end - p >= 9 && memcmp(p, "<!DOCTYPE", 9) == 0) {
            /* a feed with a DTD is still a feed: espi_read refuses it and says why */
            return memmem(head, len, NS_ESPI, strlen(NS_ESPI)) ? 1 : 2;
        } else if (*p == '<') {
            const char *gt = memchr(p, '>', (size_t)(end - p));
            size_t n = gt ? (size_t)(gt - p) : (size_t)(end - p);
            int atomish = (n >= 5 && (memcmp(p, "<feed", 5) == 0 || memmem(p, n, ":feed", 5))) ||
                          (n >= 6 && (memcmp(p, "<entry", 6) == 0 || memmem(p, n, ":entry", 6)));
            /* the ESPI namespace is declared on the root, or on the first content only */
            return atomish && (memmem(p, n, NS_ESPI, strlen(NS_ESPI)) ||
                               memmem(head, len, NS_ESPI, strlen(NS_ESPI))) ? 1 : 2;
        } else {
            p++;
        }
    }
    return 2;
}
