/* espi.h - Green Button (NAESB ESPI) Atom feeds, read as a stream.
 *
 * The feed is read with libxml2's xmlTextReader, element by element, so memory stays
 * bounded whatever the file's size: what is kept is the ReadingTypes and MeterReadings
 * seen so far (a few hundred bytes each, at most ESPI_MAX_TYPES) and the reading being
 * read. Elements are matched by namespace URI and local name, so any prefix (default,
 * espi:, ns0:, ns:) reads the same.
 *
 * Safety: no network (XML_PARSE_NONET), no entity substitution, no DTD loaded; a file
 * with a <!DOCTYPE> is refused before libxml2 sees it (a feed has none, and that is where
 * entity bombs and external entities live), and so is UTF-16. Depth, names and text are
 * bounded (ESPI_MAX_*). Every refusal says file, line and column.
 *
 * What a reading is (doc/formats.md, "espi"): an IntervalReading's timePeriod start (UTC
 * seconds) and duration, its value times 10^powerOfTenMultiplier in the uom of the
 * ReadingType of its MeterReading (found by the Atom links, else the last ReadingType
 * read), converted to whole Wh exactly (decimal, rounded half away from zero at the end);
 * flowDirection 19 (received) is channel 1 (export), anything else channel 0.
 *
 * No database, no loader: the loader (loaddoc.c) and the tests call espi_read with a
 * byte source. espi_read_memory is the fuzzing entry point. */
#ifndef MO_ESPI_H
#define MO_ESPI_H

#include <stddef.h>
#include <stdint.h>

#include "backend/docread.h"
#include "backend/err.h"

#define ESPI_MAX_DEPTH 40        /* elements deep; real feeds nest 8 */
#define ESPI_MAX_NAME 100        /* bytes of an element or attribute name */
#define ESPI_MAX_TEXT 4096       /* bytes of one text node or attribute value */
#define ESPI_MAX_TYPES 512       /* ReadingTypes and MeterReadings remembered */
#define ESPI_UOM_WH 72           /* UnitSymbolKind: watt-hours */

/* Rejection codes of single readings (load_error.code), beside reader.h's. */
#define RJ_ESPI_UNIT     "unit_unsupported"    /* the ReadingType's uom is not energy in Wh */
#define RJ_ESPI_INTERVAL "interval_unsupported"/* not 15, 30 or 60 minutes (daily, monthly bins) */

struct espi_opts {
    /* The unit when the feed gives none (no ReadingType, or one without uom):
     * 0 = refuse such a file; else a UnitSymbolKind (72 = Wh) and its multiplier. */
    int default_uom;
    int default_p10;
    /* --xsd: the compiled schema (xsd_schema of xsd.h) the first pass
     * validates the feed against, streaming; a violation refuses the file as
     * "xsd_invalid" at the first violation's line and column. NULL: not validated. */
    void *schema;
};

/* What the feed said about itself (for reports and tests). */
struct espi_info {
    int64_t readings;        /* IntervalReadings seen */
    int64_t blocks;          /* IntervalBlocks */
    int reading_types, usage_points;
    int have_tz;             /* LocalTimeParameters seen */
    int64_t tz_offset, dst_offset;
    char dst_start_rule[16], dst_end_rule[16];
};

/* Reads the whole feed. Returns 0 when the feed was read to its end (each reading went to
 * the sink, read or refused), -1 when the file is refused (err: code, file, line, column
 * and why; "xml_limit", "xml_syntax", "xml_dtd", "not_espi", "espi_unit", "no_readings",
 * "xsd_invalid",
 * or the source's own error). */
int espi_read(const struct doc_source *src, const char *path, const struct espi_opts *opts,
              const struct doc_sink *sink, struct espi_info *info, struct mo_err *err);

/* The same over bytes in memory (tests, fuzzing). */
int espi_read_memory(const char *buf, size_t len, const char *path,
                     const struct espi_opts *opts, const struct doc_sink *sink,
                     struct espi_info *info, struct mo_err *err);

/* What bytes at the start of a file look like (at most the first 4 KB are looked at):
 * 1 = an XML document whose first element is an Atom feed or entry with the ESPI
 * namespace declared, 2 = some other XML, 0 = not XML. */
int espi_sniff(const char *head, size_t len);

#endif
