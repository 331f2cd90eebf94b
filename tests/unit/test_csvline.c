/* Line splitting with libcsv: quotes, padding, BOM, CRLF and what is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "backend/csvline.h"

static void test_splits_padded_and_quoted_fields(void **state)
{
    (void)state;
    struct csvline cl;
    assert_int_equal(csvline_init(&cl, ','), 0);
    const char *line = "MAC000002,2012-10-12 00:30:00.0000000, 0 ,\"a,b\",";
    assert_int_equal(csvline_split(&cl, line, strlen(line), NULL), 5);
    assert_string_equal(cl.fields[0], "MAC000002");
    assert_string_equal(cl.fields[2], "0");
    assert_string_equal(cl.fields[3], "a,b");
    assert_string_equal(cl.fields[4], "");
    csvline_free(&cl);
}

static void test_reports_unclosed_quote_and_recovers(void **state)
{
    (void)state;
    struct csvline cl;
    const char *why = NULL;
    assert_int_equal(csvline_init(&cl, ','), 0);
    assert_int_equal(csvline_split(&cl, "a,\"b", 4, &why), -1);
    assert_non_null(why);
    assert_int_equal(csvline_split(&cl, "x,y", 3, &why), 2);
    assert_string_equal(cl.fields[1], "y");
    csvline_free(&cl);
}

static void test_trims_bom_and_cr(void **state)
{
    (void)state;
    const char *line = "\xEF\xBB\xBF" "a,b\r";
    size_t n = csvline_trim(&line, strlen(line), 1);
    assert_int_equal(n, 3);
    assert_memory_equal(line, "a,b", 3);
}

static void test_utf8_validation_names_column(void **state)
{
    (void)state;
    int col = 0;
    assert_true(utf8_valid("caf\xC3\xA9", 5, &col));
    assert_false(utf8_valid("abc\xFFz", 5, &col));
    assert_int_equal(col, 4);
    assert_false(utf8_valid("ab\xC3", 3, &col)); /* truncated sequence */
    assert_int_equal(col, 3);
    assert_false(utf8_valid("\xC0\xAF", 2, &col)); /* overlong */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_splits_padded_and_quoted_fields),
        cmocka_unit_test(test_reports_unclosed_quote_and_recovers),
        cmocka_unit_test(test_trims_bom_and_cr),
        cmocka_unit_test(test_utf8_validation_names_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
