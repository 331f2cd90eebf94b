/* dash_problems.c - the dashboard's "what failed, why, since when": the latest failed or
 * rejected files of the last 24 h, newest first: id, age ("3m ago"), the path cut from
 * the left, the first error's code and message, and "acked" once acknowledged (:ack).
 * j/k select one, Enter opens its detail (view_dashboard.c). At most a few lines: the
 * Files view (f) lists them all. */
#include <stdio.h>
#include <string.h>

#include "backend/textfmt.h"
#include "ui/dash_section.h"
#include "ui/draw.h"
#include "ui/views.h"

enum { PROBLEM_LINES = 5 };

static unsigned problems_section_fetch(struct app *app, long long now_ms)
{
    (void)app, (void)now_ms;
    return DASH_PROBLEMS;
}

static void problem_line(const struct dash_frame *f, int y, const struct dash_problem *p, bool sel)
{
    const struct screen *s = &f->app->scr;
    char a[32], vis[1024], path[512];
    struct dash_line l = dash_line_at(f, y);
    l.x = 0; /* the selection marker takes the indent */
    int base = sel ? ROLE_SELECTION : ROLE_NORMAL;
    dash_seg(&l, base, "%s", sel ? "> " : "  ");
    char id[24];
    snprintf(id, sizeof id, "#%lld", (long long)p->file_id);
    dash_seg(&l, sel ? base : ROLE_DIM, "%-6s ", id); /* a space even after a long id */
    char age[40];
    snprintf(age, sizeof age, "%s ago", fmt_duration(a, sizeof a, p->age_s));
    dash_seg(&l, sel ? base : ROLE_DIM, "%8s ", age);
    int st = sel ? base : p->acked ? ROLE_DIM : strcmp(p->status, "failed") == 0 ? ROLE_ERROR : ROLE_WARN;
    dash_seg(&l, st, "%-8s ", p->status);
    dash_seg(&l, sel ? base : ROLE_DIM, "%-4s", p->acked ? "ack" : "");
    /* the message before the path: the why matters more than the where */
    int pathw = (f->width - l.x) / 3;
    if (pathw < 10)
        pathw = 10;
    text_tail(fmt_visible(vis, sizeof vis, p->path), pathw, path, sizeof path, s->g.ellipsis);
    dash_seg(&l, base, "%-*s ", pathw, path);
    if (p->code[0])
        dash_seg(&l, sel ? base : ROLE_KEY, "%s ", p->code);
    dash_seg(&l, base, "%s", fmt_visible(vis, sizeof vis, p->message));
    if (p->acked)
        dash_seg(&l, sel ? base : ROLE_DIM, "  (acked by %s: %s)", p->acked_by,
                 fmt_visible(vis, sizeof vis, p->ack_reason));
    if (sel)
        draw_fill(l.w, l.y, l.x, l.width - l.x, s->attr[ROLE_SELECTION]);
    else
        dash_line_end(&l);
}

static int problems_section_draw(const struct dash_frame *f, int y)
{
    const struct dashboard *d = f->d;
    bool ok = d->parts_ok & DASH_PROBLEMS;
    if (y < f->end) {
        char right[64];
        snprintf(right, sizeof right, "%lld not acknowledged",
                 (long long)(d->unacked_failed + d->unacked_rejected));
        dash_rule(f, y++, "Failed or rejected (24 h)", ok && d->nproblems ? right : NULL);
    }
    if (y < f->end && (!ok || d->nproblems == 0)) {
        struct dash_line l = dash_line_at(f, y++);
        if (!ok)
            dash_unavailable(&l, d);
        else
            dash_seg(&l, ROLE_DIM, "nothing failed or rejected in the last 24 h");
        dash_line_end(&l);
        return y;
    }
    size_t sel = f->app->dash.problem_sel;
    size_t first = sel >= PROBLEM_LINES ? sel - PROBLEM_LINES + 1 : 0;
    for (size_t i = first; i < d->nproblems && i < first + PROBLEM_LINES && y < f->end; i++) {
        if (f->end - y <= f->below && i + 1 < d->nproblems) {
            struct dash_line l = dash_line_at(f, y++);
            dash_seg(&l, ROLE_DIM, "... and %zu more (Files view)", d->nproblems - i);
            dash_line_end(&l);
            break;
        }
        problem_line(f, y++, &d->problems[i], i == sel);
    }
    return y;
}

static void problems_section_answer(struct app *app, const struct dashboard *d)
{
    dash_problems_keep_selection(app, d);
}

const struct dash_section dash_problems = {
    .name = "problems", .fetch = problems_section_fetch, .answer = problems_section_answer,
    .min_height = 2, .draw = problems_section_draw,
};
