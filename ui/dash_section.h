/* dash_section.h - the dashboard as a column of sections, each a small object that says
 * which parts of fetch_dashboard.h it needs, keeps what it must from an answer, and draws
 * itself from a line down (htop's Meter classes are the model). A new section is one
 * ui/dash_*.c exporting a struct dash_section and one line in dash_sections[]
 * (dash_section.c); its query is a part in fetch_dashboard.c's table.
 *
 * Each section is fetched on its own (view_dashboard.c): its own request, drawn when its
 * answer arrives, its age and "timed out, retrying in Ns" added to its title rule by
 * dash_rule, its last answer kept while it retries with backoff.
 *
 * Also the line helpers the sections share: a "Title ──── right" rule, and lines built
 * from segments that each have their theme role. */
#ifndef MO_DASH_SECTION_H
#define MO_DASH_SECTION_H

#include <stddef.h>
#include <stdint.h>

#include "ui/app.h"

/* One frame of the dashboard: where to draw and from which answer. */
struct dash_frame {
    struct app *app;
    WINDOW *w;
    int width;
    int end;                    /* lines before `end` may be drawn */
    int below;                  /* lines the sections further down keep for themselves */
    /* This section's own last answer (its parts_ok says what it holds; never NULL: before
     * the first answer, an empty one whose err says why). A section that asks for nothing
     * (Health) gets every section's answers merged. */
    const struct dashboard *d;
    const struct dash_sec *sec; /* its fetch state: age, failures, retry */
};

struct dash_section {
    const char *name;
    /* The dashboard parts (DASH_*) to ask for now; 0: nothing this turn (a slower timer,
     * or a section that judges the others). Called when the section's timer is due. */
    unsigned (*fetch)(struct app *app, long long now_ms);
    /* Keeps what outlives one refresh from an answer; NULL: nothing. */
    void (*answer)(struct app *app, const struct dashboard *d);
    /* Lines it needs at the least, which a growing section above leaves free for it. */
    int min_height;
    /* Draws from line y (never at or past f->end); returns the next free line. */
    int (*draw)(const struct dash_frame *f, int y);
};

extern const struct dash_section dash_files, dash_throughput, dash_loading, dash_meters,
    dash_database, dash_health, dash_loaders, dash_problems;
extern const struct dash_section *const dash_sections[];
extern const size_t dash_nsections;

/* A line built from segments, each with its role. */
struct dash_line {
    WINDOW *w;
    int y, x, width;
    const struct screen *s;
    int limit;                  /* dash_pair and dash_count may wrap onto lines before this */
};

/* "Title ──────── right" across line y (right NULL: none). */
void dash_rule(const struct dash_frame *f, int y, const char *title, const char *right);
/* A line at y indented by two columns. */
struct dash_line dash_line_at(const struct dash_frame *f, int y);
void dash_seg(struct dash_line *l, int role, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "label N   ", N in role_if_nonzero when above zero; wraps like dash_pair. */
void dash_count(struct dash_line *l, const char *label, int64_t n, int role_if_nonzero);
/* "label value  " (label dim): when it does not fit what is left of the line and an empty
 * line is free below (before l->limit), it goes on the next line instead of being cut.
 * The section then continues from l->y + 1. */
void dash_pair(struct dash_line *l, const char *label, int role, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* "unavailable" and the reason the first failed part gave. */
void dash_unavailable(struct dash_line *l, const struct dashboard *d);
/* The section's state to show beside its title: "timed out, retrying in 8s; data 2m
 * ago", or its age while a refresh is late. Returns the theme role, -1 when all is well. */
int dash_state_note(const struct dash_frame *f, char *buf, size_t len);
/* Blanks the rest of the line. */
void dash_line_end(struct dash_line *l);

#endif
