/* test_daytab - the open meter-day table (backend/daytab.c): lookups, the use order that
 * picks the day to evict, the memory budget, deletion that keeps probe chains whole, and
 * what day_put says about a second reading for an interval. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "backend/daytab.h"

static void test_day_put_names_the_earlier_value_and_line(void **state)
{
    (void)state;
    struct daytab t;
    assert_int_equal(daytab_init(&t, 4 * daytab_day_bytes(48)), 0);
    struct day *d = daytab_open(&t, 7, 19844, 48, 1000);
    assert_non_null(d);
    int32_t old_wh = -1;
    int64_t old_line = -1;
    assert_int_equal(day_put(d, 3, 250, 'A', 1002, &old_wh, &old_line), 0);
    assert_int_equal(day_put(d, 47, 90, 'E', 1005, &old_wh, &old_line), 0);
    assert_int_equal(d->nset, 2);
    assert_true(day_has(d, 3));
    assert_true(day_has(d, 47));
    assert_false(day_has(d, 4));
    assert_int_equal(d->est[0], UINT64_C(1) << 47); /* only the estimate is marked so */
    assert_int_equal(d->set[0], (UINT64_C(1) << 3) | (UINT64_C(1) << 47));
    /* the same interval again: nothing changes, the first value and line are told */
    assert_int_equal(day_put(d, 3, 999, 'A', 1010, &old_wh, &old_line), 1);
    assert_int_equal(old_wh, 250);
    assert_int_equal(old_line, 1002);
    assert_int_equal(d->v[3], 250);
    assert_int_equal(d->nset, 2);
    /* a line before the day's first, or 2^32 lines after it, cannot be stored */
    assert_int_equal(day_put(d, 5, 1, 'A', 999, &old_wh, &old_line), -1);
    assert_int_equal(day_put(d, 5, 1, 'A', 1000 + (INT64_C(1) << 32), &old_wh, &old_line), -1);
    assert_false(day_has(d, 5));
    /* 96 intervals (quarter-hourly): the second word of the bitmaps */
    struct day *q = daytab_open(&t, 8, 19844, 96, 1);
    assert_int_equal(day_put(q, 95, 12, 'A', 40, &old_wh, &old_line), 0);
    assert_int_equal(q->set[1], UINT64_C(1) << 31);
    assert_int_equal(day_lines(q)[95], 39);
    daytab_free(&t);
}

static void test_least_recently_used_day_is_the_oldest(void **state)
{
    (void)state;
    struct daytab t;
    assert_int_equal(daytab_init(&t, 16 * daytab_day_bytes(48)), 0);
    assert_null(daytab_oldest(&t));
    struct day *a = daytab_open(&t, 1, 100, 48, 2);
    struct day *b = daytab_open(&t, 1, 101, 48, 3);
    struct day *c = daytab_open(&t, 2, 100, 48, 4);
    assert_ptr_equal(daytab_oldest(&t), a);
    daytab_touch(&t, a);
    assert_ptr_equal(daytab_oldest(&t), b);
    daytab_touch(&t, a); /* already the newest: no change */
    assert_ptr_equal(daytab_oldest(&t), b);
    assert_ptr_equal(daytab_find(&t, 1, 101), b);
    assert_ptr_equal(daytab_find(&t, 2, 100), c);
    assert_null(daytab_find(&t, 2, 101));
    daytab_remove(&t, b);
    assert_null(daytab_find(&t, 1, 101));
    assert_ptr_equal(daytab_oldest(&t), c);
    assert_int_equal(t.n, 2);
    daytab_free(&t);
}

static void test_the_budget_counts_days_by_size_class(void **state)
{
    (void)state;
    struct daytab t;
    /* 24, 48 and 96 intervals are three sizes; 30-minute days are the middle one */
    assert_true(daytab_day_bytes(24) < daytab_day_bytes(48));
    assert_true(daytab_day_bytes(48) < daytab_day_bytes(96));
    assert_int_equal(daytab_day_bytes(30), daytab_day_bytes(48));
    assert_int_equal(daytab_init(&t, 2 * daytab_day_bytes(48)), 0);
    assert_false(daytab_full(&t, 96)); /* an empty table always takes one day */
    struct day *a = daytab_open(&t, 1, 1, 48, 1);
    assert_false(daytab_full(&t, 48));
    assert_true(daytab_full(&t, 96));
    daytab_open(&t, 1, 2, 48, 1);
    assert_true(daytab_full(&t, 24));
    assert_int_equal(t.bytes, 2 * daytab_day_bytes(48));
    /* a removed day's memory is used again for the next of its size */
    daytab_remove(&t, a);
    assert_int_equal(t.bytes, daytab_day_bytes(48));
    struct day *again = daytab_open(&t, 5, 9, 48, 1);
    assert_ptr_equal(again, a);
    assert_int_equal(again->nset, 0);
    assert_int_equal(again->set[0], 0);
    daytab_free(&t);
}

static void test_removal_keeps_every_other_day_findable(void **state)
{
    (void)state;
    struct daytab t;
    /* a small budget: 64 hash slots, and more days than that make it grow */
    assert_int_equal(daytab_init(&t, daytab_day_bytes(24)), 0);
    enum { N = 500 };
    for (int i = 0; i < N; i++)
        assert_non_null(daytab_open(&t, (uint32_t)(i % 37), 19000 + i / 37, 24, i));
    assert_int_equal(t.n, N);
    /* every third day goes: probe chains that ran through them must still be whole */
    for (int i = 0; i < N; i += 3)
        daytab_remove(&t, daytab_find(&t, (uint32_t)(i % 37), 19000 + i / 37));
    for (int i = 0; i < N; i++) {
        struct day *d = daytab_find(&t, (uint32_t)(i % 37), 19000 + i / 37);
        if (i % 3 == 0) {
            assert_null(d);
        } else {
            assert_non_null(d);
            assert_int_equal(d->first_line, i);
        }
    }
    assert_int_equal(t.n, N - (N + 2) / 3);
    daytab_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_day_put_names_the_earlier_value_and_line),
        cmocka_unit_test(test_least_recently_used_day_is_the_oldest),
        cmocka_unit_test(test_the_budget_counts_days_by_size_class),
        cmocka_unit_test(test_removal_keeps_every_other_day_findable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
