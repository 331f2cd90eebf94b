/* cli/json.c: the string escaper and the writer behind every --json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/json.h"

/* What f wrote into a memory stream, as a string the caller frees. */
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

static char *escaped(const char *s)
{
    struct mem m;
    mem_open(&m);
    json_string(m.f, s);
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

static void test_keeps_valid_utf8_as_is(void **state)
{
    (void)state;
    assert_escapes("O'Brien-Sm\xc3\xadth \xc2\xa3" "2.41 \xf0\x9f\x94\x8c",
                   "\"O'Brien-Sm\xc3\xadth \xc2\xa3" "2.41 \xf0\x9f\x94\x8c\"");
    /* '/' and DEL need no escape. */
    assert_escapes("a/b\x7f", "\"a/b\x7f\"");
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
        assert_true(json_is_number(good[i]));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(json_is_number(bad[i]));
    assert_false(json_is_number(NULL));
}

static void test_writer_places_commas_and_nulls(void **state)
{
    (void)state;
    struct mem m;
    mem_open(&m);
    struct cjson w;
    cjson_init(&w, m.f);
    cjson_object_begin(&w, NULL);
    cjson_string(&w, "account_no", "A-1");
    cjson_number(&w, "kwh", "4.600");
    cjson_number(&w, "cost_p", NULL);
    cjson_number(&w, "odd", "NaN");
    cjson_int(&w, "intervals", 46);
    cjson_bool(&w, "masked", 1);
    cjson_array_begin(&w, "days");
    cjson_object_begin(&w, NULL);
    cjson_string(&w, "date", "2024-03-31");
    cjson_object_end(&w);
    cjson_object_begin(&w, NULL);
    cjson_object_end(&w);
    cjson_array_end(&w);
    cjson_array_begin(&w, "insights");
    cjson_array_end(&w);
    cjson_object_end(&w);
    cjson_finish(&w);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes_quote_backslash_and_controls),
        cmocka_unit_test(test_keeps_valid_utf8_as_is),
        cmocka_unit_test(test_replaces_invalid_utf8),
        cmocka_unit_test(test_recognises_json_numbers),
        cmocka_unit_test(test_writer_places_commas_and_nulls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
