/* dash_loaders.c - the dashboard's Loaders section: every loader process alive now (host,
 * pid, one-shot or daemon, files in hand, last heartbeat's age), the ones gone lately
 * (no heartbeat for their lease: killed or cut off; the files they held are abandoned and
 * back in the queue), and, in red, files waiting with no live loader to take them. */
#include <stdio.h>

#include "backend/textfmt.h"
#include "ui/dash_section.h"

static unsigned loaders_section_fetch(struct app *app, long long now_ms)
{
    (void)app, (void)now_ms;
    return DASH_LOADERS | DASH_WAITING | DASH_FILES;
}

static void loader_line(const struct dash_frame *f, int y, const struct dash_loader *ld)
{
    char a[32];
    struct dash_line l = dash_line_at(f, y);
    dash_seg(&l, ld->live ? ROLE_OK : ROLE_ERROR, "%-5s", ld->live ? "live" : "GONE");
    dash_seg(&l, ROLE_NORMAL, "%s:%d ", ld->host, ld->pid);
    dash_seg(&l, ROLE_DIM, "%-7s", ld->kind);
    dash_seg(&l, ROLE_NORMAL, "%d file%s in hand", ld->files_in_hand, ld->files_in_hand == 1 ? "" : "s");
    dash_seg(&l, ld->live ? ROLE_DIM : ROLE_ERROR, "  heartbeat %s ago",
             fmt_duration(a, sizeof a, (int64_t)(ld->heartbeat_age_s + 0.5)));
    dash_line_end(&l);
}

static int loaders_section_draw(const struct dash_frame *f, int y)
{
    const struct dashboard *d = f->d;
    bool ok = d->parts_ok & DASH_LOADERS;
    if (y < f->end) {
        char title[48];
        snprintf(title, sizeof title, "Loaders (%zu live)", d->live_loaders);
        dash_rule(f, y++, ok ? title : "Loaders", NULL);
    }
    if (!ok) {
        if (y < f->end) {
            struct dash_line l = dash_line_at(f, y++);
            dash_unavailable(&l, d);
            dash_line_end(&l);
        }
        return y;
    }
    int64_t waiting = (d->parts_ok & DASH_FILES) ? d->files.queued + d->files.expired_leases : 0;
    if (y < f->end && waiting > 0 && d->live_loaders == 0) {
        struct dash_line l = dash_line_at(f, y++);
        dash_seg(&l, ROLE_ERROR, "CRITICAL %lld file%s waiting and no live loader to take %s",
                 (long long)waiting, waiting == 1 ? "" : "s", waiting == 1 ? "it" : "them");
        dash_seg(&l, ROLE_DIM, " (meterops load --queued, or --daemon)");
        dash_line_end(&l);
    } else if (y < f->end && d->nloaders == 0) {
        struct dash_line l = dash_line_at(f, y++);
        dash_seg(&l, ROLE_DIM, "no loader running");
        dash_line_end(&l);
    }
    for (size_t i = 0; i < d->nloaders && y < f->end; i++) {
        if (f->end - y <= f->below && i + 1 < d->nloaders) {
            struct dash_line l = dash_line_at(f, y++);
            dash_seg(&l, ROLE_DIM, "... and %zu more loaders", d->nloaders - i);
            dash_line_end(&l);
            break;
        }
        loader_line(f, y++, &d->loaders[i]);
    }
    return y;
}

const struct dash_section dash_loaders = {
    .name = "loaders", .fetch = loaders_section_fetch, .min_height = 2,
    .draw = loaders_section_draw,
};
