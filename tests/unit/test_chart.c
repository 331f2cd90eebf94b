/* The Customer view's chart arithmetic (ui/chart.c): levels, bar glyphs, local days. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ui/chart.h"

static void test_levels_split_max_in_quarters(void **state)
{
    (void)state;
    assert_int_equal(chart_level(0, 100), 0);
    assert_int_equal(chart_level(-3, 100), 0);     /* nothing, never a level */
    assert_int_equal(chart_level(1, 100), 1);      /* the least use shows */
    assert_int_equal(chart_level(24.9, 100), 1);
    assert_int_equal(chart_level(25, 100), 2);
    assert_int_equal(chart_level(50, 100), 3);
    assert_int_equal(chart_level(75, 100), 4);
    assert_int_equal(chart_level(100, 100), 4);
    assert_int_equal(chart_level(250, 100), 4);
    assert_int_equal(chart_level(5, 0), 0);        /* a week of nothing */
}

static void test_heat_glyphs_utf8_and_ascii(void **state)
{
    (void)state;
    assert_string_equal(chart_heat_glyph(4, true), "\u2588");
    assert_string_equal(chart_heat_glyph(1, true), "\u2591");
    assert_string_equal(chart_heat_glyph(0, false), ".");
    assert_string_equal(chart_heat_glyph(4, false), "@");
    assert_string_equal(chart_heat_glyph(-1, false), " "); /* missing: a gap */
}

static void test_vertical_bar_to_the_eighth(void **state)
{
    (void)state;
    /* 5 rows = 40 eighths; 0.5 of max = 20 eighths: rows 0,1 full, row 2 half, row 3 none */
    assert_string_equal(chart_bar_glyph(5, 10, 5, 0, true), "\u2588");
    assert_string_equal(chart_bar_glyph(5, 10, 5, 1, true), "\u2588");
    assert_string_equal(chart_bar_glyph(5, 10, 5, 2, true), "\u2584");
    assert_string_equal(chart_bar_glyph(5, 10, 5, 3, true), " ");
    assert_string_equal(chart_bar_glyph(5, 10, 5, 2, false), ".");
    assert_string_equal(chart_bar_glyph(5, 10, 5, 1, false), "#");
    assert_string_equal(chart_bar_glyph(0.001, 10, 5, 0, true), "\u2581"); /* tiny still shows */
    assert_string_equal(chart_bar_glyph(0, 10, 5, 0, true), " ");
    assert_int_equal(chart_bar_eighths(10, 10, 4), 32);
    assert_int_equal(chart_bar_eighths(30, 10, 4), 32);
}

static void test_hbar(void **state)
{
    (void)state;
    char b[64];
    chart_hbar(3, 8, 8, false, b, sizeof b);
    assert_string_equal(b, "###");
    chart_hbar(2.5, 10, 2, true, b, sizeof b); /* 4 of 16 eighths: a half block */
    assert_string_equal(b, "\u258c");
}

static void test_days_and_weeks(void **state)
{
    (void)state;
    long d = chart_day_parse("2024-03-31");
    char b[16];
    assert_true(d > 0);
    assert_int_equal(chart_weekday(d), 6); /* the March clock change is a Sunday */
    chart_day_format(chart_week_start(d), b, sizeof b);
    assert_string_equal(b, "2024-03-25");
    assert_int_equal(chart_weekday(chart_day_parse("2024-10-27")), 6);
    assert_int_equal(chart_day_parse("2024-03-01") - chart_day_parse("2024-02-28"), 2); /* leap year */
    assert_int_equal(chart_day_parse("1970-01-01"), 0);
    assert_int_equal(chart_weekday(0), 3);
    assert_int_equal(chart_day_parse("2024-02-30"), -1);
    assert_int_equal(chart_day_parse("2024-3-1"), -1);
    assert_int_equal(chart_day_parse("yesterday"), -1);
    chart_day_format(chart_day_parse("2000-12-31") + 1, b, sizeof b);
    assert_string_equal(b, "2001-01-01");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_levels_split_max_in_quarters),
        cmocka_unit_test(test_heat_glyphs_utf8_and_ascii),
        cmocka_unit_test(test_vertical_bar_to_the_eighth),
        cmocka_unit_test(test_hbar),
        cmocka_unit_test(test_days_and_weeks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
