/* regxml.h - the registry feeds (customers, tariffs, meters, bills) as XML: the same
 * records and columns as their CSV, one element per column in the namespace
 * urn:meterops:registry:1 (schemas/registry/registry.xsd, doc/formats.md).
 *
 * The document is streamed with libxml2's xmlTextReader and validated against the
 * schema as it streams (built in, compiled offline: xsd.h); each
 * record is handed over as the row of fields its CSV line would give, so the loader puts
 * it through the same reader_format row() rules and the same upsert as CSV (loadreg.c).
 * Safety as for Green Button feeds: no network, a DOCTYPE refused, no entity expanded,
 * depth and text bounded. Every refusal names file, line and column. */
#ifndef MO_REGXML_H
#define MO_REGXML_H

#include <stddef.h>

#include "backend/err.h"
#include "backend/reader.h"

#define REGXML_NS "urn:meterops:registry:1"
#define REGXML_MAX_COLS 12
#define REGXML_MAX_TEXT 1000 /* bytes of one field (the schema says the same) */

/* The registry format an XML document's root names (<customers xmlns="urn:meterops:
 * registry:1">...), from the file's first bytes (at most 4 KB looked at); NULL when the
 * root is no registry feed. */
const struct reader_format *regxml_sniff(const char *head, size_t len);

struct regxml_record {
    long number;          /* 1-based, in the document: the record's line_no */
    long line;            /* where its element starts */
    char *fields[REGXML_MAX_COLS]; /* in the format's column order; "" when omitted */
    size_t lens[REGXML_MAX_COLS];
    int nfields;
    char raw[400];        /* "line L: meter mpxn=... fuel=...", for load_error.raw */
};

/* Every record, in order; returns nonzero to stop. */
typedef int (*regxml_record_fn)(void *ctx, const struct regxml_record *r);

/* Reads the document on fd (from its start) as fmt's feed. Returns 0 when it was read to
 * its end and is valid, -1 when it is refused as a whole (err: "xml_syntax", "xml_dtd",
 * "xml_limit", "xsd_invalid", "header" for another root, or "file_read"): the records
 * handed over before a refusal must then be dropped. */
int regxml_read(int fd, const char *path, const struct reader_format *fmt, regxml_record_fn fn,
                void *ctx, struct mo_err *err);

#endif
