/* Registry-aware checks: alignment, the future, scaled range, the meter table, and the
 * open meter-days that find duplicates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "backend/daytab.h"
#include "backend/halfhour.h"
#include "backend/meters.h"
#include "backend/validate.h"

static void test_alignment_follows_the_meters_interval(void **state)
{
    (void)state;
    int64_t day = days_from_civil(2024, 6, 1) * 86400;
    assert_true(validate_aligned(day + 45 * 60, 15));
    assert_false(validate_aligned(day + 50 * 60, 15));
    assert_true(validate_aligned(day + 30 * 60, 30));
    assert_false(validate_aligned(day + 15 * 60, 30));
    assert_false(validate_aligned(day + 30 * 60 + 1, 30));
    assert_true(validate_aligned(day + 23 * 3600, 60));
    assert_false(validate_aligned(day + 30 * 60, 60));
    /* before 1970 too */
    assert_true(validate_aligned(-1800, 30));
    assert_false(validate_aligned(-900, 30));
}

static void test_future_means_the_interval_has_not_ended(void **state)
{
    (void)state;
    int64_t now = 1717200000; /* 2024-06-01T00:00:00Z */
    assert_true(validate_not_future(now - 1800, 30, now));
    assert_false(validate_not_future(now - 1799, 30, now));
    assert_false(validate_not_future(now - 1800, 60, now));
}

/* The date window (issue 15): --not-before, default 2000-01-01, never before 1970; the
 * check takes the floor as given and the end as check 8 always did. */
static void test_date_window(void **state)
{
    (void)state;
    int64_t y2000 = days_from_civil(2000, 1, 1) * 86400, now = 1717200000;
    assert_int_equal(validate_floor(NULL), y2000);
    assert_int_equal(validate_floor("2000-01-01"), y2000);
    assert_int_equal(validate_floor("1970-01-01"), 0);
    assert_int_equal(validate_floor("1990-06-15"), days_from_civil(1990, 6, 15) * 86400);
    assert_int_equal(validate_floor("1969-12-31"), -1);
    assert_int_equal(validate_floor("0000-01-01"), -1);
    assert_int_equal(validate_floor("2024-02-30"), -1);
    assert_int_equal(validate_floor("2024-1-1"), -1);
    assert_int_equal(validate_floor(""), -1);
    assert_true(validate_in_window(y2000, 30, y2000, now));
    assert_false(validate_in_window(y2000 - 1800, 30, y2000, now));   /* 1999-12-31 23:30 */
    assert_false(validate_in_window(days_from_civil(0, 1, 1) * 86400, 30, y2000, now));
    assert_true(validate_in_window(now - 1800, 30, y2000, now));
    assert_false(validate_in_window(now - 1799, 30, y2000, now));
}

static void test_fuel_rule_matches_the_identifier_rule(void **state)
{
    (void)state;
    assert_string_equal(validate_fuel("018011002700003645222", 21), "elec");
    assert_null(validate_fuel("20012345678", 11));     /* 11 digits, not an Irish MPRN */
    assert_null(validate_fuel("0123456789", 10));      /* a zero-padded gas MPRN */
    assert_null(validate_fuel("2700003645223", 13));   /* check digit */
}

static void test_range_scales_with_the_interval(void **state)
{
    (void)state;
    assert_true(validate_in_range(50000, 30));
    assert_false(validate_in_range(50001, 30));
    assert_true(validate_in_range(25000, 15));
    assert_false(validate_in_range(25001, 15));
    assert_false(validate_in_range(-1, 60));
}

static void test_meter_table_finds_every_id(void **state)
{
    (void)state;
    struct meter_table t;
    meters_init(&t);
    char id[32];
    for (int i = 0; i < 20000; i++) {
        snprintf(id, sizeof id, "%013d", i * 7919);
        assert_int_equal(meters_add(&t, id, 13, 1000 + i, i % 3 ? 30 : 15), i);
    }
    for (int i = 0; i < 20000; i++) {
        snprintf(id, sizeof id, "%013d", i * 7919);
        long k = meters_find(&t, id, 13);
        assert_int_equal(k, i);
        assert_int_equal(meters_id(&t, (size_t)k), 1000 + i);
        assert_int_equal(meters_interval(&t, (size_t)k), i % 3 ? 30 : 15);
    }
    assert_int_equal(meters_find(&t, "0000000000001", 13), -1);
    assert_int_equal(meters_find(&t, "0000000000000", 12), -1); /* a prefix is another id */
    /* an id beyond 32 bits widens the table; every id reads back the same */
    meters_shrink(&t);
    assert_int_equal(meters_add(&t, "9999999999999", 13, INT64_C(5000000000), 60), 20000);
    assert_int_equal(meters_id(&t, 20000), INT64_C(5000000000));
    assert_int_equal(meters_id(&t, 7), 1007);
    assert_int_equal(meters_find(&t, "9999999999999", 13), 20000);
    meters_free(&t);
}

static void test_fuel_of_new_meters(void **state)
{
    (void)state;
    assert_string_equal(validate_fuel("2700003645222", 13), "elec");
    assert_string_equal(validate_fuel("1234567890", 10), "gas");
    assert_string_equal(validate_fuel("10012345678", 11), "elec");
    assert_null(validate_fuel("MAC000002", 9));
    assert_null(validate_fuel("XXXX", 4));
}

static void test_duplicates_name_the_earlier_line(void **state)
{
    (void)state;
    struct daytab t;
    assert_int_equal(daytab_init(&t, 1 << 20), 0);
    struct day *d = daytab_open(&t, 3, 19875, 48, 10);
    assert_non_null(d);
    int32_t ow;
    int64_t ol;
    assert_int_equal(day_put(d, 5, 215, 'A', 10, &ow, &ol), 0);
    assert_int_equal(day_put(d, 6, 100, 'E', 12, &ow, &ol), 0);
    /* the same interval again: identical or not, the earlier line is reported and kept */
    assert_int_equal(day_put(d, 5, 215, 'A', 40, &ow, &ol), 1);
    assert_int_equal(ow, 215);
    assert_int_equal(ol, 10);
    assert_int_equal(day_put(d, 6, 999, 'A', 41, &ow, &ol), 1);
    assert_int_equal(ow, 100);
    assert_int_equal(ol, 12);
    assert_int_equal(d->v[6], 100);
    assert_int_equal(d->nset, 2);
    assert_true(day_has(d, 6));
    assert_false(day_has(d, 7));
    assert_true(d->est[0] & (1u << 6));
    assert_ptr_equal(daytab_find(&t, 3, 19875), d);
    assert_null(daytab_find(&t, 3, 19876));
    assert_null(daytab_find(&t, 4, 19875));
    daytab_free(&t);
}

static void test_budget_and_least_recently_used_order(void **state)
{
    (void)state;
    struct daytab t;
    assert_int_equal(daytab_init(&t, 3 * daytab_day_bytes(48)), 0);
    struct day *a = daytab_open(&t, 1, 100, 48, 1);
    struct day *b = daytab_open(&t, 2, 100, 48, 2);
    struct day *c = daytab_open(&t, 3, 100, 48, 3);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    assert_true(daytab_full(&t, 48));
    assert_ptr_equal(daytab_oldest(&t), a);
    daytab_touch(&t, a);
    assert_ptr_equal(daytab_oldest(&t), b);
    daytab_remove(&t, b);
    assert_false(daytab_full(&t, 48));
    assert_ptr_equal(daytab_oldest(&t), c);
    assert_null(daytab_find(&t, 2, 100));
    assert_ptr_equal(daytab_find(&t, 1, 100), a);
    daytab_free(&t);
}

/* Many opens and removals in a small hash: every remaining day is still found. */
static void test_removal_keeps_every_day_findable(void **state)
{
    (void)state;
    struct daytab t;
    assert_int_equal(daytab_init(&t, 64 << 20), 0);
    enum { N = 5000 };
    struct day *days[N];
    for (int i = 0; i < N; i++) {
        days[i] = daytab_open(&t, (uint32_t)(i % 97), 19000 + i / 97, 48, i);
        assert_non_null(days[i]);
    }
    for (int i = 0; i < N; i += 3)
        daytab_remove(&t, days[i]);
    for (int i = 0; i < N; i++) {
        struct day *d = daytab_find(&t, (uint32_t)(i % 97), 19000 + i / 97);
        if (i % 3 == 0)
            assert_null(d);
        else
            assert_ptr_equal(d, days[i]);
    }
    daytab_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alignment_follows_the_meters_interval),
        cmocka_unit_test(test_future_means_the_interval_has_not_ended),
        cmocka_unit_test(test_date_window),
        cmocka_unit_test(test_fuel_rule_matches_the_identifier_rule),
        cmocka_unit_test(test_range_scales_with_the_interval),
        cmocka_unit_test(test_meter_table_finds_every_id),
        cmocka_unit_test(test_fuel_of_new_meters),
        cmocka_unit_test(test_duplicates_name_the_earlier_line),
        cmocka_unit_test(test_budget_and_least_recently_used_order),
        cmocka_unit_test(test_removal_keeps_every_day_findable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
