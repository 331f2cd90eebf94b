/* assemble.h - turns a file's parsed chunks, taken in line order, into meter-days.
 *
 * Pass 1 reads the file once. Readings go into open meter-days (daytab.h); a day is
 * written when all its intervals are in, when the open-day table needs its room (the
 * least recently used day goes), or at the end of the file. Duplicates (check 9) are
 * found against the open day.
 *
 * A file whose meter-days are not contiguous (a long file sorted by time, with more
 * meters than the table holds days) can bring a reading for a day that was written
 * already. To stay exact without unbounded memory, each meter remembers the range of
 * days it had written (a file running forwards or backwards in time extends it at one
 * end); a reading for that meter on a day inside the range that is not open makes the
 * meter "late" from that line on: its later rows are set aside. Phase 2 then reads the file
 * again for the late meters only, in batches that fit the table: rows before the meter
 * became late rebuild the days exactly as pass 1 had them (silently: they were counted
 * then), rows from that line on are decided now (duplicates against the complete
 * history of the day), and the days they changed go through the correction path. So
 * such a reading is merged, never lost or doubled, and a duplicate across the two is
 * still reported with the line it repeats. A file grouped by meter never needs phase 2.
 * The cost of disorder is one more read of the file per batch of late meters. */
#ifndef MO_ASSEMBLE_H
#define MO_ASSEMBLE_H

#include <stdint.h>

#include "backend/fileload.h"
#include "backend/daywriter.h"
#include "backend/seenmap.h"

/* 12 bytes per meter of the registry (a national file names every meter). All zero
 * means "nothing yet", so the table is one calloc whose untouched pages cost nothing:
 * wlo is stored as day - INT32_MIN, never 0 for a real day; dmin/dmax (only an estimate
 * for sizing phase-2 batches) as days since 1970 + 1, clamped to 16 bits. */
struct mstate {
    uint32_t wlo;       /* first day of the range this meter wrote in pass 1 (0: none) */
    uint16_t wspan;     /* the range's length - 1; WSPAN_ALL: every day counts as written */
    uint16_t dmin, dmax; /* days seen (0: none) */
    uint8_t late;       /* its rows wait for phase 2 from late_line[meter] on */
    uint8_t inbatch;
};
#define WSPAN_ALL 0xFFFF
#define MDAY(day) ((uint32_t)((int64_t)(day) - INT32_MIN))
#define SDAY(day) ((uint16_t)((day) < 0 ? 1 : (day) > 65534 ? 65535 : (day) + 1))

/* Reports a rejection as it is stored (for the terminal): line, column, name, code, msg. */
typedef void (*asm_report_fn)(void *ctx, int64_t line, int column, const char *code,
                              const char *message);

struct assembler {
    struct fileload *f;
    struct writer *w;
    struct errlog *log;
    struct daytab days;
    size_t nknown;              /* meters from the registry; new ones follow */
    struct meter_table newm;    /* meters this file registers (--create-meters) */
    int64_t *idblock;
    size_t idblock_n, idblock_used;
    int (*next_ids)(void *ctx, int64_t *ids, int n, struct mo_err *err);
    void *next_ids_ctx;
    struct mstate *ms;
    size_t capms;
    int64_t *late_line;         /* allocated when a first meter becomes late */
    struct day *cur;            /* the day of the last reading (most rows repeat it) */
    int replay;                 /* phase 2 in progress */
    int multi_meter_rows;       /* a deferred row named several meters */
    struct seenmap seen;        /* every meter-day written, for meterops.meter_seen */
    asm_report_fn report;
    void *report_ctx;
    /* counts */
    int64_t rows_loaded, rows_rejected, readings, rows_deferred;
    int64_t late_meters;
};

int asm_init(struct assembler *a, struct fileload *f, struct writer *w, struct errlog *log,
             size_t budget);
void asm_free(struct assembler *a);
/* One parsed chunk, in order. */
int asm_chunk(struct assembler *a, struct chunk *c, struct mo_err *err);
/* End of pass 1: writes every day still open. */
int asm_end_pass(struct assembler *a, struct mo_err *err);
/* Phase 2: picks the next batch of late meters (returns how many; 0 = done). */
size_t asm_next_batch(struct assembler *a, size_t *cursor);
/* End of a phase-2 pass: the days it changed go through the correction path. */
int asm_end_batch(struct assembler *a, struct mo_err *err);
/* Meters registered by this file (rows for create_meters.sql), as COPY text. */
int asm_new_meters_copy(struct assembler *a, PGconn *conn, struct mo_err *err);

int64_t asm_meter_id(const struct assembler *a, uint32_t m);
int asm_meter_interval(const struct assembler *a, uint32_t m);
int asm_meter_gas(const struct assembler *a, uint32_t m);

#endif
