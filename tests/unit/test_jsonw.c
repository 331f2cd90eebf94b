/* backend/jsonw.c: the string escaper and the writer behind every --json (status and
 * customer): escaping, U+FFFD for invalid UTF-8, numbers from decimal text, and commas,
 * nulls and indentation placed by the writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/jsonw.h"

/* What a writer wrote into a memory stream, as a string the caller frees. */
struct mem {
    char *buf;
    size_t len;
    FILE *f;
};

static void mem_open(struct mem *m)
{
    m->buf = NULL;
    m->len = 0;
    m->f = open_memstream(&m->buf, &m->len);
    assert_non_null(m->f);
}

static char *mem_close(struct mem *m)
{
    fclose(m->f);
    return m->buf;
}

/* s written as a lone JSON string value (NULL as null). */
static char *escaped(const char *s)
{
    struct mem m;
    mem_open(&m);
    struct jsonw w;
    jsonw_init(&w, m.f, 0);
    jsonw_string(&w, s);
    return mem_close(&m);
}

#define assert_escapes(in, want)              \
    do {                                      \
        char *got_ = escaped(in);             \
        assert_string_equal(got_, want);      \
        free(got_);                           \
    } while (0)

static void test_escapes_quote_backslash_and_controls(void **state)
{
    (void)state;
    assert_escapes("Patel & Sons, \"Newsagents\"", "\"Patel & Sons, \\\"Newsagents\\\"\"");
    assert_escapes("C:\\path", "\"C:\\\\path\"");
    assert_escapes("a\nb\rc\td\b\f", "\"a\\nb\\rc\\td\\b\\f\"");
    assert_escapes("bell\x07 esc\x1b us\x1f", "\"bell\\u0007 esc\\u001b us\\u001f\"");
    assert_escapes("", "\"\"");
    assert_escapes(NULL, "null");
}

static void test_json_escapes_quotes_controls_and_bad_utf8(void **state)
{
    (void)state;
    char b[256];
    jsonw_escape("say \"hi\"\\ now", b, sizeof b);
    assert_string_equal(b, "\"say \\\"hi\\\"\\\\ now\"");
    jsonw_escape("a\tb\nc\x01" "d\x7f", b, sizeof b);
    assert_string_equal(b, "\"a\\tb\\nc\\u0001d\\u007f\"");
    jsonw_escape("caf\xc3\xa9 \xe2\x82\xac", b, sizeof b); /* valid UTF-8 passes through */
    assert_string_equal(b, "\"caf\xc3\xa9 \xe2\x82\xac\"");
    jsonw_escape("x\xff" "y\xc3", b, sizeof b); /* invalid bytes become U+FFFD */
    assert_string_equal(b, "\"x\\ufffdy\\ufffd\"");
    jsonw_escape("\xed\xa0\x80", b, sizeof b); /* a UTF-16 surrogate is not UTF-8 */
    assert_string_equal(b, "\"\\ufffd\\ufffd\\ufffd\"");
    char small[5];
    assert_int_equal(jsonw_escape("abcdef", small, sizeof small), 8);
    assert_string_equal(small, "\"abc");
}

static void test_keeps_valid_utf8_as_is(void **state)
{
    (void)state;
    assert_escapes("O'Brien-Sm\xc3\xadth \xc2\xa3" "2.41 \xf0\x9f\x94\x8c",
                   "\"O'Brien-Sm\xc3\xadth \xc2\xa3" "2.41 \xf0\x9f\x94\x8c\"");
    /* '/' needs no escape; DEL is a control character and is escaped like the C0 ones
     * (the customer command's own writer used to pass it through raw). */
    assert_escapes("a/b\x7f", "\"a/b\\u007f\"");
}

static void test_replaces_invalid_utf8(void **state)
{
    (void)state;
    assert_escapes("Ren\xe9" "e", "\"Ren\\ufffde\"");        /* Latin-1 é */
    assert_escapes("\xc0\xaf", "\"\\ufffd\\ufffd\"");          /* overlong */
    assert_escapes("end\xe2\x82", "\"end\\ufffd\\ufffd\"");    /* truncated at the end */
}

static void test_recognises_json_numbers(void **state)
{
    (void)state;
    const char *good[] = { "0", "4.600", "0.000", "-1", "245.37", "1e5", "2.5E-3", "-0.5" };
    const char *bad[] = { "", "-", "01", "1.", ".5", "NaN", "Infinity", "1e", "1.2.3", "+1", " 1", "0x10" };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(jsonw_is_number(good[i]));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(jsonw_is_number(bad[i]));
    assert_false(jsonw_is_number(NULL));
}

static void test_json_writer_places_commas(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct jsonw w;
    jsonw_init(&w, f, 0);
    jsonw_object_begin(&w);
    jsonw_key(&w, "a");
    jsonw_int(&w, 1);
    jsonw_key(&w, "list");
    jsonw_array_begin(&w);
    jsonw_string(&w, "x");
    jsonw_null(&w);
    jsonw_bool(&w, true);
    jsonw_double(&w, 0.0 / 0.0, 1);
    jsonw_array_end(&w);
    jsonw_key(&w, "empty");
    jsonw_object_begin(&w);
    jsonw_object_end(&w);
    jsonw_object_end(&w);
    fclose(f);
    assert_string_equal(buf, "{\"a\":1,\"list\":[\"x\",null,true,null],\"empty\":{}}");
    free(buf);
}

static void test_writer_places_commas_and_nulls(void **state)
{
    (void)state;
    struct mem m;
    mem_open(&m);
    struct jsonw w;
    jsonw_init(&w, m.f, 2);
    jsonw_object_begin(&w);
    jsonw_key(&w, "account_no"); jsonw_string(&w, "A-1");
    jsonw_key(&w, "kwh"); jsonw_number(&w, "4.600");
    jsonw_key(&w, "cost_p"); jsonw_number(&w, NULL);
    jsonw_key(&w, "odd"); jsonw_number(&w, "NaN");
    jsonw_key(&w, "intervals"); jsonw_int(&w, 46);
    jsonw_key(&w, "masked"); jsonw_bool(&w, 1);
    jsonw_key(&w, "days");
    jsonw_array_begin(&w);
    jsonw_object_begin(&w);
    jsonw_key(&w, "date"); jsonw_string(&w, "2024-03-31");
    jsonw_object_end(&w);
    jsonw_object_begin(&w);
    jsonw_object_end(&w);
    jsonw_array_end(&w);
    jsonw_key(&w, "insights");
    jsonw_array_begin(&w);
    jsonw_array_end(&w);
    jsonw_object_end(&w);
    char *got = mem_close(&m);
    assert_string_equal(got,
        "{\n"
        "  \"account_no\": \"A-1\",\n"
        "  \"kwh\": 4.600,\n"
        "  \"cost_p\": null,\n"
        "  \"odd\": null,\n"
        "  \"intervals\": 46,\n"
        "  \"masked\": true,\n"
        "  \"days\": [\n"
        "    {\n"
        "      \"date\": \"2024-03-31\"\n"
        "    },\n"
        "    {}\n"
        "  ],\n"
        "  \"insights\": []\n"
        "}\n");
    free(got);
}

static void test_members_write_key_and_value_in_one_call(void **state)
{
    (void)state;
    struct mem m;
    mem_open(&m);
    struct jsonw w;
    jsonw_init(&w, m.f, 0);
    jsonw_object_begin(&w);
    jsonw_member_string(&w, "path", "/in/a \"b\".csv");
    jsonw_member_string(&w, "masked", NULL);
    jsonw_member_int(&w, "file_id", -42);
    jsonw_member_number(&w, "kwh", "12.50");
    jsonw_member_number(&w, "bad", "1e");
    jsonw_object_end(&w);
    char *got = mem_close(&m);
    assert_string_equal(got, "{\"path\":\"/in/a \\\"b\\\".csv\",\"masked\":null,\"file_id\":-42,"
                             "\"kwh\":12.50,\"bad\":null}");
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes_quote_backslash_and_controls),
        cmocka_unit_test(test_json_escapes_quotes_controls_and_bad_utf8),
        cmocka_unit_test(test_keeps_valid_utf8_as_is),
        cmocka_unit_test(test_replaces_invalid_utf8),
        cmocka_unit_test(test_recognises_json_numbers),
        cmocka_unit_test(test_json_writer_places_commas),
        cmocka_unit_test(test_writer_places_commas_and_nulls),
        cmocka_unit_test(test_members_write_key_and_value_in_one_call),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
