/* widget_table.c - see widget_table.h. */
#include "ui/widget_table.h"

#include <stdio.h>
#include <string.h>

#include "ui/draw.h"

static void widths(const struct table_col *cols, int ncols, int width, int *w)
{
    int fixed = 0, flex = -1;
    for (int c = 0; c < ncols; c++) {
        w[c] = cols[c].width;
        fixed += cols[c].width + (c ? 1 : 0);
        if (cols[c].width == 0)
            flex = c;
    }
    if (flex >= 0)
        w[flex] = width - fixed > 4 ? width - fixed : 4;
}

void table_draw(struct app *app, WINDOW *w, int top, int h, int width, const struct table_col *cols,
                int ncols, struct list *l, table_cell_fn cell, void *ctx, int sort_col)
{
    const struct screen *s = &app->scr;
    int cw[16];
    widths(cols, ncols, width - 1, cw);
    if (h <= 0)
        return;
    /* Heading */
    int x = 1;
    draw_fill(w, top, 0, 1, s->attr[ROLE_TITLE]);
    for (int c = 0; c < ncols && x < width; c++) {
        char t[64];
        snprintf(t, sizeof t, "%s%s", cols[c].title, c == sort_col ? (l->desc ? s->g.down : s->g.up) : "");
        int room = cw[c] < width - x ? cw[c] : width - x;
        if (cols[c].align)
            draw_text_right(w, top, x, room, s->attr[ROLE_TITLE], t);
        else {
            int n = draw_text(w, top, x, room, s->attr[ROLE_TITLE], t, NULL);
            draw_fill(w, top, x + n, room - n, s->attr[ROLE_TITLE]);
        }
        x += room;
        if (x < width && c < ncols - 1) {
            draw_fill(w, top, x, 1, s->attr[ROLE_TITLE]);
            x++;
        }
    }
    draw_fill(w, top, x, width - x, s->attr[ROLE_TITLE]);

    int rows_h = h - 1;
    size_t nrows = list_count(l);
    list_fit(l, rows_h);
    for (int line = 0; line < rows_h; line++) {
        int y = top + 1 + line;
        size_t r = l->top + (size_t)line;
        if (r >= nrows) {
            draw_fill(w, y, 0, width, s->attr[ROLE_NORMAL]);
            continue;
        }
        bool selected = r == l->sel;
        attr_t base = selected ? s->attr[ROLE_SELECTION] : s->attr[ROLE_NORMAL];
        draw_fill(w, y, 0, 1, base);
        x = 1;
        for (int c = 0; c < ncols && x < width; c++) {
            char buf[512];
            int role = ROLE_NORMAL;
            buf[0] = '\0';
            int room = cw[c] < width - x ? cw[c] : width - x;
            cell(ctx, r, c, room, buf, sizeof buf, &role);
            attr_t a = selected ? base : s->attr[role];
            if (cols[c].align)
                draw_text_right(w, y, x, room, a, buf);
            else {
                int n = draw_text(w, y, x, room, a, buf, s->g.ellipsis);
                draw_fill(w, y, x + n, room - n, a);
            }
            x += room;
            if (x < width && c < ncols - 1) {
                draw_fill(w, y, x, 1, base);
                x++;
            }
        }
        draw_fill(w, y, x, width - x, base);
    }
}

void table_click(struct list *l, int top, int line)
{
    list_click(l, line - top - 1);
}
