/* widget_list.c - see widget_list.h. */
#include "ui/widget_list.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

void list_init(struct list *l, const struct list_ops *ops, void *ctx)
{
    memset(l, 0, sizeof *l);
    l->ops = ops;
    l->ctx = ctx;
}

size_t list_count(const struct list *l)
{
    return l->ops ? l->ops->count(l->ctx) : 0;
}

size_t list_selected(const struct list *l)
{
    return l->sel < list_count(l) ? l->sel : (size_t)-1;
}

int64_t list_selected_id(const struct list *l)
{
    size_t i = list_selected(l);
    if (i == (size_t)-1)
        return 0;
    return l->ops->id ? l->ops->id(l->ctx, i) : (int64_t)i;
}

static int item_height(const struct list *l, size_t i)
{
    return l->ops->height ? l->ops->height(l->ctx, i) : 1;
}

void list_fit(struct list *l, int h)
{
    size_t n = list_count(l);
    l->h = h;
    if (h < 1)
        h = 1;
    if (n == 0) {
        l->sel = l->top = 0;
        return;
    }
    if (l->sel >= n)
        l->sel = n - 1;
    if (l->top > l->sel)
        l->top = l->sel;
    for (;;) { /* the selected item whole on screen */
        int lines = 0;
        for (size_t i = l->top; i <= l->sel && lines <= h; i++)
            lines += item_height(l, i);
        if (lines <= h || l->top == l->sel)
            break;
        l->top++;
    }
    /* A list of one-line items fills the window rather than end above a blank tail. */
    if (!l->ops->height && l->top + (size_t)h > n)
        l->top = n > (size_t)h ? n - (size_t)h : 0;
}

void list_move(struct list *l, long delta)
{
    size_t n = list_count(l);
    if (n == 0)
        return;
    if (delta == LONG_MIN)
        l->sel = 0;
    else if (delta == LONG_MAX)
        l->sel = n - 1;
    else if (delta < 0)
        l->sel = (size_t)-delta > l->sel ? 0 : l->sel - (size_t)-delta;
    else
        l->sel = l->sel + (size_t)delta >= n ? n - 1 : l->sel + (size_t)delta;
    list_fit(l, l->h);
}

void list_select(struct list *l, size_t i)
{
    l->sel = i;
    list_fit(l, l->h);
}

bool list_click(struct list *l, int line)
{
    size_t n = list_count(l);
    int y = 0;
    if (line < 0)
        return false;
    for (size_t i = l->top; i < n; i++) {
        int hgt = item_height(l, i);
        if (line < y + hgt) {
            l->sel = i;
            return true;
        }
        y += hgt;
    }
    return false;
}

static void reselect(struct list *l, int64_t keep)
{
    size_t n = list_count(l);
    if (!l->ops->id)
        return;
    for (size_t i = 0; i < n; i++) {
        if (l->ops->id(l->ctx, i) == keep) {
            l->sel = i;
            break;
        }
    }
}

void list_rows_changed(struct list *l, int64_t keep)
{
    if (l->ops->sort)
        l->ops->sort(l->ctx, l->sort_key, l->desc);
    reselect(l, keep);
    list_fit(l, l->h);
}

void list_sort_by(struct list *l, int key, bool desc)
{
    int64_t keep = list_selected_id(l);
    l->sort_key = key;
    l->desc = desc;
    list_rows_changed(l, keep);
}

bool list_may_request(const struct list *l)
{
    return !l->inflight;
}

void list_sent(struct list *l)
{
    l->inflight = true;
}

bool list_answer(struct list *l, uint64_t tag)
{
    if (tag != l->gen)
        return false;
    l->inflight = false;
    return true;
}

void list_restart(struct list *l)
{
    l->gen++;
    l->inflight = false;
    l->sel = l->top = 0;
}

void list_fail(struct list *l, const char *msg)
{
    snprintf(l->err, sizeof l->err, "%.250s", msg);
}

void list_ok(struct list *l)
{
    l->err[0] = '\0';
}
