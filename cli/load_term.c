#include "cli/load_term.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "backend/textfmt.h"
#include "cli/text.h"

/* Room for a path or a message once its control characters are escaped (fmt_visible:
 * up to 4 bytes each). */
enum { PATH_SHOWN = 4 * 4096 + 1, MESSAGE_SHOWN = 4 * 1024 + 1 };

/* Rejected rows printed per file; the rest are counted and pointed at. */
#define SHOW_REJECTS 20
/* Cells of the bar between its brackets: at most, and the least worth drawing. */
#define BAR_MAX 30
#define BAR_MIN 5
/* Columns of the file's name kept before the figures get terser, and those a long name
 * keeps before the bar gets narrower. */
#define NAME_MIN 8
#define NAME_WANT 24

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

void term_note(struct load_term *t, const char *fmt, ...)
{
    pthread_mutex_lock(&t->mu);
    clear_bar(t);
    va_list ap;
    va_start(ap, fmt);
    char note[4096], shown[4096 * 4];
    vsnprintf(note, sizeof note, fmt, ap);
    va_end(ap);
    fprintf(stderr, "meterops load: %s\n", fmt_visible(shown, sizeof shown, note));
    fflush(stderr);
    pthread_mutex_unlock(&t->mu);
}

static void active_remove(struct load_term *t, int64_t file_id)
{
    for (int i = 0; i < t->nactive; i++)
        if (t->active[i].file_id == file_id) {
            memmove(&t->active[i], &t->active[i + 1], (size_t)(t->nactive - i - 1) * sizeof t->active[0]);
            t->nactive--;
            return;
        }
}

static void active_add(struct load_term *t, int64_t file_id, const char *path)
{
    active_remove(t, file_id);
    if (t->nactive == TERM_MAX_ACTIVE)
        return;
    struct term_active *a = &t->active[t->nactive++];
    a->file_id = file_id;
    const char *slash = strrchr(path, '/');
    /* ASCII only (anything else becomes '?'): the bar's columns are then its bytes, in
     * whatever locale, so it can be sized to the terminal exactly. */
    text_terminal(a->name, sizeof a->name, slash ? slash + 1 : path, 0);
}

static void ev_started(void *ctx, int64_t file_id, const char *path, int64_t bytes)
{
    (void)bytes;
    struct load_term *t = ctx;
    pthread_mutex_lock(&t->mu);
    struct term_file *f = find_file(t, file_id, 1);
    if (f)
        f->shown = f->hidden = 0;
    active_add(t, file_id, path);
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
        char p[PATH_SHOWN], m[MESSAGE_SHOWN];
        path = fmt_visible(p, sizeof p, path);
        message = fmt_visible(m, sizeof m, message);
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
    active_remove(t, r->file_id);
    struct term_file *f = find_file(t, r->file_id, 1);
    char p[PATH_SHOWN], m[MESSAGE_SHOWN];
    const char *path = fmt_visible(p, sizeof p, r->path);
    if (f && f->hidden)
        fprintf(stderr, "%s: %lld more rejected rows not shown (counted by code and column "
                "in meterops.load_error_summary, the first of each code kept in "
                "meterops.load_error, file_id %lld)\n", path, (long long)f->hidden,
                (long long)r->file_id);
    double rate = r->seconds > 0 ? (double)r->readings / r->seconds : 0;
    printf("%s: %s (file %lld): %lld rows loaded, %lld rejected, %lld readings in %.2f s "
           "(%.0f readings/s)", path, r->status, (long long)r->file_id,
           (long long)r->rows_loaded, (long long)r->rows_rejected, (long long)r->readings,
           r->seconds, rate);
    if (r->message)
        printf(": %s", fmt_visible(m, sizeof m, r->message));
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

static void ev_notice(void *ctx, const char *message)
{
    term_note(ctx, "%s", message);
}

struct load_events term_events(struct load_term *t)
{
    struct load_events ev = { t, ev_started, ev_reject, ev_finished, ev_notice };
    return ev;
}

/* Columns the bar may use: all but the terminal's last, where some terminals would wrap
 * at once and leave the next redraw a line below. */
static int bar_columns(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col - 1;
    return 79;
}

static int min_int(int a, int b)
{
    return a < b ? a : b;
}

/* The name in at most width columns: "name +more" when it fits, else "~" and the end of
 * the name (what tells files apart: dates, part numbers, the extension; the console cuts
 * paths the same way), keeping "+more" while a bit of the name fits beside it. */
static void fit_name(char *buf, size_t len, int width, const char *name, int more)
{
    char suffix[16] = "";
    if (more > 0)
        snprintf(suffix, sizeof suffix, " +%d", more);
    int sw = (int)strlen(suffix);
    if (width - sw < 3) {
        sw = 0;
        suffix[0] = '\0';
    }
    int room = width - sw, nw = (int)strlen(name);
    if (nw <= room)
        snprintf(buf, len, "%s%s", name, suffix);
    else if (room > 0)
        snprintf(buf, len, "~%s%s", name + nw - (room - 1), suffix);
    else
        buf[0] = '\0';
}

/* The bar's line in at most width columns (it is ASCII: columns are bytes):
 * "name [####....]  42%  1.20k rows  950 rows/s  ETA 0:12". Where that does not fit the
 * figures get terser and the bar narrower, then the bar goes, then the name is cut, then
 * the rate; the percentage and the ETA go last. A long name is cut to leave the bar its
 * full width. */
static void bar_line(char *out, size_t len, int width, const char *name, int more, double frac,
                     const char *rows, const char *rate, const char *eta)
{
    int pct = (int)(100 * frac);
    char stats[4][96];
    /* Figures padded to fmt_si's widest ("12.3k"), so the layout holds still while they change. */
    snprintf(stats[0], sizeof stats[0], "%3d%%  %5s rows  %5s rows/s  ETA %s", pct, rows, rate, eta);
    snprintf(stats[1], sizeof stats[1], "%3d%%  %5s rows/s  ETA %s", pct, rate, eta);
    snprintf(stats[2], sizeof stats[2], "%3d%% %5s/s ETA %s", pct, rate, eta);
    snprintf(stats[3], sizeof stats[3], "%3d%% ETA %s", pct, eta);
    int whow = (int)strlen(name) + (more > 0 ? snprintf(NULL, 0, " +%d", more) : 0);
    int name_min = min_int(whow, NAME_MIN);
    /* The layouts from the fullest: which figures, whether a bar is drawn, and whether
     * they need the whole name (up to NAME_WANT) or NAME_MIN of it. "name [bar] figures"
     * takes the name, a space, the bar and its brackets, a space. The bar goes before the
     * name is cut (the percentage says as much), the rate after. */
    static const struct { int stats, bar, whole_name; } plans[] = {
        { 0, 1, 1 }, { 1, 1, 1 }, { 2, 1, 1 }, { 2, 0, 1 }, { 2, 0, 0 }, { 3, 0, 0 },
    };
    int k = 0, last = (int)(sizeof plans / sizeof plans[0]) - 1;
    while (k < last && (plans[k].whole_name ? min_int(whow, NAME_WANT) : name_min) +
                       (plans[k].bar ? BAR_MIN + 4 : 1) + (int)strlen(stats[plans[k].stats]) > width)
        k++;
    const char *figures = stats[plans[k].stats];
    int room = width - (int)strlen(figures);
    int namew = 0, barw = 0;
    if (plans[k].bar) {
        namew = min_int(whow, room - BAR_MIN - 4);
        /* A long name gives way to the bar, down to NAME_WANT columns. */
        namew = min_int(namew, NAME_WANT > room - BAR_MAX - 4 ? NAME_WANT : room - BAR_MAX - 4);
        barw = min_int(BAR_MAX, room - namew - 4);
    } else if (room >= 2) {
        namew = min_int(whow, room - 1);
    }
    char who[128] = "", bar[BAR_MAX + 1] = "";
    if (namew > 0)
        fit_name(who, sizeof who, namew, name, more);
    if (barw > 0)
        fmt_bar(bar, sizeof bar, barw, frac, false);
    snprintf(out, len, "%s%s%s%s%s%s", who, namew > 0 ? " " : "", barw > 0 ? "[" : "", bar,
             barw > 0 ? "] " : "", figures);
    if (width >= 0 && (size_t)width < len)
        out[width] = '\0'; /* a terminal narrower than even the percentage and ETA */
}

void term_tick(struct load_term *t, const struct load_progress *progress)
{
    if (!t->tty)
        return;
    struct load_progress p = *progress;
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
    char rows[16], rate[16], eta[24], line[512];
    fmt_si(rows, sizeof rows, (double)p.rows);
    fmt_si(rate, sizeof rate, t->rate_rows);
    fmt_eta(eta, sizeof eta, t->rate_bytes > 0
            ? (int64_t)((double)(p.bytes_total - p.bytes_done) / t->rate_bytes) : -1);
    bar_line(line, sizeof line, bar_columns(), t->nactive ? t->active[0].name : "", p.active - 1,
             frac, rows, rate, eta);
    fprintf(stderr, "\r\033[K%s", line);
    fflush(stderr);
    t->bar_drawn = 1;
    pthread_mutex_unlock(&t->mu);
}
