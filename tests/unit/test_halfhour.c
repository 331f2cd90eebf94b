/* Civil dates, ISO and ESB timestamps, and the UK/IE clock changes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "backend/halfhour.h"

static int64_t parse(const char *s, int need_zone, int *col)
{
    int64_t t = 0;
    *col = 0;
    if (ts_parse(s, strlen(s), need_zone, &t, col) < 0)
        return INT64_MIN;
    return t;
}

static void test_civil_round_trip(void **state)
{
    (void)state;
    for (int64_t d = -800000; d < 800000; d += 37) {
        int y, m, dd;
        civil_from_days(d, &y, &m, &dd);
        assert_int_equal(days_from_civil(y, m, dd), d);
    }
    assert_int_equal(days_from_civil(1970, 1, 1), 0);
    assert_int_equal(days_from_civil(2024, 2, 29), 19782);
}

static void test_parses_zulu_and_offsets(void **state)
{
    (void)state;
    int col;
    assert_int_equal(parse("2024-06-01T00:00:00Z", 1, &col), 1717200000);
    assert_int_equal(parse("2024-06-01T01:00:00+01:00", 1, &col), 1717200000);
    assert_int_equal(parse("2024-06-01T01:00+0100", 1, &col), 1717200000);
    assert_int_equal(parse("2024-05-31T19:00:00-05", 1, &col), 1717200000);
    assert_int_equal(parse("2012-10-12 00:30:00.0000000", 0, &col), 1350001800);
}

static void test_rejects_bad_stamps_with_column(void **state)
{
    (void)state;
    int col;
    assert_true(parse("2024-06-01T00:00:00", 1, &col) == INT64_MIN);
    assert_int_equal(col, 20); /* zone missing at the end */
    assert_true(parse("2024-02-30T00:00:00Z", 1, &col) == INT64_MIN);
    assert_int_equal(col, 9);
    assert_true(parse("2024-06-01T24:00:00Z", 1, &col) == INT64_MIN);
    assert_int_equal(col, 12);
    assert_true(parse("2024-06-01T00:00:00.5Z", 1, &col) == INT64_MIN);
    assert_true(parse("2024/06/01T00:00:00Z", 1, &col) == INT64_MIN);
    assert_int_equal(col, 5);
    assert_true(parse("", 1, &col) == INT64_MIN);
}

static void test_uk_clock_changes(void **state)
{
    (void)state;
    /* 2023: BST from 26 March 01:00Z to 29 October 01:00Z. */
    int64_t spring = days_from_civil(2023, 3, 26) * 86400 + 3600;
    int64_t autumn = days_from_civil(2023, 10, 29) * 86400 + 3600;
    assert_int_equal(uk_utc_offset(spring - 1), 0);
    assert_int_equal(uk_utc_offset(spring), 3600);
    assert_int_equal(uk_utc_offset(autumn - 1), 3600);
    assert_int_equal(uk_utc_offset(autumn), 0);
}

static void test_local_times_in_gap_and_overlap(void **state)
{
    (void)state;
    int64_t utc;
    int amb;
    int64_t gap = days_from_civil(2023, 3, 26) * 86400 + 3600 + 1800; /* 01:30 local does not exist */
    assert_int_equal(uk_local_to_utc(gap, &utc, &amb), -1);
    int64_t twice = days_from_civil(2023, 10, 29) * 86400 + 3600; /* 01:00 local happens twice */
    assert_int_equal(uk_local_to_utc(twice, &utc, &amb), 0);
    assert_true(amb);
    assert_int_equal(utc, twice - 3600);
    int64_t plain = days_from_civil(2023, 7, 1) * 86400 + 12 * 3600;
    assert_int_equal(uk_local_to_utc(plain, &utc, &amb), 0);
    assert_false(amb);
    assert_int_equal(utc, plain - 3600);
}

static void test_parses_esb_dmy(void **state)
{
    (void)state;
    int64_t t;
    int col;
    assert_int_equal(ts_parse_dmy("29-10-2023 01:30", 16, &t, &col), 0);
    assert_int_equal(t, days_from_civil(2023, 10, 29) * 86400 + 5400);
    assert_int_equal(ts_parse_dmy("29/10/2023 01:30", 16, &t, &col), 0);
    assert_int_equal(ts_parse_dmy("31-02-2023 01:30", 16, &t, &col), -1);
}

static void test_formats_utc(void **state)
{
    (void)state;
    char buf[32];
    ts_format_utc(1717200000 + 1800, buf);
    assert_string_equal(buf, "2024-06-01T00:30:00Z");
    date_format(19782, buf);
    assert_string_equal(buf, "2024-02-29");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_civil_round_trip),
        cmocka_unit_test(test_parses_zulu_and_offsets),
        cmocka_unit_test(test_rejects_bad_stamps_with_column),
        cmocka_unit_test(test_uk_clock_changes),
        cmocka_unit_test(test_local_times_in_gap_and_overlap),
        cmocka_unit_test(test_parses_esb_dmy),
        cmocka_unit_test(test_formats_utc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
