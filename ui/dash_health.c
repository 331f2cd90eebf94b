/* dash_health.c - the dashboard's Health line: the checks `meterops status` exits with,
 * judged by backend/health.c from the other sections' parts, and each one that is not OK. */
#include "backend/health.h"
#include "ui/dash_section.h"

static unsigned health_section_fetch(struct app *app, long long now_ms)
{
    (void)app, (void)now_ms;
    return 0; /* it judges what the others fetched */
}

static int health_section_draw(const struct dash_frame *f, int y)
{
    static const char *const names[] = { "OK", "WARNING", "CRITICAL" };
    static const int roles[] = { ROLE_OK, ROLE_WARN, ROLE_ERROR };
    struct health_thresholds t;
    health_defaults(&t);
    struct health_check checks[HEALTH_MAX_CHECKS];
    enum health_level overall;
    int n = health_evaluate(f->d, &t, checks, &overall);
    if (y >= f->end)
        return y;
    struct dash_line l = { f->w, y++, 0, f->width, &f->app->scr, 0 };
    dash_seg(&l, ROLE_NORMAL, " ");
    dash_seg(&l, ROLE_TITLE, "Health ");
    dash_seg(&l, roles[overall], " %s ", names[overall]);
    if (overall == HEALTH_OK)
        dash_seg(&l, ROLE_DIM, "  every check passes (meterops status exits 0)");
    dash_line_end(&l);
    for (int i = 0; i < n && y < f->end; i++) {
        if (checks[i].level == HEALTH_OK)
            continue;
        struct dash_line m = dash_line_at(f, y++);
        dash_seg(&m, roles[checks[i].level], "%-8s", names[checks[i].level]);
        dash_seg(&m, ROLE_NORMAL, " %s", checks[i].message);
        dash_line_end(&m);
    }
    return y;
}

const struct dash_section dash_health = {
    .name = "health", .fetch = health_section_fetch, .min_height = 2, .draw = health_section_draw,
};
