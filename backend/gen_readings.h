/* gen_readings.h - writes one readings file of `meterops gen`: a contiguous range of
 * meters, each meter's days in order, each meter-day contiguous (long: one line per
 * interval, mpxn,timestamp,kwh,quality; wide: one line per meter-day, mpxn,date and 48
 * cells). Lines are formatted by hand into a large buffer; this loop is what the
 * generator's readings-per-second figure measures. Faults replace lines as gen_fault.h
 * describes; the clean lines' energy and cost go into the registry's bill accumulators
 * of the file's own meters, so files can be written by several threads at once. */
#ifndef MO_GEN_READINGS_H
#define MO_GEN_READINGS_H

#include <limits.h>
#include <stdint.h>

#include "backend/err.h"
#include "backend/gen_fault.h"
#include "backend/gen_model.h"
#include "backend/gen_registry.h"

struct gen_file_job {
    /* what to write */
    struct gen_registry *reg;
    const struct gen_day *days;
    const int *day_period;      /* billing period of each day */
    int ndays;
    int wide;
    uint64_t seed;
    double error_rate, missing_rate;
    uint32_t meter_from, meter_to;
    int file_index;             /* 0-based; seeds the file's faults */
    char name[64];              /* as the manifest names it */
    char path[PATH_MAX];        /* where to write (a temporary name) */
    /* what happened */
    uint64_t lines;             /* data lines, header excluded */
    uint64_t readings;          /* readings on clean lines */
    uint64_t missing;           /* intervals left out (gaps) */
    uint64_t bytes;
    struct gen_faults faults;   /* the file's manifest lines and fault counts */
    int rc;
    struct mo_err err;
};

/* Writes job->path; returns 0 or -1 with job->err set. job->faults must be freed by the
 * caller (gen_faults_free) either way. */
int gen_readings_file(struct gen_file_job *job);

#endif
