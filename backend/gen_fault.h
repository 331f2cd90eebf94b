/* gen_fault.h - fault injection for `meterops gen --error-rate R` and its manifest.
 *
 * About R of a readings file's data lines are replaced by a faulty line (the reading the
 * line would have carried is then absent, as with a real corrupted record). Each fault
 * is built so that, under the validation order of the shared contract (encoding, field
 * count, meter id, timestamp, value, unknown meter, alignment, future, duplicates), the
 * intended check is the first to fail, and so that no clean line trips any check: a
 * conflicting duplicate repeats an earlier clean line of the same file that no other
 * fault repeats, an unknown meter comes from a pool disjoint from the registry, and
 * nothing is ever dated in the future. Every fault is listed in the manifest as
 * "file,line,column,code" (column empty for a whole-line fault). Deterministic per seed
 * and file. */
#ifndef MO_GEN_FAULT_H
#define MO_GEN_FAULT_H

#include <stddef.h>
#include <stdint.h>

#include "backend/gen_model.h"
#include "backend/gen_out.h"
#include "backend/gen_prng.h"

enum gen_fault_kind {
    FAULT_CHECK_DIGIT,   /* mpan_check_digit: an MPAN core whose last digit is wrong */
    FAULT_TIMESTAMP,     /* timestamp_syntax: dd/mm/yyyy, day past month end, hour 24, " BST";
                          * wide dates: dd/mm/yyyy, day past month end, dots, no dashes */
    FAULT_MISALIGNED,    /* misaligned_interval (long only): 1-29 minutes past a slot */
    FAULT_NEGATIVE,      /* value_range: a negative value */
    FAULT_ABSURD,        /* value_range: a value of 200 kWh or more (unit error) */
    FAULT_DUPLICATE,     /* duplicate_conflict: an earlier (mpxn, interval) again, other value */
    FAULT_UNKNOWN_METER, /* unknown_meter: a valid MPAN the registry does not hold */
    FAULT_TRUNCATED,     /* field_count: the line cut short */
    FAULT_FIELD_COUNT,   /* field_count: decimal comma (an extra field) or a dropped cell */
    GEN_NFAULTS
};

/* The stable code each kind must be caught as. */
const char *gen_fault_code(enum gen_fault_kind k);

/* A clean wide row kept as a source for a duplicate row. */
struct gen_row_copy {
    char mpxn[14];
    char date[11];
    int32_t wh[GEN_SLOTS];
};

#define GEN_ROW_RING 8

struct gen_faults {
    struct prng rng;
    uint64_t threshold;        /* a line is faulty when prng_next() < threshold */
    uint64_t seed;
    const char *file;          /* file name as the manifest lists it */
    int wide;
    /* The manifest lines of this file, in line order. */
    char *manifest;
    size_t manifest_len, manifest_cap;
    int oom;
    uint64_t count[GEN_NFAULTS];
    uint64_t total;
    /* Wide: recent clean rows, the sources for duplicate rows (each used once). */
    struct gen_row_copy ring[GEN_ROW_RING];
    int ring_len;
};

void gen_faults_init(struct gen_faults *f, uint64_t seed, int file_index, double rate,
                     const char *file, int wide);
void gen_faults_free(struct gen_faults *f);

/* Whether the next data line becomes a fault (one draw per line). */
static inline int gen_faults_hit(struct gen_faults *f)
{
    return prng_next(&f->rng) < f->threshold;
}

/* Long: writes the faulty line that replaces reading `slot` of meter-day `d` as line
 * line_no. day_wh holds the meter-day's values; *clean has a bit per slot already written
 * as a clean line and not yet repeated (duplicate sources; the chosen one is cleared). */
void gen_fault_long(struct gen_faults *f, struct gen_out *o, long line_no, const char *mpxn,
                    int mpxn_len, const struct gen_day *d, int slot, const int32_t *day_wh,
                    char quality, uint64_t *clean);

/* Wide: writes the faulty row that replaces meter-day (mpxn, d) as line line_no. */
void gen_fault_wide(struct gen_faults *f, struct gen_out *o, long line_no, const char *mpxn,
                    int mpxn_len, const struct gen_day *d, const int32_t wh[GEN_SLOTS]);
/* Wide: remembers a clean row as a possible duplicate source. */
void gen_faults_remember_row(struct gen_faults *f, const char *mpxn, const char *date,
                             const int32_t wh[GEN_SLOTS]);

/* Writes the faulty timestamp of variant v (0..3) for slot `slot` of day d into buf (at
 * least 40 bytes); and the faulty date of variant v (0..3). Exposed for the unit tests,
 * which prove each variant is refused by ts_parse / date_parse. */
void gen_bad_timestamp(char *buf, const struct gen_day *d, int slot, int v);
void gen_bad_date(char *buf, const struct gen_day *d, int v);

#endif
