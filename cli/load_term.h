/* load_term.h - what `meterops load` shows while it works: on a terminal a progress bar
 * on stderr (the file loading, percentage, rate and ETA, on one line that never wraps
 * whatever the terminal's width), otherwise nothing but the summary lines; one summary line
 * per file on stdout (path, status, rows loaded/rejected, readings, seconds, readings/s);
 * rejected rows on stderr as path:line:column: message [code] (the first few per file;
 * all of them are in meterops.load_error). The engine calls in from its threads, so
 * every output goes through one lock. */
#ifndef MO_LOAD_TERM_H
#define MO_LOAD_TERM_H

#include <pthread.h>
#include <stdint.h>

#include "backend/loader.h"

#define TERM_MAX_FILES 4096
/* Files the bar can name at once (more than any --jobs in use; extra ones are counted). */
#define TERM_MAX_ACTIVE 64

struct term_file {
    int64_t file_id;
    int64_t shown;      /* rejected rows printed */
    int64_t hidden;     /* and not printed */
};

/* A file being loaded, as the bar names it: its base name made printable. */
struct term_active {
    int64_t file_id;
    char name[96];
};

struct load_term {
    pthread_mutex_t mu;
    int tty;            /* draw the progress bar */
    int bar_drawn;
    int quiet;
    struct term_file files[TERM_MAX_FILES];
    int nfiles;
    struct term_active active[TERM_MAX_ACTIVE]; /* in the order they started */
    int nactive;
    /* rate smoothing */
    double last_t;
    int64_t last_rows, last_bytes;
    double rate_rows, rate_bytes;
};

void term_init(struct load_term *t, int quiet);
struct load_events term_events(struct load_term *t);
/* Redraws the bar from the engine's progress (call every few hundred ms). */
void term_tick(struct load_term *t, const struct load_progress *p);
/* A line to stderr (bar cleared first). */
void term_note(struct load_term *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void term_clear(struct load_term *t);

#endif
