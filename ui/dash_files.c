/* dash_files.c - the dashboard's Files section (the queue now and the files finished in
 * the last 24 h) and the throughput line under it. */
#include <stdio.h>

#include "backend/textfmt.h"
#include "ui/dash_section.h"

static unsigned files_section_fetch(struct app *app, long long now_ms)
{
    (void)app, (void)now_ms;
    return DASH_FILES;
}

static int files_section_draw(const struct dash_frame *f, int y)
{
    const struct dashboard *d = f->d;
    char a[48], b[48], c[48];
    if (y < f->end) {
        dash_rule(f, y++, "Files", "queue now, finished in the last 24 h");
    }
    if (y < f->end) {
        struct dash_line l = dash_line_at(f, y);
        if (d->parts_ok & DASH_FILES) {
            dash_count(&l, "queued", d->files.queued, ROLE_NORMAL);
            dash_count(&l, "loading", d->files.loading, ROLE_BAR);
            dash_count(&l, "loaded", d->files.loaded, ROLE_OK);
            dash_count(&l, "rejected", d->files.rejected, ROLE_WARN);
            dash_count(&l, "failed", d->files.failed, ROLE_ERROR);
        } else {
            dash_unavailable(&l, d);
        }
        dash_line_end(&l);
        y = l.y + 1;
    }
    if (y < f->end && (d->parts_ok & DASH_FILES)) {
        struct dash_line l = dash_line_at(f, y);
        dash_pair(&l, "oldest queued", ROLE_NORMAL, "%s",
                  d->files.oldest_queued_s < 0 ? "none" : fmt_duration(a, sizeof a, d->files.oldest_queued_s));
        dash_pair(&l, "expired leases", d->files.expired_leases ? ROLE_ERROR : ROLE_NORMAL, "%lld",
                  (long long)d->files.expired_leases);
        dash_pair(&l, "readings in 24 h", ROLE_NORMAL, "%s", fmt_count(b, sizeof b, d->files.readings_24h));
        dash_pair(&l, "rows rejected", ROLE_NORMAL, "%s", fmt_count(c, sizeof c, d->files.rows_rejected_24h));
        dash_line_end(&l);
        y = l.y + 1;
    }
    return y;
}

const struct dash_section dash_files = {
    .name = "files", .fetch = files_section_fetch, .min_height = 2, .draw = files_section_draw,
};

static unsigned throughput_section_fetch(struct app *app, long long now_ms)
{
    (void)app, (void)now_ms;
    return DASH_THROUGHPUT;
}

static void throughput_section_answer(struct app *app, const struct dashboard *d)
{
    dash_rate_update(&app->dash.rate, d);
}

/* "throughput 1,234,567 readings/s now  COPY 25.7k rows/s  queue 45% of 12.3 GB, ETA
 * 1:02:03": the rate between the last two samples (until there are two, the loading
 * files' averages since they started), then the queued and loading files' progress. */
static int throughput_section_draw(const struct dash_frame *f, int y)
{
    const struct dashboard *d = f->d;
    const struct dash_rate *r = &f->app->dash.rate;
    char a[48], b[48], c[48];
    if (y >= f->end)
        return y;
    struct dash_line l = dash_line_at(f, y);
    dash_seg(&l, ROLE_DIM, "throughput ");
    if (d->parts_ok & DASH_THROUGHPUT) {
        double rate = r->known ? r->readings_per_s : d->readings_per_s;
        dash_seg(&l, ROLE_TITLE, "%s", fmt_count(a, sizeof a, (int64_t)(rate + 0.5)));
        dash_seg(&l, ROLE_NORMAL, " readings/s");
        dash_seg(&l, ROLE_DIM, "%s", r->known ? " now  " : " since start  ");
        if (r->known && r->copy_tuples_per_s > 0)
            dash_pair(&l, "COPY", ROLE_NORMAL, "%s rows/s", fmt_si(a, sizeof a, r->copy_tuples_per_s));
        if (r->fraction >= 0) {
            dash_seg(&l, ROLE_NORMAL, " ");
            dash_pair(&l, "queue", ROLE_NORMAL, "%.0f%% of %s, ETA %s", r->fraction * 100,
                      fmt_bytes(b, sizeof b, (int64_t)r->bytes_total), fmt_eta(c, sizeof c, r->eta_s));
        } else {
            dash_seg(&l, ROLE_NORMAL, " ");
            dash_pair(&l, "queue", ROLE_DIM, "empty, nothing loading");
        }
        char note[200];
        int role = dash_state_note(f, note, sizeof note);
        if (role >= 0)
            dash_seg(&l, role, "  %s", note);
    } else {
        dash_unavailable(&l, d);
    }
    dash_line_end(&l);
    return l.y + 1;
}

const struct dash_section dash_throughput = {
    .name = "throughput", .fetch = throughput_section_fetch, .answer = throughput_section_answer,
    .min_height = 1, .draw = throughput_section_draw,
};
