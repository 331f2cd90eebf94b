/* octopus.h - Octopus Energy consumption API pages (JSON), read with json-c.
 *
 *   {"count": 240, "next": "...?page=2", "previous": null,
 *    "results": [{"consumption": 0.185, "interval_start": "2020-05-06T11:30:00+01:00",
 *                 "interval_end": "2020-05-06T12:00:00+01:00"}, ...]}
 *
 * A file is one page (results newest first, as the API gives them; the order does not
 * matter), or a JSON array of pages (every page of a download saved together). Each result is one reading: its start and end are ISO 8601 with an offset (or
 * Z), the duration is end - start, and `consumption` is converted from its decimal text
 * (json-c keeps a number's text), never through a double:
 * - kWh (electricity, SMETS1 gas): to Wh, rounded half away from zero;
 * - m3 (SMETS2 gas): kWh = m3 x volume correction x calorific value (MJ/m3) / 3.6, the
 *   UK standard conversion (Gas (Calculation of Thermal Energy) Regulations), defaults
 *   1.02264 and 39.5 MJ/m3, both configurable, computed exactly in integers.
 * A page is held whole (json-c builds the tree) but is bounded: OCTOPUS_MAX_BYTES, nesting
 * OCTOPUS_MAX_DEPTH. The "line" of a reading is its position in results (1-based, counted
 * across the pages of an array): API pages are one line. octopus_read_memory is the fuzzing entry point. */
#ifndef MO_OCTOPUS_H
#define MO_OCTOPUS_H

#include <stddef.h>
#include <stdint.h>

#include "backend/docread.h"
#include "backend/err.h"

#define OCTOPUS_MAX_BYTES (64 << 20) /* a page of 25,000 results is ~2.5 MB */
#define OCTOPUS_MAX_DEPTH 16

enum octopus_unit { OCTOPUS_KWH = 0, OCTOPUS_M3 = 1 };

struct octopus_opts {
    enum octopus_unit unit;
    /* m3 only: thousandths of a MJ/m3 (39500 = 39.5) and hundred-thousandths of the
     * volume correction factor (102264 = 1.02264); 0 = the default */
    int64_t calorific_milli;
    int64_t correction_e5;
};
#define OCTOPUS_CV_DEFAULT 39500
#define OCTOPUS_CORRECTION_DEFAULT 102264

struct octopus_info {
    int64_t count;          /* the API's count (all pages) */
    int64_t results;        /* on this page */
    int has_next;           /* another page follows */
};

/* Reads one page. Returns 0 (each result went to the sink, read or refused), or -1 with
 * err: "json_syntax" (with line and column), "json_limit", "not_octopus" (JSON of another
 * shape: the message says what it looks like), or the source's error. */
int octopus_read(const struct doc_source *src, const char *path, const struct octopus_opts *o,
                 const struct doc_sink *sink, struct octopus_info *info, struct mo_err *err);
int octopus_read_memory(const char *buf, size_t len, const char *path,
                        const struct octopus_opts *o, const struct doc_sink *sink,
                        struct octopus_info *info, struct mo_err *err);

/* m3 (decimal text) to whole Wh by the standard formula; -1 when not a decimal number or
 * beyond range. */
int octopus_m3_to_wh(const char *s, size_t len, int64_t correction_e5, int64_t calorific_milli,
                     int64_t *wh);

/* 1 when the first bytes look like an Octopus API page (a JSON object with "results", or
 * curl's noise before {"count"...), 0 otherwise; octopus_read tells consumption from
 * prices. */
int octopus_sniff(const char *head, size_t len);

#endif
