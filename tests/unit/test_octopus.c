/* The Octopus consumption reader (octopus.h) on the real API captures in
 * tests/fixtures/realdata/uk-octopus-api (SOURCES.md 2e) and on small pages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backend/octopus.h"
#include "backend/reader.h"

struct tally {
    int64_t ok, refused, wh, first_start, last_start;
    int64_t seconds;
    const char *first_code;
    char first_message[256];
};

static int on_reading(void *ctx, const struct doc_reading *r)
{
    struct tally *t = ctx;
    if (r->code) {
        if (!t->refused++) {
            t->first_code = r->code;
            snprintf(t->first_message, sizeof t->first_message, "%s", r->message);
        }
        return 0;
    }
    if (!t->ok++)
        t->first_start = r->start;
    t->last_start = r->start;
    t->wh += r->wh;
    t->seconds = r->seconds;
    return 0;
}

static int read_file(const char *rel, const struct octopus_opts *o, struct tally *t,
                     struct octopus_info *info, struct mo_err *err)
{
    char path[1024];
    const char *src = getenv("MO_SRCDIR");
    snprintf(path, sizeof path, "%s/tests/fixtures/realdata/%s", src ? src : ".", rel);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot read %s (is MO_SRCDIR set?)", path);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    memset(t, 0, sizeof *t);
    mo_err_clear(err);
    const struct doc_sink sink = { t, on_reading };
    return octopus_read_memory(buf, n, path, o, &sink, info, err);
}

static int read_text(const char *json, const struct octopus_opts *o, struct tally *t,
                     struct mo_err *err)
{
    memset(t, 0, sizeof *t);
    mo_err_clear(err);
    const struct doc_sink sink = { t, on_reading };
    return octopus_read_memory(json, strlen(json), "t.json", o, &sink, NULL, err);
}

static void test_clean_page_loads_newest_first_with_offsets(void **state)
{
    (void)state;
    struct tally t;
    struct octopus_info info;
    struct mo_err err;
    assert_int_equal(read_file("uk-octopus-api/energy.json", NULL, &t, &info, &err), 0);
    assert_int_equal(t.ok, 99);
    assert_int_equal(t.refused, 0);
    assert_int_equal(info.count, 240);
    assert_int_equal(info.has_next, 1);
    assert_int_equal(t.seconds, 1800);
    /* 2020-05-08T00:00:00+01:00 is 2020-05-07 23:00 UTC; newest first */
    assert_int_equal(t.first_start, 1588892400);
    assert_true(t.last_start < t.first_start);
    /* the sum of the page's decimal kWh, by awk over the file: 24.774 kWh */
    assert_int_equal(t.wh, 24774);
}

static void test_curl_noise_refused_with_position(void **state)
{
    (void)state;
    struct tally t;
    struct mo_err err;
    assert_int_equal(read_file("uk-octopus-api/consumption.json", NULL, &t, NULL, &err), -1);
    assert_string_equal(err.code, "json_syntax");
    assert_int_equal(err.line, 1);
    assert_int_equal(t.ok + t.refused, 0);
}

static void test_unit_rates_are_not_consumption(void **state)
{
    (void)state;
    struct tally t;
    struct mo_err err;
    assert_int_equal(read_file("uk-octopus-api/unit_rate.json", NULL, &t, NULL, &err), -1);
    assert_string_equal(err.code, "not_octopus");
    assert_non_null(strstr(err.message, "JSON, not Octopus consumption"));
    assert_non_null(strstr(err.message, "value_exc_vat"));
}

static void test_gas_m3_standard_formula(void **state)
{
    (void)state;
    int64_t wh;
    /* 1 m3 x 1.02264 x 39.5 / 3.6 = 11.2206 kWh */
    assert_int_equal(octopus_m3_to_wh("1", 1, 102264, 39500, &wh), 0);
    assert_int_equal(wh, 11221);
    /* 0.5 m3 at CV 40.0: 0.5 x 1.02264 x 40 / 3.6 = 5.68133 kWh */
    assert_int_equal(octopus_m3_to_wh("0.5", 3, 102264, 40000, &wh), 0);
    assert_int_equal(wh, 5681);
    assert_int_equal(octopus_m3_to_wh("1e3", 3, 102264, 39500, &wh), -1);
    struct tally t;
    struct mo_err err;
    const struct octopus_opts m3 = { .unit = OCTOPUS_M3 };
    assert_int_equal(read_text("{\"results\":[{\"consumption\":0.262,\"interval_start\":"
                               "\"2024-01-01T00:00:00Z\",\"interval_end\":\"2024-01-01T00:30:00Z\"}]}",
                               &m3, &t, &err), 0);
    /* 0.262 x 1.02264 x 39.5 / 3.6 = 2.93980 kWh */
    assert_int_equal(t.wh, 2940);
}

static void test_bad_results_refused_one_by_one(void **state)
{
    (void)state;
    struct tally t;
    struct mo_err err;
    assert_int_equal(read_text("{\"results\":["
                               "{\"consumption\":null,\"interval_start\":\"2024-01-01T00:00:00Z\",\"interval_end\":\"2024-01-01T00:30:00Z\"},"
                               "{\"consumption\":0.1,\"interval_start\":\"2024-01-01T00:30:00Z\",\"interval_end\":\"2024-01-01T00:30:00Z\"},"
                               "{\"consumption\":0.1,\"interval_start\":\"2024-01-01T01:00:00+01:00\",\"interval_end\":\"2024-01-01T01:30:00+01:00\"}]}",
                               NULL, &t, &err), 0);
    assert_int_equal(t.refused, 2);
    assert_string_equal(t.first_code, RJ_VALUE_MISSING);
    assert_int_equal(t.ok, 1);
    assert_int_equal(t.first_start, 1704067200);
}

static void test_array_of_pages(void **state)
{
    (void)state;
    struct tally t;
    struct mo_err err;
    assert_int_equal(read_text("[{\"count\":2,\"next\":\"p2\",\"results\":[{\"consumption\":0.5,"
                               "\"interval_start\":\"2024-01-01T00:30:00Z\",\"interval_end\":\"2024-01-01T01:00:00Z\"}]},"
                               "{\"count\":2,\"next\":null,\"results\":[{\"consumption\":0.25,"
                               "\"interval_start\":\"2024-01-01T00:00:00Z\",\"interval_end\":\"2024-01-01T00:30:00Z\"}]}]",
                               NULL, &t, &err), 0);
    assert_int_equal(t.ok, 2);
    assert_int_equal(t.wh, 750);
    assert_int_equal(read_text("[{\"results\":[{\"interval_start\":\"x\"}]},{\"data\":1}]", NULL, &t, &err), -1);
    assert_string_equal(err.code, "not_octopus");
    assert_non_null(strstr(err.message, "page 2"));
}

static void test_deep_json_refused(void **state)
{
    (void)state;
    struct tally t;
    struct mo_err err;
    char x[4000];
    memset(x, '[', 3000);
    x[3000] = '\0';
    assert_int_equal(read_text(x, NULL, &t, &err), -1);
    assert_string_equal(err.code, "json_limit");
}

static void test_sniff(void **state)
{
    (void)state;
    const char *page = "{\"count\":1,\"next\":null,\"results\":[{\"consumption\":0.1,\"interval_start\":\"x\"}]}";
    assert_int_equal(octopus_sniff(page, strlen(page)), 1);
    assert_int_equal(octopus_sniff("{\"results\":[]}", 14), 1);
    assert_int_equal(octopus_sniff("{\"data\":[]}", 11), 0);
    assert_int_equal(octopus_sniff("mpxn,timestamp,kwh\n", 19), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_page_loads_newest_first_with_offsets),
        cmocka_unit_test(test_curl_noise_refused_with_position),
        cmocka_unit_test(test_unit_rates_are_not_consumption),
        cmocka_unit_test(test_gas_m3_standard_formula),
        cmocka_unit_test(test_bad_results_refused_one_by_one),
        cmocka_unit_test(test_array_of_pages),
        cmocka_unit_test(test_deep_json_refused),
        cmocka_unit_test(test_sniff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
