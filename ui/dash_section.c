/* dash_section.c - see dash_section.h: the sections in screen order and their line helpers. */
#include "ui/dash_section.h"

#include <stdarg.h>
#include <stdio.h>

#include "backend/textfmt.h"
#include "ui/draw.h"

const struct dash_section *const dash_sections[] = {
    &dash_files, &dash_problems, &dash_throughput, &dash_loading, &dash_loaders, &dash_meters,
    &dash_database, &dash_health,
};
const size_t dash_nsections = sizeof dash_sections / sizeof dash_sections[0];

void dash_rule(const struct dash_frame *f, int y, const char *title, const char *right)
{
    const struct screen *s = &f->app->scr;
    WINDOW *w = f->w;
    int width = f->width;
    draw_fill(w, y, 0, 1, s->attr[ROLE_NORMAL]);
    int x = 1 + draw_text(w, y, 1, width - 1, s->attr[ROLE_TITLE], title, NULL);
    draw_fill(w, y, x, 1, s->attr[ROLE_NORMAL]);
    x++;
    int rw = right ? text_width(right) + 2 : 0;
    for (; x < width - rw; x++)
        draw_text(w, y, x, 1, s->attr[ROLE_BORDER], s->g.hline, NULL);
    if (right && x < width) {
        draw_fill(w, y, x, 1, s->attr[ROLE_NORMAL]);
        x += 1 + draw_text(w, y, x + 1, width - x - 1, s->attr[ROLE_DIM], right, NULL);
    }
    draw_fill(w, y, x, width - x, s->attr[ROLE_NORMAL]);
}

void dash_seg(struct dash_line *l, int role, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (l->x < l->width)
        l->x += draw_text(l->w, l->y, l->x, l->width - l->x, l->s->attr[role], buf, NULL);
}

void dash_count(struct dash_line *l, const char *label, int64_t n, int role_if_nonzero)
{
    char b[32];
    dash_seg(l, ROLE_NORMAL, "%s ", label);
    dash_seg(l, n > 0 ? role_if_nonzero : ROLE_NORMAL, "%s", fmt_count(b, sizeof b, n));
    dash_seg(l, ROLE_NORMAL, "   ");
}

void dash_line_end(struct dash_line *l)
{
    draw_fill(l->w, l->y, l->x, l->width - l->x, l->s->attr[ROLE_NORMAL]);
}

struct dash_line dash_line_at(const struct dash_frame *f, int y)
{
    struct dash_line l = { f->w, y, 0, f->width, &f->app->scr };
    dash_seg(&l, ROLE_NORMAL, "  ");
    return l;
}

void dash_unavailable(struct dash_line *l, const struct dashboard *d)
{
    dash_seg(l, ROLE_WARN, "unavailable");
    dash_seg(l, ROLE_DIM, " %s", d->err.message);
}
