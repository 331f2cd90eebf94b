#include "cli/load_term.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Rejected rows printed per file; the rest are counted and pointed at. */
#define SHOW_REJECTS 20

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void term_init(struct load_term *t, int quiet)
{
    memset(t, 0, sizeof *t);
    pthread_mutex_init(&t->mu, NULL);
    t->quiet = quiet;
    t->tty = !quiet && isatty(STDERR_FILENO);
    t->last_t = mono();
}

static void clear_bar(struct load_term *t)
{
    if (t->bar_drawn) {
        fputs("\r\033[K", stderr);
        t->bar_drawn = 0;
    }
}

void term_clear(struct load_term *t)
{
    pthread_mutex_lock(&t->mu);
    clear_bar(t);
    fflush(stderr);
    pthread_mutex_unlock(&t->mu);
}

static struct term_file *find_file(struct load_term *t, int64_t id, int add)
{
    for (int i = 0; i < t->nfiles; i++)
        if (t->files[i].file_id == id)
            return &t->files[i];
    if (!add || t->nfiles == TERM_MAX_FILES)
        return NULL;
    struct term_file *f = &t->files[t->nfiles++];
    memset(f, 0, sizeof *f);
    f->file_id = id;
    return f;
}

struct term_file *term_file(struct load_term *t, int64_t file_id)
{
    pthread_mutex_lock(&t->mu);
    struct term_file *f = find_file(t, file_id, 0);
    pthread_mutex_unlock(&t->mu);
    return f;
}

void term_note(struct load_term *t, const char *fmt, ...)
{
    pthread_mutex_lock(&t->mu);
    clear_bar(t);
    va_list ap;
    va_start(ap, fmt);
    fputs("meterops load: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    pthread_mutex_unlock(&t->mu);
}

static void ev_started(void *ctx, int64_t file_id, const char *path, int64_t bytes)
{
    (void)path;
    (void)bytes;
    struct load_term *t = ctx;
    pthread_mutex_lock(&t->mu);
    struct term_file *f = find_file(t, file_id, 1);
    if (f) {
        f->shown = f->hidden = 0;
        f->status[0] = '\0';
    }
    pthread_mutex_unlock(&t->mu);
}

static void ev_reject(void *ctx, int64_t file_id, const char *path, int64_t line, int column,
                      const char *code, const char *message)
{
    struct load_term *t = ctx;
    pthread_mutex_lock(&t->mu);
    struct term_file *f = find_file(t, file_id, 1);
    if (f && f->shown >= SHOW_REJECTS) {
        f->hidden++;
    } else {
        if (f)
            f->shown++;
        clear_bar(t);
        if (column > 0)
            fprintf(stderr, "%s:%lld:%d: %s [%s]\n", path, (long long)line, column, message, code);
        else
            fprintf(stderr, "%s:%lld: %s [%s]\n", path, (long long)line, message, code);
    }
    pthread_mutex_unlock(&t->mu);
}

static void print_report(struct load_term *t, const struct load_report *r)
{
    clear_bar(t);
    struct term_file *f = find_file(t, r->file_id, 1);
    if (f && f->hidden)
        fprintf(stderr, "%s: %lld more rejected rows not shown (all are in meterops.load_error, "
                "file_id %lld)\n", r->path, (long long)f->hidden, (long long)r->file_id);
    if (f) {
        snprintf(f->status, sizeof f->status, "%s", r->status);
        f->rows_rejected = r->rows_rejected;
    }
    double rate = r->seconds > 0 ? (double)r->readings / r->seconds : 0;
    printf("%s: %s (file %lld): %lld rows loaded, %lld rejected, %lld readings in %.2f s "
           "(%.0f readings/s)", r->path, r->status, (long long)r->file_id,
           (long long)r->rows_loaded, (long long)r->rows_rejected, (long long)r->readings,
           r->seconds, rate);
    if (r->message)
        printf(": %s", r->message);
    putchar('\n');
    fflush(stdout);
}

static void ev_finished(void *ctx, const struct load_report *r)
{
    struct load_term *t = ctx;
    pthread_mutex_lock(&t->mu);
    print_report(t, r);
    pthread_mutex_unlock(&t->mu);
}

void term_report(struct load_term *t, const struct load_report *r)
{
    pthread_mutex_lock(&t->mu);
    print_report(t, r);
    pthread_mutex_unlock(&t->mu);
}

static void ev_notice(void *ctx, const char *message)
{
    term_note(ctx, "%s", message);
}

struct load_events term_events(struct load_term *t)
{
    struct load_events ev = { t, ev_started, ev_reject, ev_finished, ev_notice };
    return ev;
}

static void human(double v, char *buf, size_t n)
{
    if (v >= 1e9)
        snprintf(buf, n, "%.1fG", v / 1e9);
    else if (v >= 1e6)
        snprintf(buf, n, "%.1fM", v / 1e6);
    else if (v >= 1e3)
        snprintf(buf, n, "%.1fk", v / 1e3);
    else
        snprintf(buf, n, "%.0f", v);
}

void term_tick(struct load_term *t, struct loader *L)
{
    if (!t->tty)
        return;
    struct load_progress p;
    loader_progress(L, &p);
    pthread_mutex_lock(&t->mu);
    double now = mono(), dt = now - t->last_t;
    if (dt >= 0.2) {
        double rr = (double)(p.rows - t->last_rows) / dt, rb = (double)(p.bytes_done - t->last_bytes) / dt;
        if (rr >= 0 && rb >= 0) {
            /* exponential smoothing keeps the ETA from jumping about */
            t->rate_rows = t->rate_rows ? 0.7 * t->rate_rows + 0.3 * rr : rr;
            t->rate_bytes = t->rate_bytes ? 0.7 * t->rate_bytes + 0.3 * rb : rb;
        }
        t->last_rows = p.rows;
        t->last_bytes = p.bytes_done;
        t->last_t = now;
    }
    if (p.active == 0) {
        clear_bar(t);
        pthread_mutex_unlock(&t->mu);
        return;
    }
    double frac = p.bytes_total > 0 ? (double)p.bytes_done / (double)p.bytes_total : 0;
    if (frac > 1)
        frac = 1;
    char bar[31];
    int fill = (int)(frac * 30);
    for (int i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[30] = '\0';
    char rows[16], rate[16], eta[24] = "--:--";
    human((double)p.rows, rows, sizeof rows);
    human(t->rate_rows, rate, sizeof rate);
    if (t->rate_bytes > 0) {
        long s = (long)((double)(p.bytes_total - p.bytes_done) / t->rate_bytes);
        snprintf(eta, sizeof eta, "%ld:%02ld", s / 60, s % 60);
    }
    fprintf(stderr, "\r\033[K[%s] %3.0f%%  %s rows  %s rows/s  ETA %s  (%d file%s)", bar,
            100 * frac, rows, rate, eta, p.active, p.active == 1 ? "" : "s");
    fflush(stderr);
    t->bar_drawn = 1;
    pthread_mutex_unlock(&t->mu);
}
