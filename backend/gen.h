/* gen.h - `meterops gen`: a directory of realistic synthetic data, deterministic by seed.
 *
 * Writes customers.csv, tariffs.csv, meters.csv, bills.csv (registry feeds, consistent
 * with each other and with the readings), the readings (readings.csv, or readings-NNN.csv
 * when split into several files) and manifest.csv (the injected faults). Every file is
 * written under a temporary name and renamed when all are complete, so a failed run
 * leaves no partial file. Output depends only on the options (never on the thread count
 * or the clock), except that a range reaching into the future is refused. */
#ifndef MO_GEN_H
#define MO_GEN_H

#include <stdint.h>

#include "backend/err.h"

struct gen_opts {
    uint32_t meters;
    int days;
    int64_t start_day;          /* days since 1970-01-01 of the first UTC day */
    int wide;                   /* 0: long layout, 1: wide layout */
    int registry_xml;           /* --format xml: the registry feeds as XML (gen_xml.h),
                                 * readings in the long layout */
    const char *out_dir;
    double error_rate;          /* share of data lines replaced by a fault, 0..0.5 */
    double missing_rate;        /* share of intervals left out, 0..0.1 */
    uint64_t seed;
    int files;                  /* readings files, meters split evenly between them */
    int jobs;                   /* threads writing readings files */
    int64_t now;                /* seconds since 1970 UTC: nothing may be dated after it */
};

struct gen_summary {
    uint32_t meters, customers, gas_meters, e7_meters, export_meters;
    uint64_t lines, readings, missing, faults, bytes;
    int files;
    uint64_t fault_count[16];   /* by enum gen_fault_kind */
};

/* Fills opts with the defaults (files 1, jobs 1, seed 1, missing rate 0.0005). */
void gen_opts_default(struct gen_opts *o);
int gen_run(const struct gen_opts *o, struct gen_summary *sum, struct mo_err *err);

#endif
