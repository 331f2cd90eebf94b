#include "backend/gen_readings.h"

#include <string.h>

#include "backend/gen_out.h"

/* 4 MB blocks: large enough that write() costs nothing next to formatting. */
#define OUT_BUFFER (4u << 20)

static const char long_header[] = "mpxn,timestamp,kwh,quality\n";
static const char wide_header[] =
    "mpxn,date,0000,0030,0100,0130,0200,0230,0300,0330,0400,0430,0500,0530,0600,0630,"
    "0700,0730,0800,0830,0900,0930,1000,1030,1100,1130,1200,1230,1300,1330,1400,1430,"
    "1500,1530,1600,1630,1700,1730,1800,1830,1900,1930,2000,2030,2100,2130,2200,2230,"
    "2300,2330\n";

/* "T00:30:00Z," for each slot, padded to 16 bytes so it is copied with one fixed move. */
static void slot_texts(char out[GEN_SLOTS][16])
{
    for (int s = 0; s < GEN_SLOTS; s++) {
        memset(out[s], 0, 16);
        memcpy(out[s], "T00:00:00Z,", 11);
        out[s][1] = (char)('0' + s / 20);
        out[s][2] = (char)('0' + s / 2 % 10);
        out[s][4] = s % 2 ? '3' : '0';
    }
}

/* One meter's day as the writers below see it. */
struct meter_day {
    const struct gen_meter *gm;
    const struct gen_day *d;
    const int32_t *rate;        /* the meter's tariff, per local slot */
    const int32_t *wh;          /* per slot; negative where the interval is missing */
    const char *quality;        /* per slot */
    char prefix[48];            /* "mpxn,YYYY-MM-DD", padded so it is copied with one fixed-size move */
    size_t plen;
};

/* A file's running counts, and the clean energy and cost of the meter-day just written.
 * The day writers keep the counts in locals while they loop and store them once per
 * meter-day (and copy what they read of the meter-day into locals), so the per-reading
 * work is what it was in one function. */
struct tally {
    long line_no;
    uint64_t readings, missing;
    int64_t day_wh, day_cost;
};

static void write_header(struct gen_out *out, int wide)
{
    const char *header = wide ? wide_header : long_header;
    char *p = gen_out_reserve(out);
    memcpy(p, header, strlen(header));
    gen_out_commit(out, p + strlen(header));
}

/* Long layout: one line per present interval; a fault replaces the line it hits. */
static void write_long_day(struct gen_file_job *job, struct gen_out *out, const struct meter_day *md,
                           const char slot_ts[GEN_SLOTS][16], struct tally *t)
{
    const int32_t *wh = md->wh, *rate = md->rate;
    const char *quality = md->quality, *prefix = md->prefix;
    size_t plen = md->plen;
    const struct gen_day *d = md->d;
    long line_no = t->line_no;
    uint64_t readings = t->readings, missing = t->missing, clean = 0;
    int64_t day_wh = 0, day_cost = 0;
    for (int s = 0; s < GEN_SLOTS; s++) {
        int32_t w = wh[s];
        if (w < 0) {
            missing++;
            continue;
        }
        line_no++;
        if (gen_faults_hit(&job->faults)) {
            gen_fault_long(&job->faults, out, line_no, md->gm->mpxn, md->gm->mpxn_len, d, s, wh,
                           quality[s], &clean);
            continue;
        }
        char *p = gen_out_reserve(out);
        memcpy(p, prefix, 32);
        p += plen;
        memcpy(p, slot_ts[s], 16);
        p += 11;
        p = gen_fmt_kwh(p, w);
        p[0] = ',';
        p[1] = quality[s];
        p[2] = '\n';
        gen_out_commit(out, p + 3);
        clean |= 1ULL << s;
        readings++;
        day_wh += w;
        day_cost += (int64_t)w * rate[d->lslot[s]];
    }
    *t = (struct tally){ .line_no = line_no, .readings = readings, .missing = missing,
                         .day_wh = day_wh, .day_cost = day_cost };
}

/* Wide layout: one row per meter-day with any value, empty cells where missing; a fault
 * replaces the whole row. remember: keep the clean row for later duplicate faults. */
static void write_wide_day(struct gen_file_job *job, struct gen_out *out, const struct meter_day *md,
                           int remember, struct tally *t)
{
    const int32_t *wh = md->wh, *rate = md->rate;
    const struct gen_day *d = md->d;
    int present = 0;
    t->day_wh = t->day_cost = 0;
    for (int s = 0; s < GEN_SLOTS; s++)
        present += wh[s] >= 0;
    t->missing += (uint64_t)(GEN_SLOTS - present);
    if (present == 0)
        return; /* a meter-day with no value has no row, as in long */
    t->line_no++;
    if (gen_faults_hit(&job->faults)) {
        gen_fault_wide(&job->faults, out, t->line_no, md->gm->mpxn, md->gm->mpxn_len, d, wh);
        return;
    }
    int64_t day_wh = 0, day_cost = 0;
    char *p = gen_out_reserve(out);
    memcpy(p, md->prefix, 32);
    p += md->plen;
    for (int s = 0; s < GEN_SLOTS; s++) {
        int32_t w = wh[s];
        *p++ = ',';
        if (w < 0)
            continue;
        p = gen_fmt_kwh(p, w);
        day_wh += w;
        day_cost += (int64_t)w * rate[d->lslot[s]];
    }
    *p++ = '\n';
    gen_out_commit(out, p);
    t->readings += (uint64_t)present;
    t->day_wh = day_wh;
    t->day_cost = day_cost;
    if (remember)
        gen_faults_remember_row(&job->faults, md->gm->mpxn, d->date, wh);
}

/* Every meter of the job, each of its days in order; each meter-day's clean energy and
 * cost go into the meter's bill accumulators. */
static void write_meters(struct gen_file_job *job, struct gen_out *out, struct tally *t)
{
    char slot_ts[GEN_SLOTS][16];
    slot_texts(slot_ts);
    struct gen_registry *reg = job->reg;
    int np = reg->bills.nperiods;
    int remember = job->wide && job->error_rate > 0;
    struct gen_household h;
    int32_t wh[GEN_SLOTS];
    char quality[GEN_SLOTS];

    for (uint32_t m = job->meter_from; m < job->meter_to; m++) {
        const struct gen_meter *gm = &reg->meters[m];
        int mlen = gm->mpxn_len;
        int64_t *acc_wh = &reg->bills.wh[(size_t)m * (size_t)np];
        int64_t *acc_cost = &reg->bills.cost[(size_t)m * (size_t)np];
        /* an export meter's household is the home of the import meter before it (the
         * same people: what they use is not exported) */
        gen_household_init(&h, (enum gen_kind)gm->kind, job->seed,
                           gm->kind == GEN_EXPORT && m > 0 ? m - 1 : m);

        for (int di = 0; di < job->ndays; di++) {
            const struct gen_day *d = &job->days[di];
            gen_household_day(&h, d, job->seed, m, job->missing_rate, wh, quality);
            struct meter_day md = { .gm = gm, .d = d, .rate = reg->tariffs[gm->tariff].rate_e4,
                                    .wh = wh, .quality = quality, .plen = (size_t)mlen + 11 };
            memcpy(md.prefix, gm->mpxn, (size_t)mlen);
            md.prefix[mlen] = ',';
            memcpy(md.prefix + mlen + 1, d->date, 10);
            if (!job->wide)
                write_long_day(job, out, &md, slot_ts, t);
            else
                write_wide_day(job, out, &md, remember, t);
            acc_wh[job->day_period[di]] += t->day_wh;
            acc_cost[job->day_period[di]] += t->day_cost;
        }
    }
}

int gen_readings_file(struct gen_file_job *job)
{
    struct gen_out out;
    mo_err_clear(&job->err);
    gen_faults_init(&job->faults, job->seed, job->file_index, job->error_rate, job->name, job->wide);
    if (gen_out_open(&out, job->path, OUT_BUFFER, &job->err) < 0)
        return job->rc = -1;

    write_header(&out, job->wide);
    struct tally t = { .line_no = 1 };
    write_meters(job, &out, &t);

    job->lines = (uint64_t)(t.line_no - 1);
    job->readings = t.readings;
    job->missing = t.missing;
    job->bytes = out.bytes;
    if (gen_out_close(&out, job->path, &job->err) < 0)
        return job->rc = -1;
    if (job->faults.oom)
        return job->rc = mo_err_set(&job->err, "out_of_memory", "no memory for the manifest of %s", job->name);
    return job->rc = 0;
}
