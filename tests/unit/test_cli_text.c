/* cli/text.c: bar scaling, display width (backend/textwidth.c, shared with the console),
 * fitting, wrapping and the ASCII fallback used by `meterops customer`. Widths are the
 * locale's, so the program runs in C.UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli/text.h"

#define FULL "\xe2\x96\x88"
#define HALF "\xe2\x96\x8c"    /* U+258C, four eighths */
#define EIGHTH "\xe2\x96\x8f"  /* U+258F */
#define SEVEN8 "\xe2\x96\x89"  /* U+2589 */

/* bar_draw into a roomy buffer draws `want` in `columns` columns. */
static void assert_bar(double value, double max, int width, int unicode, int columns,
                       const char *want)
{
    char buf[256];
    assert_int_equal(bar_draw(buf, sizeof buf, value, max, width, unicode), columns);
    assert_string_equal(buf, want);
}

/* text_fit into a 64-byte buffer gives `want`. */
static void assert_fit(const char *s, int width, int unicode, const char *want)
{
    char buf[64];
    text_fit(buf, sizeof buf, s, width, unicode);
    assert_string_equal(buf, want);
}

/* text_terminal into a 64-byte buffer gives `want`. */
static void assert_terminal(const char *s, int unicode, const char *want)
{
    char buf[64];
    text_terminal(buf, sizeof buf, s, unicode);
    assert_string_equal(buf, want);
}

static void test_bar_max_fills_width(void **state)
{
    (void)state;
    assert_bar(9.812, 9.812, 4, 1, 4, FULL FULL FULL FULL);
    assert_bar(12.0, 10.0, 3, 0, 3, "###");
}

static void test_bar_half_of_max_is_half_the_width(void **state)
{
    (void)state;
    /* 5 of 10 over 5 columns: 2.5 columns = two full blocks and a half block. */
    assert_bar(5, 10, 5, 1, 3, FULL FULL HALF);
    /* ASCII rounds to whole columns: 2.5 -> 3. */
    assert_bar(5, 10, 5, 0, 3, "###");
}

static void test_bar_rounds_to_nearest_eighth(void **state)
{
    (void)state;
    /* 0.99 of one column = 7.92 eighths -> 8 = one full block. */
    assert_bar(0.99, 1, 1, 1, 1, FULL);
    char buf[256];
    /* 0.9 = 7.2 eighths -> 7. */
    bar_draw(buf, sizeof buf, 0.9, 1, 1, 1);
    assert_string_equal(buf, SEVEN8);
}

static void test_bar_tiny_value_still_shows(void **state)
{
    (void)state;
    assert_bar(0.001, 100, 32, 1, 1, EIGHTH);
    assert_bar(0.001, 100, 32, 0, 1, "#");
}

static void test_bar_zero_or_no_max_draws_nothing(void **state)
{
    (void)state;
    assert_bar(0, 10, 32, 1, 0, "");
    char buf[256];
    assert_int_equal(bar_draw(buf, sizeof buf, 3, 0, 32, 1), 0);
    assert_int_equal(bar_draw(buf, sizeof buf, -1, 10, 32, 1), 0);
}

static void test_bar_stops_at_buffer_end(void **state)
{
    (void)state;
    char buf[8]; /* room for two blocks and the NUL */
    assert_int_equal(bar_draw(buf, sizeof buf, 1, 1, 32, 1), 2);
    assert_string_equal(buf, FULL FULL);
}

static void test_width_counts_columns_not_bytes(void **state)
{
    (void)state;
    assert_int_equal(text_width("Ren\xc3\xa9" "e"), 5);             /* é precomposed */
    assert_int_equal(text_width("Rene\xcc\x81" "e"), 5);            /* e + combining acute */
    assert_int_equal(text_width("\xe5\xb1\xb1\xe7\x94\xb0"), 4);   /* two CJK characters */
    assert_int_equal(text_width("\xc2\xa3" "2.41"), 5);
    assert_int_equal(text_width("a\xff" "b"), 3);                  /* invalid byte: one column */
}

static void test_width_is_what_the_terminal_draws(void **state)
{
    (void)state;
    /* The widths curses and the terminal use (wcwidth), also where the customer command's
     * old table of ranges was short: emoji outside 1F300-1F64F, marks of other scripts. */
    assert_int_equal(text_width("\xf0\x9f\x9a\x80"), 2);           /* U+1F680 rocket */
    assert_int_equal(text_width("\xd7\xa9\xd7\x81"), 1);           /* shin + shin dot (U+05C1) */
    assert_int_equal(text_width("a\tb"), 3);                         /* a tab is drawn as one space */
    assert_int_equal(text_width("a\x1b" "b"), 6);                    /* a control character is its escape, \x1B */
    assert_int_equal(text_width("a\n" "b"), 4);                      /* \n */
}

static void test_fit_pads_and_cuts_with_ellipsis(void **state)
{
    (void)state;
    assert_fit("gas", 6, 1, "gas   ");
    char buf[64];
    text_fit(buf, sizeof buf, "Standard Variable", 8, 1);
    assert_string_equal(buf, "Standar\xe2\x80\xa6");
    assert_int_equal(text_width(buf), 8);
    assert_fit("Standard Variable", 8, 0, "Standar~");
    assert_fit("Ren\xc3\xa9" "e", 5, 1, "Ren\xc3\xa9" "e");
    /* A wide character that does not fit is not split: the column is padded instead. */
    text_fit(buf, sizeof buf, "\xe5\xb1\xb1\xe7\x94\xb0\xe5\xb1\xb1", 4, 1);
    assert_string_equal(buf, "\xe5\xb1\xb1\xe2\x80\xa6 ");
    assert_int_equal(text_width(buf), 4);
}

static void test_wrap_breaks_at_last_space_that_fits(void **state)
{
    (void)state;
    const char *s = "Most expensive day: Sunday 21 January";
    assert_int_equal(text_wrap(s, 20), strlen("Most expensive day:"));
    assert_int_equal(text_wrap(s, 80), strlen(s));
    /* A word longer than the line is cut. */
    assert_int_equal(text_wrap("abcdefghij", 4), 4);
    /* The space right at the width ends the line there. */
    assert_int_equal(text_wrap("abcd efgh", 4), 4);
    /* Multibyte characters count as one column each. */
    assert_int_equal(text_wrap("\xc2\xa3" "1 \xc2\xa3" "2", 3), strlen("\xc2\xa3" "1"));
}

static void test_ascii_fallback_spells_pounds(void **state)
{
    (void)state;
    assert_terminal("costing \xc2\xa3" "2.41, Ren\xc3\xa9" "e", 0, "costing GBP2.41, Ren?e");
    assert_terminal("bad \xc3 byte", 0, "bad ? byte");
    char small[6];
    text_terminal(small, sizeof small, "\xc2\xa3\xc2\xa3", 0);
    assert_string_equal(small, "GBP");
}

static void test_terminal_text_keeps_utf8_and_escapes_controls(void **state)
{
    (void)state;
    assert_terminal("\xc2\xa3" "2.41 Ren\xc3\xa9" "e", 1, "\xc2\xa3" "2.41 Ren\xc3\xa9" "e");
    /* ESC [ 2 J would clear the screen; CSI as the C1 character U+009B likewise. */
    assert_terminal("Eve\x1b[2J\xc2\x9b" "1m\x7f\tx", 1, "Eve\\x1B[2J\\xC2\\x9B1m\\x7F\\tx");
    assert_terminal("bad \xc3 byte", 1, "bad ? byte");
    /* Cut at a character boundary: no half of a two-byte character. */
    char small[4];
    text_terminal(small, sizeof small, "ab\xc3\xa9", 1);
    assert_string_equal(small, "ab");
}

static void test_utf8_decode_rejects_invalid_forms(void **state)
{
    (void)state;
    uint32_t cp = 0;
    assert_int_equal(utf8_decode("\xc2\xa3", &cp), 2);
    assert_int_equal(cp, 0xA3);
    assert_int_equal(utf8_decode("\xf0\x9f\x94\x8c", &cp), 4);
    assert_int_equal(cp, 0x1F50C);
    assert_int_equal(utf8_decode("\xc0\xaf", &cp), 0);         /* overlong '/' */
    assert_int_equal(utf8_decode("\xed\xa0\x80", &cp), 0);     /* surrogate */
    assert_int_equal(utf8_decode("\xf4\x90\x80\x80", &cp), 0); /* above U+10FFFF */
    assert_int_equal(utf8_decode("\x80", &cp), 0);             /* stray continuation */
    assert_int_equal(utf8_decode("\xe2\x82", &cp), 0);         /* truncated at the end */
}

int main(void)
{
    if (!setlocale(LC_CTYPE, "C.UTF-8")) {
        fprintf(stderr, "test_cli_text: the C.UTF-8 locale is missing\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bar_max_fills_width),
        cmocka_unit_test(test_bar_half_of_max_is_half_the_width),
        cmocka_unit_test(test_bar_rounds_to_nearest_eighth),
        cmocka_unit_test(test_bar_tiny_value_still_shows),
        cmocka_unit_test(test_bar_zero_or_no_max_draws_nothing),
        cmocka_unit_test(test_bar_stops_at_buffer_end),
        cmocka_unit_test(test_width_counts_columns_not_bytes),
        cmocka_unit_test(test_width_is_what_the_terminal_draws),
        cmocka_unit_test(test_fit_pads_and_cuts_with_ellipsis),
        cmocka_unit_test(test_wrap_breaks_at_last_space_that_fits),
        cmocka_unit_test(test_ascii_fallback_spells_pounds),
        cmocka_unit_test(test_terminal_text_keeps_utf8_and_escapes_controls),
        cmocka_unit_test(test_utf8_decode_rejects_invalid_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
