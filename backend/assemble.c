#include "backend/assemble.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/db.h"
#include "backend/halfhour.h"
#include "backend/sql.h"
#include "backend/zalloc.h"

int asm_init(struct assembler *a, struct fileload *f, struct writer *w, struct errlog *log,
             size_t budget)
{
    memset(a, 0, sizeof *a);
    a->f = f;
    a->w = w;
    a->log = log;
    a->nknown = f->meters.n;
    meters_init(&a->newm);
    seen_init(&a->seen);
    if (a->nknown) {
        /* calloc, not zalloc: a page of this array costs memory only once a meter on it
         * has a row in the file, so a small file against a registry of 10M meters does
         * not pay 12 bytes for every meter (120 MB), and a national day touches them all
         * at one fault per 4 kB page (341 meters) either way. */
        a->ms = calloc(a->nknown, sizeof *a->ms);
        if (!a->ms)
            return -1;
        a->capms = a->nknown;
    }
    return daytab_init(&a->days, budget);
}

void asm_free(struct assembler *a)
{
    daytab_free(&a->days);
    meters_free(&a->newm);
    seen_free(&a->seen);
    free(a->idblock);
    free(a->ms);
    free(a->late_line);
    memset(a, 0, sizeof *a);
}

int64_t asm_meter_id(const struct assembler *a, uint32_t m)
{
    return m < a->nknown ? meters_id(&a->f->meters, m) : meters_id(&a->newm, m - a->nknown);
}

int asm_meter_interval(const struct assembler *a, uint32_t m)
{
    return m < a->nknown ? meters_interval(&a->f->meters, m) : meters_interval(&a->newm, m - a->nknown);
}

int asm_meter_gas(const struct assembler *a, uint32_t m)
{
    return m < a->nknown ? meters_gas(&a->f->meters, m) : meters_gas(&a->newm, m - a->nknown);
}

static void meter_name(const struct assembler *a, uint32_t m, char *buf, size_t n)
{
    const struct meter_table *t = m < a->nknown ? &a->f->meters : &a->newm;
    size_t i = m < a->nknown ? m : m - a->nknown;
    meters_name(t, i, buf, n);
}

static struct mstate *mstate(struct assembler *a, uint32_t m)
{
    if (m >= a->capms) {
        size_t cap = a->capms ? a->capms : 1024;
        while (cap <= m)
            cap *= 2;
        struct mstate *ms = realloc(a->ms, cap * sizeof *ms);
        if (!ms)
            return NULL;
        memset(ms + a->capms, 0, (cap - a->capms) * sizeof *ms);
        a->ms = ms;
        if (a->late_line) {
            int64_t *ll = realloc(a->late_line, cap * sizeof *ll);
            if (!ll)
                return NULL;
            memset(ll + a->capms, 0, (cap - a->capms) * sizeof *ll);
            a->late_line = ll;
        }
        a->capms = cap;
    }
    return &a->ms[m];
}

static void store_error(struct assembler *a, int64_t line, int column, const char *name,
                        const char *code, const char *msg, const char *raw, size_t raw_len)
{
    errlog_add(a->log, line, name, code, msg, raw, raw_len);
    a->rows_rejected++;
    if (a->report)
        a->report(a->report_ctx, line, name ? column : 0, code, msg);
}

/* A meter --create-meters registers: its index, or -1 (err set). */
static long new_meter(struct assembler *a, const char *id, size_t len, int minutes,
                      struct mo_err *err)
{
    long i = meters_find(&a->newm, id, len);
    if (i >= 0)
        return (long)a->nknown + i;
    if (a->idblock_used == a->idblock_n) {
        int n = a->idblock_n ? (int)a->idblock_n * 2 : 64;
        if (n > 65536)
            n = 65536;
        int64_t *b = realloc(a->idblock, (size_t)n * sizeof *b);
        if (!b) {
            mo_err_set(err, "out_of_memory", "out of memory");
            return -1;
        }
        a->idblock = b;
        if (a->next_ids(a->next_ids_ctx, b, n, err) < 0)
            return -1;
        a->idblock_n = (size_t)n;
        a->idblock_used = 0;
    }
    i = meters_add(&a->newm, id, len, a->idblock[a->idblock_used++], minutes);
    if (i < 0) {
        mo_err_set(err, "out_of_memory", "out of memory");
        return -1;
    }
    /* the fuel create_meters.sql will store (asm_new_meters_copy) */
    const char *fuel = validate_fuel(id, len);
    meters_set_gas(&a->newm, (size_t)i, fuel && strcmp(fuel, "gas") == 0);
    return (long)a->nknown + i;
}

static void fmt_kwh(int32_t wh, char *buf, size_t n)
{
    snprintf(buf, n, "%d.%03d", wh / 1000, wh % 1000);
}

static void dup_error(struct assembler *a, struct chunk *c, struct parsed_row *row,
                      const struct parsed_reading *r, int32_t old_wh, int64_t old_line)
{
    char id[80], ts[32], k1[24], k2[24], msg[400];
    meter_name(a, r->meter, id, sizeof id);
    ts_format_utc((int64_t)r->day * 86400 + (int64_t)r->slot * r->minutes * 60, ts);
    fmt_kwh(old_wh, k1, sizeof k1);
    fmt_kwh(r->wh, k2, sizeof k2);
    const char *code;
    if (old_wh == r->wh) {
        code = RJ_DUP_IDENTICAL;
        snprintf(msg, sizeof msg, "meter %s, interval starting %s: repeats line %lld (same "
                 "%s kWh); loaded once", id, ts, (long long)old_line, k1);
    } else {
        code = RJ_DUP_CONFLICT;
        snprintf(msg, sizeof msg, "meter %s, interval starting %s: line %lld gave %s kWh "
                 "already, this line gives %s kWh; the earlier line stays", id, ts,
                 (long long)old_line, k1, k2);
    }
    /* a duplicate is about the value given twice: it names the value's column */
    store_error(a, row->line, r->vcolumn, fileload_colname(a->f, r->vcolumn), code, msg,
                c->buf + row->off, row->len);
}

/* Whether meter s may have written day md already (conservatively: inside its range). */
static inline int maybe_written(const struct mstate *s, uint32_t md)
{
    if (!s->wlo)
        return 0;
    return s->wspan == WSPAN_ALL || (md >= s->wlo && md - s->wlo <= s->wspan);
}

/* Meter s wrote day md: its range grows to include it. */
static inline void note_written(struct mstate *s, uint32_t md)
{
    if (!s->wlo) {
        s->wlo = md;
        s->wspan = 0;
        return;
    }
    if (s->wspan == WSPAN_ALL)
        return;
    uint32_t lo = md < s->wlo ? md : s->wlo;
    uint32_t hi = s->wlo + s->wspan;
    if (md > hi)
        hi = md;
    s->wlo = lo;
    s->wspan = hi - lo >= WSPAN_ALL ? WSPAN_ALL : (uint16_t)(hi - lo);
}

/* Writes a day and forgets it. */
static int flush_day(struct assembler *a, struct day *d, int merge, struct mo_err *err)
{
    if (a->cur == d)
        a->cur = NULL;
    int64_t id = asm_meter_id(a, d->meter);
    if (seen_mark(&a->seen, d->day, asm_meter_gas(a, d->meter), id) < 0) {
        daytab_remove(&a->days, d);
        return mo_err_set(err, "out_of_memory", "out of memory marking meter %lld seen",
                          (long long)id);
    }
    int rc = writer_day(a->w, id, d->day, d->nslots, d->v, d->set, d->est, merge, err);
    daytab_remove(&a->days, d);
    return rc;
}

/* Pass 1: makes room for one more day by writing the least recently used one. */
static int evict_for(struct assembler *a, int nslots, struct mo_err *err)
{
    while (daytab_full(&a->days, nslots)) {
        struct day *d = daytab_oldest(&a->days);
        struct mstate *s = &a->ms[d->meter];
        note_written(s, MDAY(d->day));
        if (flush_day(a, d, 0, err) < 0)
            return -1;
    }
    return 0;
}

/* Meter m's rows wait for phase 2 from `line` on. */
static int mark_late(struct assembler *a, uint32_t m, int64_t line)
{
    if (a->ms[m].late)
        return 0;
    if (!a->late_line) {
        a->late_line = zalloc(a->capms, sizeof *a->late_line);
        if (!a->late_line)
            return -1;
    }
    a->late_line[m] = line;
    a->ms[m].late = 1;
    a->late_meters++;
    return 0;
}

/* Check 7 for meters this file registers: their interval is their first reading's. */
static int resolve_new(struct assembler *a, struct chunk *c, struct parsed_row *row, int *bad,
                       struct mo_err *err)
{
    struct parsed_reading *r = c->rds + row->first;
    *bad = 0;
    if (!c->has_new)
        return 0;
    for (uint32_t i = 0; i < row->n; i++) {
        if (!(r[i].meter & NEW_METER))
            continue;
        const char *id = c->pool + (r[i].meter & ~NEW_METER);
        long m = new_meter(a, id, r[i].idlen, r[i].minutes, err);
        if (m < 0)
            return -1;
        r[i].meter = (uint32_t)m;
    }
    for (uint32_t i = 0; i < row->n; i++) {
        int iv = asm_meter_interval(a, r[i].meter);
        if (iv != r[i].minutes) {
            if (!a->replay) {
                char id[80], ts[32], msg[300];
                meter_name(a, r[i].meter, id, sizeof id);
                ts_format_utc((int64_t)r[i].day * 86400 + (int64_t)r[i].slot * r[i].minutes * 60, ts);
                snprintf(msg, sizeof msg, "a %d-minute reading at %s for meter %s, which this "
                         "file registers as a %d-minute meter", r[i].minutes, ts, id, iv);
                store_error(a, row->line, r[i].column, fileload_colname(a->f, r[i].column),
                            RJ_MISALIGNED, msg, c->buf + row->off, row->len);
            }
            *bad = 1;
            return 0;
        }
    }
    *bad = 0;
    return 0;
}

/* Check 9 for a row against the open days and itself; returns the index of the first
 * duplicate reading, or -1. */
static long find_dup(struct assembler *a, const struct parsed_reading *r, uint32_t n, int32_t *old_wh,
                     int64_t *old_line, int64_t line)
{
    for (uint32_t i = 0; i < n; i++) {
        struct day *d = daytab_find(&a->days, r[i].meter, r[i].day);
        if (d && day_has(d, r[i].slot)) {
            *old_wh = d->v[r[i].slot];
            *old_line = d->first_line + day_lines(d)[r[i].slot];
            return (long)i;
        }
        for (uint32_t k = 0; k < i; k++)
            if (r[k].meter == r[i].meter && r[k].day == r[i].day && r[k].slot == r[i].slot) {
                *old_wh = r[k].wh;
                *old_line = line;
                return (long)i;
            }
    }
    return -1;
}

/* Stores a row's readings; in pass 1 writes days that are complete. */
static int apply_row(struct assembler *a, const struct parsed_reading *r, uint32_t n, int64_t line,
                     int decided, struct mo_err *err)
{
    for (uint32_t i = 0; i < n; i++) {
        struct day *d = daytab_find(&a->days, r[i].meter, r[i].day);
        int nslots = 1440 / r[i].minutes;
        if (!d) {
            if (!a->replay && evict_for(a, nslots, err) < 0)
                return -1;
            d = daytab_open(&a->days, r[i].meter, r[i].day, nslots, line);
            if (!d)
                return mo_err_set(err, "out_of_memory", "out of memory for open meter-days");
        } else {
            daytab_touch(&a->days, d);
        }
        int32_t ow;
        int64_t ol;
        if (day_put(d, r[i].slot, r[i].wh, (char)r[i].quality, line, &ow, &ol) < 0) {
            /* 2^32 lines since the day began: write what it has, carry on in a fresh one */
            if (a->replay)
                return mo_err_set(err, "file_too_large", "a meter-day spans more than 2^32 lines");
            note_written(&a->ms[d->meter], MDAY(d->day));
            if (flush_day(a, d, 0, err) < 0)
                return -1;
            i--;
            continue;
        }
        if (decided)
            d->replayed = 1;
        if (!a->replay && d->nset == d->nslots) {
            note_written(&a->ms[d->meter], MDAY(d->day));
            if (flush_day(a, d, 0, err) < 0)
                return -1;
        }
    }
    return 0;
}

/* Whether a row's readings are one day of one registered meter, in increasing interval
 * order (a long row's one reading, a wide row's meter-day): then no two of them can be
 * duplicates of each other. */
static int one_meter_day(const struct parsed_reading *r, uint32_t n)
{
    if (r[0].meter & NEW_METER)
        return 0;
    for (uint32_t i = 1; i < n; i++)
        if (r[i].meter != r[0].meter || r[i].day != r[0].day || r[i].slot <= r[i - 1].slot)
            return 0;
    return 1;
}

/* Pass 1 for a row that is one meter-day (one_meter_day), the common case: one day lookup
 * at most (none while the day repeats) instead of one per reading, and no pairwise
 * duplicate search. Same decisions as pass1_row. Returns 1 when the row needs pass1_row
 * after all (a day too far from its first line). */
static int pass1_day(struct assembler *a, struct chunk *c, struct parsed_row *row, struct mo_err *err)
{
    struct parsed_reading *r = c->rds + row->first;
    struct mstate *s = r->meter < a->capms ? &a->ms[r->meter] : mstate(a, r->meter);
    if (!s)
        return mo_err_set(err, "out_of_memory", "out of memory");
    uint32_t md = MDAY(r->day);
    struct day *d = a->cur;
    if (!d || d->meter != r->meter || d->day != r->day)
        d = daytab_find(&a->days, r->meter, r->day);
    if (d && row->line - d->first_line >= (int64_t)UINT32_MAX)
        return 1;
    uint16_t sd = SDAY(r->day);
    if (!s->dmin || sd < s->dmin)
        s->dmin = sd;
    if (sd > s->dmax)
        s->dmax = sd;
    if (s->late || (!d && maybe_written(s, md))) {
        if (mark_late(a, r->meter, row->line) < 0)
            return mo_err_set(err, "out_of_memory", "out of memory");
        a->rows_deferred++;
        return 0;
    }
    if (d) {
        for (uint32_t i = 0; i < row->n; i++)
            if (day_has(d, r[i].slot)) {
                dup_error(a, c, row, &r[i], d->v[r[i].slot], d->first_line + day_lines(d)[r[i].slot]);
                return 0;
            }
        if (d != a->cur)
            daytab_touch(&a->days, d);
    } else {
        int nslots = 1440 / r->minutes;
        if (evict_for(a, nslots, err) < 0)
            return -1;
        d = daytab_open(&a->days, r->meter, r->day, nslots, row->line);
        if (!d)
            return mo_err_set(err, "out_of_memory", "out of memory for open meter-days");
    }
    for (uint32_t i = 0; i < row->n; i++) {
        int32_t ow;
        int64_t ol;
        day_put(d, r[i].slot, r[i].wh, (char)r[i].quality, row->line, &ow, &ol);
    }
    a->rows_loaded++;
    a->readings += row->n;
    if (d->nset == d->nslots) {
        note_written(s, md);
        return flush_day(a, d, 0, err);
    }
    a->cur = d;
    return 0;
}

static int pass1_row(struct assembler *a, struct chunk *c, struct parsed_row *row, struct mo_err *err)
{
    int bad;
    if (resolve_new(a, c, row, &bad, err) < 0)
        return -1;
    if (bad)
        return 0;
    struct parsed_reading *r = c->rds + row->first;
    int late = 0;
    for (uint32_t i = 0; i < row->n; i++) {
        struct mstate *s = mstate(a, r[i].meter);
        if (!s)
            return mo_err_set(err, "out_of_memory", "out of memory");
        uint32_t md = MDAY(r[i].day);
        uint16_t sd = SDAY(r[i].day);
        if (!s->dmin || sd < s->dmin)
            s->dmin = sd;
        if (sd > s->dmax)
            s->dmax = sd;
        if (s->late || (maybe_written(s, md) && !daytab_find(&a->days, r[i].meter, r[i].day)))
            late = 1;
    }
    if (late) {
        /* every meter of the row waits for phase 2 from here on */
        for (uint32_t i = 0; i < row->n; i++) {
            if (mark_late(a, r[i].meter, row->line) < 0)
                return mo_err_set(err, "out_of_memory", "out of memory");
            if (r[i].meter != r[0].meter)
                a->multi_meter_rows = 1;
        }
        a->rows_deferred++;
        return 0;
    }
    int32_t ow;
    int64_t ol;
    long k = find_dup(a, r, row->n, &ow, &ol, row->line);
    if (k >= 0) {
        dup_error(a, c, row, &r[k], ow, ol);
        return 0;
    }
    if (apply_row(a, r, row->n, row->line, 0, err) < 0)
        return -1;
    a->rows_loaded++;
    a->readings += row->n;
    return 0;
}

static int replay_row(struct assembler *a, struct chunk *c, struct parsed_row *row, struct mo_err *err)
{
    struct parsed_reading *r = c->rds + row->first;
    /* new meters were all registered in pass 1; look them up again */
    int bad;
    if (resolve_new(a, c, row, &bad, err) < 0)
        return -1;
    if (bad)
        return 0;
    int in = 0;
    int64_t late = 0;
    for (uint32_t i = 0; i < row->n; i++) {
        const struct mstate *s = &a->ms[r[i].meter];
        if (s->inbatch) {
            in = 1;
            if (!late || a->late_line[r[i].meter] < late)
                late = a->late_line[r[i].meter];
        }
    }
    if (!in)
        return 0;
    int decided = row->line >= late;
    int32_t ow;
    int64_t ol;
    long k = find_dup(a, r, row->n, &ow, &ol, row->line);
    if (k >= 0) {
        if (decided) {
            dup_error(a, c, row, &r[k], ow, ol);
            a->rows_deferred--;
        }
        return 0;
    }
    if (apply_row(a, r, row->n, row->line, decided, err) < 0)
        return -1;
    if (decided) {
        a->rows_loaded++;
        a->readings += row->n;
        a->rows_deferred--;
    }
    return 0;
}

int asm_chunk(struct assembler *a, struct chunk *c, struct mo_err *err)
{
    size_t ie = 0, ir = 0;
    while (ie < c->nerrs || ir < c->nrows) {
        if (ir == c->nrows || (ie < c->nerrs && c->errs[ie].line < c->rows[ir].line)) {
            struct parsed_reject *e = &c->errs[ie++];
            if (!a->replay)
                store_error(a, e->line, e->column, e->name == NO_NAME ? NULL : c->pool + e->name,
                            e->code, c->pool + e->msg, c->buf + e->off, e->len);
            continue;
        }
        struct parsed_row *row = &c->rows[ir++];
        int rc;
        if (a->replay)
            rc = replay_row(a, c, row, err);
        else {
            rc = one_meter_day(c->rds + row->first, row->n) ? pass1_day(a, c, row, err) : 1;
            if (rc == 1)
                rc = pass1_row(a, c, row, err);
        }
        if (rc < 0)
            return -1;
    }
    for (size_t i = 0; !a->replay && i < c->ntally; i++) {
        const struct parsed_tally *t = &c->tally[i];
        const char *name = t->name == NO_NAME ? NULL : c->pool + t->name;
        errlog_add_many(a->log, t->first_line, t->last_line, t->count, name, t->code,
                        c->pool + t->msg);
        a->rows_rejected += t->count;
        if (a->report) {
            char msg[600];
            snprintf(msg, sizeof msg, "%s (and %lld more rows of this code up to line %lld, "
                     "counted)", c->pool + t->msg, (long long)t->count - 1,
                     (long long)t->last_line);
            a->report(a->report_ctx, t->first_line, name ? t->column : 0, t->code, msg);
        }
    }
    return 0;
}

int asm_end_pass(struct assembler *a, struct mo_err *err)
{
    struct day *d;
    while ((d = daytab_oldest(&a->days)))
        if (flush_day(a, d, 0, err) < 0)
            return -1;
    return 0;
}

size_t asm_next_batch(struct assembler *a, size_t *cursor)
{
    size_t count = 0, bytes = 0;
    for (size_t m = 0; m < a->capms; m++)
        a->ms[m].inbatch = 0;
    for (; *cursor < a->capms; (*cursor)++) {
        struct mstate *s = &a->ms[*cursor];
        if (!s->late)
            continue;
        int iv = asm_meter_interval(a, (uint32_t)*cursor);
        size_t need = (size_t)(s->dmax - s->dmin + 1) * daytab_day_bytes(1440 / iv);
        /* rows naming several meters must replay with all their meters at once */
        if (count > 0 && !a->multi_meter_rows && bytes + need > a->days.budget)
            break;
        s->inbatch = 1;
        bytes += need;
        count++;
    }
    a->replay = count > 0;
    return count;
}

int asm_end_batch(struct assembler *a, struct mo_err *err)
{
    struct day *d;
    while ((d = daytab_oldest(&a->days))) {
        if (d->replayed) {
            if (flush_day(a, d, 1, err) < 0)
                return -1;
        } else {
            daytab_remove(&a->days, d);
        }
    }
    return 0;
}

/* COPY text: the ids are digits (validate_fuel accepted them), so no escaping is needed. */
int asm_new_meters_copy(struct assembler *a, PGconn *conn, struct mo_err *err)
{
    if (a->newm.n == 0)
        return 0;
    if (db_copy_begin(conn, SQL_LOAD_CREATE_METERS, err) < 0)
        return -1;
    for (size_t i = 0; i < a->newm.n; i++) {
        char line[400], id[256];
        size_t len = meters_name(&a->newm, i, id, sizeof id);
        const char *fuel = validate_fuel(id, len);
        /* the meter --export-meter names is an export meter; every other is import */
        int export = a->f->export_opt.given && len == a->f->export_opt.idlen &&
                     memcmp(id, a->f->export_opt.id, len) == 0;
        int n = snprintf(line, sizeof line, "%lld\t%s\t%s\t%d\t%s\n", (long long)meters_id(&a->newm, i),
                         id, fuel ? fuel : "elec", meters_interval(&a->newm, i),
                         export ? "export" : "import");
        if (PQputCopyData(conn, line, n) != 1) {
            db_err_from_result(NULL, conn, err);
            return db_copy_end(conn, "could not send new meters", err);
        }
    }
    return db_copy_end(conn, NULL, err);
}
