/* bench_readers - parse+emit speed of the wide, lcl and esb-hdf readers on one core.
 *
 *   make bench/bench_readers && ./bench/bench_readers [LINES]
 *
 * Builds synthetic lines in memory (no disk in the measurement), then times, in the same
 * run: (a) the baseline, csvline_trim + csvline_split alone (libcsv, what the loader pays
 * whatever the format), (b) the same plus the reader's row() into a sink that only sums.
 * Prints readings/s for (b) and for the reader's own share (b - a), and b/a. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/csvline.h"
#include "backend/reader.h"

struct sum { int64_t wh; long n; long rejects; };

static void on_reading(void *ctx, const struct reading *r)
{
    struct sum *s = ctx;
    s->wh += r->wh;
    s->n++;
}

static void on_reject(void *ctx, int c, const char *name, const char *code, const char *m)
{
    (void)c; (void)name; (void)code; (void)m;
    ((struct sum *)ctx)->rejects++;
}

static uint64_t rng_state = 42;
static unsigned rng(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(rng_state >> 33);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct corpus { char *buf; size_t len; long lines; };

static void add(struct corpus *c, size_t *cap, const char *s)
{
    size_t n = strlen(s);
    if (c->len + n + 1 > *cap) {
        *cap = (*cap + n + 1) * 2;
        c->buf = realloc(c->buf, *cap);
        if (!c->buf)
            abort();
    }
    memcpy(c->buf + c->len, s, n);
    c->len += n;
    c->buf[c->len++] = '\n';
    c->lines++;
}

/* Runs every line after the header through split (and row when fmt != NULL). */
static double run(const struct reader_format *fmt, const struct corpus *c, struct sum *s)
{
    struct csvline cl;
    csvline_init(&cl, ',');
    struct reader_state st = { .fmt = fmt, .path = "bench" };
    void *priv = calloc(1, fmt ? fmt->state_size : 1);
    st.priv = priv;
    struct reader_sink sink = { s, on_reading, NULL, on_reject };
    struct mo_err err;
    memset(s, 0, sizeof *s);
    double t0 = now();
    size_t at = 0;
    while (at < c->len) {
        const char *line = c->buf + at;
        const char *nl = memchr(line, '\n', c->len - at);
        size_t len = (size_t)(nl - line);
        at += len + 1;
        st.line++;
        len = csvline_trim(&line, len, st.line == 1);
        int n = csvline_split(&cl, line, len, NULL);
        if (st.line == 1) {
            if (fmt && fmt->header(&st, cl.fields, cl.lens, n, &err) < 0) {
                fprintf(stderr, "header: %s\n", err.message);
                exit(1);
            }
            continue;
        }
        if (fmt)
            fmt->row(&st, cl.fields, cl.lens, n, &sink);
        else
            s->n += n;
    }
    double t = now() - t0;
    free(priv);
    csvline_free(&cl);
    return t;
}

static void report(const char *name, const struct reader_format *fmt, const struct corpus *c)
{
    struct sum base, full;
    double best_a = 1e9, best_b = 1e9;
    for (int rep = 0; rep < 3; rep++) {   /* best of three: the machine is shared */
        double a = run(NULL, c, &base);
        double b = run(fmt, c, &full);
        if (a < best_a) best_a = a;
        if (b < best_b) best_b = b;
    }
    if (full.rejects) {
        fprintf(stderr, "%s: %ld lines rejected\n", name, full.rejects);
        exit(1);
    }
    double reader_only = best_b - best_a;
    printf("%-8s %9ld lines %10ld readings  split+row %6.1f M readings/s  "
           "row alone %6.1f M readings/s  (split %.3f s, split+row %.3f s, b/a %.2f)\n",
           name, c->lines - 1, full.n, full.n / best_b / 1e6,
           reader_only > 0 ? full.n / reader_only / 1e6 : 0.0, best_a, best_b, best_b / best_a);
}

int main(int argc, char **argv)
{
    long lines = argc > 1 ? atol(argv[1]) : 200000;
    char line[2048];

    /* wide: 48 half hours a line, values like the generator writes (d.ddd) */
    struct corpus wide = { 0 };
    size_t cap = 0;
    int at = snprintf(line, sizeof line, "mpxn,date");
    for (int i = 0; i < 48; i++)
        at += snprintf(line + at, sizeof line - (size_t)at, ",%02d%02d", i / 2, i % 2 * 30);
    add(&wide, &cap, line);
    for (long k = 0; k < lines; k++) {
        at = snprintf(line, sizeof line, "1200023305967,2024-%02ld-%02ld", k % 12 + 1, k % 28 + 1);
        for (int i = 0; i < 48; i++)
            at += snprintf(line + at, sizeof line - (size_t)at, ",%u.%03u", rng() % 3, rng() % 1000);
        add(&wide, &cap, line);
    }

    /* lcl (UKPN layout) and esb-hdf: one reading a line */
    struct corpus lcl = { 0 }, esb = { 0 };
    size_t cap2 = 0, cap3 = 0;
    add(&lcl, &cap2, "LCLid,DateTime,KWH/hh (per half hour) ");
    add(&esb, &cap3, "MPRN,Meter Serial Number,Read Value,Read Type,Read Date and End Time");
    long one = lines * 48 / 4;
    for (long k = 0; k < one; k++) {
        long d = k / 48 % 28 + 1, hh = k % 48;
        snprintf(line, sizeof line, "MAC000002,2013-02-%02ld %02ld:%02ld:00.0000000, %u.%03u ",
                 d, hh / 2, hh % 2 * 30, rng() % 3, rng() % 1000);
        add(&lcl, &cap2, line);
        snprintf(line, sizeof line, "XXXX,XXXX,%u.%04u,Active Import Interval (kWh),%02ld-02-2023 %02ld:%02ld",
                 rng() % 3, rng() % 10000, d, hh / 2, hh % 2 * 30);
        add(&esb, &cap3, line);
    }

    report("wide", &reader_wide, &wide);
    report("lcl", &reader_lcl, &lcl);
    report("esb-hdf", &reader_esb_hdf, &esb);
    free(wide.buf);
    free(lcl.buf);
    free(esb.buf);
    return 0;
}
