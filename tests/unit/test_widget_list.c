/* The list widget every console view uses: moving and paging the selection, keeping the
 * selected item whole on screen (items one or two lines high), mouse clicks, keeping the
 * selection on its item across a re-sort or a refetch, and dropping stale answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ui/widget_list.h"

/* Rows are ids; an item is two lines high when tall[i]. */
struct rows {
    int64_t id[32];
    bool tall[32];
    size_t n;
};

static size_t rows_count(const void *ctx) { return ((const struct rows *)ctx)->n; }
static int64_t rows_id(const void *ctx, size_t i) { return ((const struct rows *)ctx)->id[i]; }
static int rows_height(const void *ctx, size_t i) { return ((const struct rows *)ctx)->tall[i] ? 2 : 1; }

static int cmp_asc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void rows_sort(void *ctx, int key, bool desc)
{
    (void)key;
    struct rows *r = ctx;
    qsort(r->id, r->n, sizeof r->id[0], cmp_asc);
    if (desc)
        for (size_t i = 0; i < r->n / 2; i++) {
            int64_t t = r->id[i];
            r->id[i] = r->id[r->n - 1 - i];
            r->id[r->n - 1 - i] = t;
        }
}

static const struct list_ops flat_ops = { .count = rows_count, .id = rows_id, .sort = rows_sort };
static const struct list_ops tall_ops = { .count = rows_count, .height = rows_height };

static struct rows numbered(size_t n)
{
    struct rows r;
    memset(&r, 0, sizeof r);
    for (size_t i = 0; i < n; i++)
        r.id[i] = (int64_t)i + 100;
    r.n = n;
    return r;
}

static void test_moves_and_pages_within_the_rows(void **state)
{
    (void)state;
    struct rows r = numbered(20);
    struct list l;
    list_init(&l, &flat_ops, &r);
    list_fit(&l, 5);
    list_move(&l, 3);
    assert_int_equal(l.sel, 3);
    assert_int_equal(l.top, 0);
    list_move(&l, 4); /* past the window: it scrolls so the selection is its last line */
    assert_int_equal(l.sel, 7);
    assert_int_equal(l.top, 3);
    list_move(&l, 100);
    assert_int_equal(l.sel, 19);
    assert_int_equal(l.top, 15);
    list_move(&l, -2);
    assert_int_equal(l.sel, 17);
    assert_int_equal(l.top, 15);
    list_move(&l, LONG_MIN);
    assert_int_equal(l.sel, 0);
    assert_int_equal(l.top, 0);
    list_move(&l, LONG_MAX);
    assert_int_equal(l.sel, 19);
    assert_int_equal(list_selected_id(&l), 119);
}

static void test_an_empty_list_selects_nothing(void **state)
{
    (void)state;
    struct rows r = numbered(0);
    struct list l;
    list_init(&l, &flat_ops, &r);
    list_move(&l, 1);
    list_fit(&l, 5);
    assert_int_equal(list_selected(&l), (size_t)-1);
    assert_int_equal(list_selected_id(&l), 0);
    assert_false(list_click(&l, 0));
}

static void test_one_line_rows_fill_the_window_when_the_list_shrinks(void **state)
{
    (void)state;
    struct rows r = numbered(20);
    struct list l;
    list_init(&l, &flat_ops, &r);
    list_fit(&l, 5);
    list_move(&l, LONG_MAX);
    r.n = 17; /* a refetch brought fewer rows */
    list_fit(&l, 5);
    assert_int_equal(l.sel, 16);
    assert_int_equal(l.top, 12);
}

static void test_two_line_items_stay_whole_on_screen(void **state)
{
    (void)state;
    struct rows r = numbered(10);
    for (size_t i = 1; i < 10; i++)
        r.tall[i] = true; /* item 0 one line, the rest two */
    struct list l;
    list_init(&l, &tall_ops, &r);
    list_fit(&l, 6);
    list_move(&l, 2); /* lines: 1 + 2 + 2 = 5 */
    assert_int_equal(l.top, 0);
    list_move(&l, 1); /* 7 lines from the top: the first two items scroll away */
    assert_int_equal(l.sel, 3);
    assert_int_equal(l.top, 1);
    /* Items of varying height never pull the window up to fill it. */
    list_move(&l, LONG_MAX);
    assert_int_equal(l.top, 7);
    list_fit(&l, 6);
    assert_int_equal(l.top, 7);
}

static void test_a_click_selects_the_item_on_that_line(void **state)
{
    (void)state;
    struct rows r = numbered(6);
    r.tall[1] = true;
    struct list l;
    list_init(&l, &tall_ops, &r);
    list_fit(&l, 10);
    assert_true(list_click(&l, 2)); /* line 0 item 0, lines 1-2 item 1 */
    assert_int_equal(l.sel, 1);
    assert_true(list_click(&l, 3));
    assert_int_equal(l.sel, 2);
    assert_false(list_click(&l, 7)); /* below the last item */
    assert_false(list_click(&l, -1)); /* the heading */
    assert_int_equal(l.sel, 2);
}

static void test_selection_follows_its_item_across_sort_and_refetch(void **state)
{
    (void)state;
    struct rows r = numbered(10);
    struct list l;
    list_init(&l, &flat_ops, &r);
    list_fit(&l, 4);
    list_move(&l, 2); /* id 102 */
    list_sort_by(&l, 0, true);
    assert_int_equal(list_selected_id(&l), 102);
    assert_int_equal(l.sel, 7);
    assert_true(l.desc);
    /* A refetch: 102 now sits elsewhere, and the rows come back sorted by the list's key. */
    r = numbered(5);
    r.id[4] = 102;
    r.id[0] = 150;
    list_rows_changed(&l, 102);
    assert_int_equal(r.id[0], 150);
    assert_int_equal(list_selected_id(&l), 102);
    /* The item went away: the selection stays in range. */
    r.n = 2;
    list_rows_changed(&l, 999);
    assert_int_equal(list_selected(&l), 1);
}

static void test_an_answer_for_an_older_request_is_dropped(void **state)
{
    (void)state;
    struct rows r = numbered(3);
    struct list l;
    list_init(&l, &flat_ops, &r);
    assert_true(list_may_request(&l));
    uint64_t first = l.gen;
    list_sent(&l);
    assert_false(list_may_request(&l));
    list_move(&l, 2);
    list_restart(&l); /* the filter changed */
    assert_int_equal(l.sel, 0);
    assert_true(list_may_request(&l));
    uint64_t second = l.gen;
    list_sent(&l);
    assert_false(list_answer(&l, first));
    assert_false(list_may_request(&l)); /* the stale answer does not end the current wait */
    assert_true(list_answer(&l, second));
    assert_true(list_may_request(&l));
}

static void test_failure_is_kept_until_cleared(void **state)
{
    (void)state;
    struct list l;
    list_init(&l, &flat_ops, NULL);
    list_fail(&l, "canceling statement due to statement timeout");
    assert_string_equal(l.err, "canceling statement due to statement timeout");
    list_ok(&l);
    assert_string_equal(l.err, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_moves_and_pages_within_the_rows),
        cmocka_unit_test(test_an_empty_list_selects_nothing),
        cmocka_unit_test(test_one_line_rows_fill_the_window_when_the_list_shrinks),
        cmocka_unit_test(test_two_line_items_stay_whole_on_screen),
        cmocka_unit_test(test_a_click_selects_the_item_on_that_line),
        cmocka_unit_test(test_selection_follows_its_item_across_sort_and_refetch),
        cmocka_unit_test(test_an_answer_for_an_older_request_is_dropped),
        cmocka_unit_test(test_failure_is_kept_until_cleared),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
