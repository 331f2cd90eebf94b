/* dash_meters.c - the dashboard's Meters section. Meter counts read the readings table, so
 * they are asked for five times less often than the rest and kept between refreshes. */
#include <stdio.h>

#include "ui/dash_section.h"

static unsigned meters_section_fetch(struct app *app, long long now_ms)
{
    if (app->dash.have_meters && now_ms < app->dash.meters_due_ms)
        return 0;
    app->dash.meters_due_ms = now_ms + 5LL * app->opts.refresh_s * 1000;
    return DASH_METERS;
}

static void meters_section_answer(struct app *app, const struct dashboard *d)
{
    if (d->parts_ok & DASH_METERS) {
        app->dash.meters = d->meters;
        app->dash.have_meters = true;
    }
}

static int meters_section_draw(const struct dash_frame *f, int y)
{
    const struct app *app = f->app;
    if (y < f->end) {
        char right[96];
        snprintf(right, sizeof right, "silent = no reading for more than %d days", app->opts.silent_days);
        dash_rule(f, y++, "Meters", right);
    }
    if (y < f->end) {
        struct dash_line l = dash_line_at(f, y);
        if (app->dash.have_meters) {
            const struct dash_meters *m = &app->dash.meters;
            dash_count(&l, "total", m->total, ROLE_NORMAL);
            dash_count(&l, "elec", m->elec, ROLE_NORMAL);
            dash_count(&l, "gas", m->gas, ROLE_NORMAL);
            dash_count(&l, "reporting today", m->reporting_today, ROLE_OK);
            dash_count(&l, "silent", m->silent, ROLE_WARN);
        } else {
            dash_unavailable(&l, f->d);
        }
        dash_line_end(&l);
        y = l.y + 1;
    }
    return y;
}

const struct dash_section dash_meters = {
    .name = "meters", .fetch = meters_section_fetch, .answer = meters_section_answer,
    .min_height = 2, .draw = meters_section_draw,
};
