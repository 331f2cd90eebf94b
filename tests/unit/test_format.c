/* The console's and `meterops status`'s number, size, duration, ETA and progress-bar
 * formatting, and the loading-file progress arithmetic behind the bar and the ETA. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "backend/fetch_dashboard.h"
#include "backend/err.h"
#include "backend/textfmt.h"

/* A value and how a formatter must show it (in a 32-byte buffer). */
struct shown {
    int64_t value;
    const char *text;
};

static void assert_shown(const char *(*fmt)(char *, size_t, int64_t), const struct shown *cases,
                         size_t n)
{
    char b[32];
    for (size_t i = 0; i < n; i++)
        assert_string_equal(fmt(b, sizeof b, cases[i].value), cases[i].text);
}
#define ASSERT_SHOWN(fmt, cases) assert_shown(fmt, cases, sizeof cases / sizeof cases[0])

static void test_counts_get_thousands_separators(void **state)
{
    (void)state;
    static const struct shown cases[] = {
        { 0, "0" }, { 999, "999" }, { 1000, "1,000" }, { 1234567, "1,234,567" },
        { -9597, "-9,597" }, { INT64_MAX, "9,223,372,036,854,775,807" },
    };
    ASSERT_SHOWN(fmt_count, cases);
    char small[6];
    assert_string_equal(fmt_count(small, sizeof small, 1234567), "1,234");
}

static void test_si_fits_narrow_columns(void **state)
{
    (void)state;
    char b[16];
    assert_string_equal(fmt_si(b, sizeof b, 950), "950");
    assert_string_equal(fmt_si(b, sizeof b, 4800), "4.80k");
    assert_string_equal(fmt_si(b, sizeof b, 21000), "21.0k");
    assert_string_equal(fmt_si(b, sizeof b, 999999), "1.00M");
    assert_string_equal(fmt_si(b, sizeof b, 168000000), "168M");
    assert_string_equal(fmt_si(b, sizeof b, 18.8e6), "18.8M");
}

static void test_bytes_like_pg_size_pretty(void **state)
{
    (void)state;
    static const struct shown cases[] = {
        { 512, "512 bytes" }, { 8400, "8.2 kB" }, { 8551783, "8.2 MB" },
        { 600LL << 30, "600 GB" }, { 7LL << 40, "7.0 TB" },
    };
    ASSERT_SHOWN(fmt_bytes, cases);
}

static void test_durations_are_compact(void **state)
{
    (void)state;
    static const struct shown cases[] = {
        { -1, "-" }, { 42, "42s" }, { 242, "4m02s" }, { 3720, "1h02m" }, { 273600, "3d04h" },
    };
    ASSERT_SHOWN(fmt_duration, cases);
}

static void test_eta_is_a_clock_or_unknown(void **state)
{
    (void)state;
    static const struct shown cases[] = {
        { -1, "--:--" }, { 0, "0:00" }, { 42, "0:42" }, { 725, "12:05" }, { 3723, "1:02:03" },
    };
    ASSERT_SHOWN(fmt_eta, cases);
}

static void test_bar_uses_eighth_blocks(void **state)
{
    (void)state;
    char b[128];
    /* 10 cells at 44%: 4 full, 3.2 eighths rounds to 3 -> U+258D, 5 shaded */
    assert_string_equal(fmt_bar(b, sizeof b, 10, 0.44, true),
                        "\u2588\u2588\u2588\u2588\u258d\u2591\u2591\u2591\u2591\u2591");
    assert_string_equal(fmt_bar(b, sizeof b, 4, 0, true), "\u2591\u2591\u2591\u2591");
    assert_string_equal(fmt_bar(b, sizeof b, 4, 1, true), "\u2588\u2588\u2588\u2588");
    assert_string_equal(fmt_bar(b, sizeof b, 4, 7.5, true), "\u2588\u2588\u2588\u2588"); /* clamped */
}

static void test_bar_ascii_fallback(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(fmt_bar(b, sizeof b, 10, 0.44, false), "####......");
    assert_string_equal(fmt_bar(b, sizeof b, 10, 0.46, false), "#####.....");
    assert_string_equal(fmt_bar(b, sizeof b, 5, -3, false), ".....");
    assert_int_equal(strlen(fmt_bar(b, sizeof b, 20, 0.5, false)), 20);
}

static void test_loading_progress_and_eta(void **state)
{
    (void)state;
    struct dash_loading l = { .progress_rows = 21000, .rows_estimate = 48000, .elapsed_s = 70 };
    assert_true(dash_loading_fraction(&l) > 0.4374 && dash_loading_fraction(&l) < 0.4376);
    assert_true(dash_loading_rate(&l) == 300.0);
    assert_int_equal(dash_loading_eta_s(&l), 90); /* 27000 rows left at 300 rows/s */
    l.rows_estimate = -1;
    assert_true(dash_loading_fraction(&l) < 0);
    assert_int_equal(dash_loading_eta_s(&l), -1);
    l.rows_estimate = 48000;
    l.elapsed_s = 0; /* just started: no rate yet */
    assert_int_equal(dash_loading_eta_s(&l), -1);
    l.elapsed_s = 10;
    l.progress_rows = 50000; /* the estimate was short */
    assert_true(dash_loading_fraction(&l) == 1.0);
    assert_int_equal(dash_loading_eta_s(&l), 0);
}

static void test_visible_escapes_controls_and_keeps_the_rest(void **state)
{
    (void)state;
    char buf[64];
    const char *plain = "/in/caf\xc3\xa9 #1.csv";
    assert_ptr_equal(fmt_visible(buf, sizeof buf, plain), plain); /* nothing to do: s itself */
    assert_string_equal(fmt_visible(buf, sizeof buf, "a\nb: loaded (file 9)"), "a\\nb: loaded (file 9)");
    assert_string_equal(fmt_visible(buf, sizeof buf, "x\033[2Jy\r\t\x7f"), "x\\x1B[2Jy\\r\\t\\x7F");
    assert_string_equal(fmt_visible(buf, sizeof buf, "c1 \xc2\x9b" "31m"), "c1 \\xC2\\x9B31m");
    char small[8];
    assert_string_equal(fmt_visible(small, sizeof small, "ab\ncdef"), "ab\\ncde"); /* cut to 7 bytes and the NUL */
    assert_string_equal(fmt_visible(small, 4, "a\x01"), "a"); /* "\x01" does not fit after a */
}

static void test_control_is_the_escape_visible_writes(void **state)
{
    (void)state;
    char esc[9];
    size_t n = 0;
    assert_string_equal(fmt_control("\033[2J", &n, esc), "\\x1B");
    assert_int_equal(n, 1);
    assert_string_equal(fmt_control("\n", &n, esc), "\\n");
    assert_string_equal(fmt_control("\xc2\x85", &n, esc), "\\xC2\\x85");
    assert_int_equal(n, 2);
    assert_null(fmt_control("a", &n, esc));
    assert_null(fmt_control("\xc3\xa9", &n, esc)); /* e-acute is text */
    assert_null(fmt_control("", &n, esc));
}

static void test_error_messages_are_stored_escaped(void **state)
{
    (void)state;
    struct mo_err err;
    /* a message quoting a file's name or bytes is one line, without a control character */
    mo_err_at(&err, "/in/a.csv", 3, 2, "value_syntax", "kwh '%s' is not a number", "0.5\033[2J\nok");
    assert_string_equal(err.message, "kwh '0.5\\x1B[2J\\nok' is not a number");
    char line[600];
    mo_err_format(&err, line, sizeof line);
    assert_string_equal(line, "/in/a.csv:3:2: kwh '0.5\\x1B[2J\\nok' is not a number [value_syntax]");
    mo_err_at(&err, "/in/a\nb.csv", 0, 0, "file_changed", "%s", "plain");
    assert_string_equal(err.message, "plain");
    mo_err_format(&err, line, sizeof line);
    assert_string_equal(line, "/in/a\\nb.csv: plain [file_changed]"); /* the name escaped too */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_visible_escapes_controls_and_keeps_the_rest),
        cmocka_unit_test(test_control_is_the_escape_visible_writes),
        cmocka_unit_test(test_error_messages_are_stored_escaped),
        cmocka_unit_test(test_counts_get_thousands_separators),
        cmocka_unit_test(test_si_fits_narrow_columns),
        cmocka_unit_test(test_bytes_like_pg_size_pretty),
        cmocka_unit_test(test_durations_are_compact),
        cmocka_unit_test(test_eta_is_a_clock_or_unknown),
        cmocka_unit_test(test_bar_uses_eighth_blocks),
        cmocka_unit_test(test_bar_ascii_fallback),
        cmocka_unit_test(test_loading_progress_and_eta),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
