/* widget_list.h - what every list on screen does the same way, so a view is its rows, its
 * columns and its fetcher: which item is selected and which is the first one shown, moving
 * and paging the selection (Home and End too), a mouse click on a line, keeping the
 * selection on the same item when the rows are fetched again or re-sorted, the sort key
 * and direction, and the request generation that tells the answer to the latest request
 * from one for an older request (the filter changed, another file was opened), which the
 * view drops. Items may be more than one line high.
 *
 * Modelled on htop's Panel (Panel_onKey): the list never owns the rows; the view lends
 * them through struct list_ops. */
#ifndef MO_WIDGET_LIST_H
#define MO_WIDGET_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct list_ops {
    size_t (*count)(const void *ctx);
    int64_t (*id)(const void *ctx, size_t i);    /* what the selection follows; NULL: position */
    int (*height)(const void *ctx, size_t i);    /* lines item i takes; NULL: one each */
    void (*sort)(void *ctx, int key, bool desc); /* NULL: the rows keep their own order */
};

struct list {
    const struct list_ops *ops;
    void *ctx;
    size_t sel, top;            /* the selected item and the first one shown */
    int h;                      /* lines the items had when last drawn */
    int sort_key;
    bool desc;
    uint64_t gen;               /* bumped when what is asked changes: older answers are stale */
    bool inflight;              /* a request for the current generation is on its way */
    char err[256];              /* why the last request failed ("" none) */
};

void list_init(struct list *l, const struct list_ops *ops, void *ctx);
size_t list_count(const struct list *l);
/* The selected item, or (size_t)-1 when the list is empty. */
size_t list_selected(const struct list *l);
/* The selected item's id, or 0. */
int64_t list_selected_id(const struct list *l);

/* Keeps the selection in range and whole within h lines (remembered for list_move). */
void list_fit(struct list *l, int h);
/* Moves the selection by delta items; LONG_MIN and LONG_MAX go to the ends. */
void list_move(struct list *l, long delta);
void list_select(struct list *l, size_t i);
/* A click on line `line` of the items (0: the first item shown): selects the item there.
 * Returns false when no item is there. */
bool list_click(struct list *l, int line);

/* The rows were replaced or changed: sorts them by the list's key and puts the selection
 * back on the item with id keep (where it was when that item is gone). */
void list_rows_changed(struct list *l, int64_t keep);
/* A new sort key and direction; the selection stays on its item. */
void list_sort_by(struct list *l, int key, bool desc);

/* Request bookkeeping. list_may_request: no request of this generation is on its way;
 * list_sent marks one. list_answer: whether an answer carrying tag belongs to the current
 * generation (then the list is no longer waiting); an older one is to be dropped.
 * list_restart: what is asked changed (the selection goes back to the top). */
bool list_may_request(const struct list *l);
void list_sent(struct list *l);
bool list_answer(struct list *l, uint64_t tag);
void list_restart(struct list *l);
/* Records why a request failed ("%.250s" of msg); list_ok clears it. */
void list_fail(struct list *l, const char *msg);
void list_ok(struct list *l);

#endif
