/* widget_table.h - a list (widget_list.h) drawn as a table: a heading line with the sort
 * column marked, then one line per visible row, the selected one highlighted; columns of
 * fixed width and one flexible column that takes what is left. The caller supplies cells
 * through a callback, so the table never owns data. */
#ifndef MO_WIDGET_TABLE_H
#define MO_WIDGET_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/app.h"
#include "ui/widget_list.h"

struct table_col {
    const char *title;
    int width;                  /* 0: flexible */
    int align;                  /* 0 left, 1 right */
};

/* Fills buf with the cell's text for a column `width` cells wide and may set *role
 * (default ROLE_NORMAL). Text wider than the column is cut with an ellipsis at its end. */
typedef void (*table_cell_fn)(void *ctx, size_t row, int col, int width, char *buf, size_t len, int *role);

/* Draws the heading at `top` and the list's rows below it within h lines; sort_col -1
 * marks none, else the list's direction is shown on it. */
void table_draw(struct app *app, WINDOW *w, int top, int h, int width, const struct table_col *cols,
                int ncols, struct list *l, table_cell_fn cell, void *ctx, int sort_col);
/* A click on line `line` of a table whose heading is at line `top`: selects the row there. */
void table_click(struct list *l, int top, int line);

#endif
