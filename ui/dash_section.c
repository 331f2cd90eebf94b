/* dash_section.c - see dash_section.h: the sections in screen order and their line helpers. */
#include "ui/dash_section.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
    char note[200];
    int note_role = dash_state_note(f, note, sizeof note);
    WINDOW *w = f->w;
    int width = f->width;
    draw_fill(w, y, 0, 1, s->attr[ROLE_NORMAL]);
    int x = 1 + draw_text(w, y, 1, width - 1, s->attr[ROLE_TITLE], title, NULL);
    draw_fill(w, y, x, 1, s->attr[ROLE_NORMAL]);
    x++;
    if (note_role >= 0) {
        /* The state goes first after the title: it must not be cut. */
        draw_fill(w, y, x, 1, s->attr[ROLE_NORMAL]);
        x += 1 + draw_text(w, y, x, width - x, s->attr[note_role], note, NULL);
        draw_fill(w, y, x - 1, 1, s->attr[ROLE_NORMAL]);
        x++;
    }
    int rw = right ? text_width(right) + 2 : 0;
    if (right && x + rw + 3 > width)
        rw = 0, right = NULL; /* the title's explanation goes before the state is cut */
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

/* Moves to the next line when `need` columns do not fit and a line is free. */
static void wrap_for(struct dash_line *l, int need)
{
    if (l->x + need <= l->width || l->x <= 4 || l->y + 1 >= l->limit)
        return;
    dash_line_end(l);
    l->y++;
    l->x = 0;
    dash_seg(l, ROLE_NORMAL, "  ");
}

void dash_count(struct dash_line *l, const char *label, int64_t n, int role_if_nonzero)
{
    char b[32];
    fmt_count(b, sizeof b, n);
    wrap_for(l, text_width(label) + 1 + text_width(b));
    dash_seg(l, ROLE_NORMAL, "%s ", label);
    dash_seg(l, n > 0 ? role_if_nonzero : ROLE_NORMAL, "%s", b);
    dash_seg(l, ROLE_NORMAL, "   ");
}

void dash_pair(struct dash_line *l, const char *label, int role, const char *fmt, ...)
{
    char v[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v, sizeof v, fmt, ap);
    va_end(ap);
    wrap_for(l, text_width(label) + 1 + text_width(v));
    dash_seg(l, ROLE_DIM, "%s ", label);
    dash_seg(l, role, "%s", v);
    dash_seg(l, ROLE_NORMAL, "  ");
}

void dash_line_end(struct dash_line *l)
{
    draw_fill(l->w, l->y, l->x, l->width - l->x, l->s->attr[ROLE_NORMAL]);
}

struct dash_line dash_line_at(const struct dash_frame *f, int y)
{
    int limit = f->end - f->below;
    struct dash_line l = { f->w, y, 0, f->width, &f->app->scr, limit > y + 1 ? limit : y + 1 };
    dash_seg(&l, ROLE_NORMAL, "  ");
    return l;
}

void dash_unavailable(struct dash_line *l, const struct dashboard *d)
{
    if (strcmp(d->err.code, "waiting") == 0) {
        dash_seg(l, ROLE_DIM, "%s", d->err.message);
        return;
    }
    dash_seg(l, ROLE_WARN, "unavailable");
    dash_seg(l, ROLE_DIM, " %s", d->err.message);
}
