/* dash_loading.c - the dashboard's Loading section: each file being loaded with a progress
 * bar, rows, rate and ETA, then the COPYs in flight. It takes the lines the sections below
 * leave, and says how many more there are when they do not all fit. */
#include <stdio.h>

#include "backend/textfmt.h"
#include "ui/dash_section.h"
#include "ui/draw.h"

static unsigned loading_section_fetch(struct app *app, long long now_ms)
{
    (void)app, (void)now_ms;
    return DASH_LOADING | DASH_COPY;
}

/* "#12 path ████▌░░░  42% 1,234/~3,000 rows 1.2k/s ETA 0:42" */
static void loading_line(const struct dash_frame *f, int y, const struct dash_loading *ld)
{
    const struct screen *s = &f->app->scr;
    struct dash_line l = dash_line_at(f, y);
    double frac = dash_loading_fraction(ld);
    char a[48], b[48], c[48], e[48];
    dash_seg(&l, ROLE_DIM, "#%lld ", (long long)ld->file_id);
    /* The figures go first into strings, so the name and the bar share what is left. */
    char pct[16], rows[80], rate[32], eta[40];
    if (frac >= 0)
        snprintf(pct, sizeof pct, " %3.0f%%", frac * 100);
    else
        snprintf(pct, sizeof pct, "    ?");
    if (ld->rows_estimate > 0)
        snprintf(rows, sizeof rows, " %s/~%s rows", fmt_count(a, sizeof a, ld->progress_rows),
                 fmt_count(b, sizeof b, ld->rows_estimate));
    else
        snprintf(rows, sizeof rows, " %s rows", fmt_count(a, sizeof a, ld->progress_rows));
    snprintf(rate, sizeof rate, " %s/s", fmt_si(c, sizeof c, dash_loading_rate(ld)));
    if (ld->lease_expired)
        snprintf(eta, sizeof eta, " abandoned");
    else
        snprintf(eta, sizeof eta, " ETA %s", fmt_eta(e, sizeof e, dash_loading_eta_s(ld)));
    int tail = text_width(pct) + text_width(rows) + text_width(rate) + text_width(eta);
    int rest = f->width - l.x - tail - 1;
    int barw = rest / 3 < 8 ? 8 : rest / 3 > 30 ? 30 : rest / 3;
    int namew = rest - barw - 1 < 8 ? 8 : rest - barw - 1;
    char name[256];
    text_tail(ld->path, namew, name, sizeof name, s->g.ellipsis);
    dash_seg(&l, ROLE_NORMAL, "%s", name);
    dash_seg(&l, ROLE_NORMAL, "%*s", namew - text_width(name) + 1, "");
    char bar[256];
    fmt_bar(bar, sizeof bar, barw, frac < 0 ? 0 : frac, s->g.utf8);
    dash_seg(&l, ROLE_BAR, "%s", bar);
    dash_seg(&l, ROLE_NORMAL, "%s", pct);
    dash_seg(&l, ROLE_NORMAL, "%s", rows);
    dash_seg(&l, ROLE_DIM, "%s", rate);
    dash_seg(&l, ld->lease_expired ? ROLE_ERROR : ROLE_NORMAL, "%s", eta);
    dash_line_end(&l);
}

static void copy_line(const struct dash_frame *f, int y, const struct dash_copy *cp)
{
    struct dash_line l = dash_line_at(f, y);
    char a[48], b[48], c[48], e[48];
    dash_seg(&l, ROLE_DIM, "COPY ");
    dash_seg(&l, ROLE_NORMAL, "pid %d %s %s ", cp->pid, f->app->scr.g.arrow, cp->relation);
    dash_seg(&l, ROLE_NORMAL, "%s", fmt_count(a, sizeof a, cp->tuples_processed));
    dash_seg(&l, ROLE_DIM, " tuples ");
    dash_seg(&l, ROLE_NORMAL, "%s", fmt_bytes(b, sizeof b, cp->bytes_processed));
    if (cp->bytes_total > 0)
        dash_seg(&l, ROLE_DIM, " of %s", fmt_bytes(c, sizeof c, cp->bytes_total));
    dash_seg(&l, ROLE_DIM, "  %s, %s", cp->application[0] ? cp->application : "?",
             fmt_duration(e, sizeof e, cp->running_s));
    dash_line_end(&l);
}

static int loading_section_draw(const struct dash_frame *f, int y)
{
    const struct dashboard *d = f->d;
    bool ok = d->parts_ok & DASH_LOADING;
    if (y < f->end) {
        char title[48];
        snprintf(title, sizeof title, "Loading (%zu)", d->nloading);
        dash_rule(f, y++, ok ? title : "Loading", NULL);
    }
    if (y < f->end && (!ok || d->nloading == 0)) {
        struct dash_line l = dash_line_at(f, y++);
        if (!ok)
            dash_unavailable(&l, d);
        else
            dash_seg(&l, ROLE_DIM, "nothing loading");
        dash_line_end(&l);
    }
    for (size_t i = 0; i < d->nloading && y < f->end; i++) {
        if (f->end - y <= f->below && i + 1 < d->nloading) {
            struct dash_line l = dash_line_at(f, y++);
            dash_seg(&l, ROLE_DIM, "... and %zu more loading (Files view: f)", d->nloading - i);
            dash_line_end(&l);
            break;
        }
        loading_line(f, y++, &d->loading[i]);
    }
    for (size_t i = 0; i < d->ncopies && y < f->end && f->end - y > f->below; i++)
        copy_line(f, y++, &d->copies[i]);
    return y;
}

const struct dash_section dash_loading = {
    .name = "loading", .fetch = loading_section_fetch, .min_height = 2,
    .draw = loading_section_draw,
};
