/* Format `lcl`: the UKPN and Kaggle Low Carbon London layouts, GMT stamps, padded values,
 * Null, off-grid stamps and what each fault is called. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "tests/unit/reader_harness.h"

#define UKPN3 "LCLid,DateTime,KWH/hh (per half hour) "
#define UKPN4 "LCLid,stdorToU,DateTime,KWH/hh (per half hour) "
#define UKPN6 "LCLid,stdorToU,DateTime,KWH/hh (per half hour) ,Acorn,Acorn_grouped"
#define KAGGLE "LCLid,tstp,energy(kWh/hh)"
#define UKPN_VALUE "KWH/hh (per half hour)"

static void open_with(struct harness *h, const char *header)
{
    harness_open_ok(h, &reader_lcl, "lcl.csv", header);
}

static void test_ukpn_three_columns_crlf_padded(void **state)
{
    (void)state;
    struct harness h;
    open_with(&h, UKPN3 "\r");
    harness_feed(&h, "MAC000002,2012-10-12 00:30:00.0000000, 0 \r");
    harness_feed(&h, "MAC000002,2014-02-27 23:30:00.0000000,1.2180001\r");
    harness_feed(&h, "MAC000002,2014-02-28 00:00:00.0000000,1.387"); /* no final newline */
    assert_int_equal(h.nj, 0);
    assert_int_equal(h.nr, 3);
    assert_string_equal(h.r[0].mpxn, "MAC000002");
    assert_string_equal(harness_iso(h.r[0].start), "2012-10-12T00:30:00Z");
    assert_int_equal(h.r[0].wh, 0);
    assert_int_equal(h.r[0].minutes, 30);
    assert_int_equal(h.r[0].column, 3);
    assert_int_equal(h.r[0].quality, 'A');
    assert_int_equal(h.r[1].wh, 1218);
    assert_string_equal(harness_iso(h.r[2].start), "2014-02-28T00:00:00Z");
    assert_int_equal(h.r[2].wh, 1387);
    assert_int_equal(h.r[2].line, 4);
    harness_close(&h);
}

static void test_ukpn_header_without_trailing_space(void **state)
{
    (void)state;
    struct harness h;
    open_with(&h, "LCLid,DateTime,KWH/hh (per half hour)");
    harness_feed(&h, "MAC000002,2012-10-12 01:00:00.0000000, 0.263 ");
    assert_int_equal(h.nr, 1);
    assert_int_equal(h.r[0].wh, 263);
    harness_close(&h);
}

static void test_ukpn_four_and_six_column_layouts(void **state)
{
    (void)state;
    struct harness h;
    open_with(&h, UKPN4);
    harness_feed(&h, "MAC000002,Std,2012-10-12 00:30:00.0000000, 0.2185 ");
    harness_feed(&h, "MAC000003,ToU,2012-10-12 01:00:00.0000000, 0.5 ");
    harness_feed(&h, "MAC000003,Economy7,2012-10-12 01:30:00.0000000, 0.5 ");
    assert_int_equal(h.nr, 2);
    assert_int_equal(h.r[0].wh, 219);
    assert_int_equal(h.r[0].column, 4);
    assert_string_equal(h.r[1].mpxn, "MAC000003");
    assert_int_equal(h.nj, 1);
    harness_assert_reject(&h, 0, 4, 2, "stdorToU", "field_invalid");
    assert_non_null(strstr(h.j[0].message, "'Economy7'"));
    harness_close(&h);

    open_with(&h, UKPN6);
    harness_feed(&h, "MAC000002,Std,2012-10-12 00:30:00.0000000, 0.1 ,ACORN-A,Affluent");
    harness_feed(&h, "MAC000002,Std,2012-10-12 01:00:00.0000000, 0.1 ");
    assert_int_equal(h.nr, 1);
    assert_int_equal(h.r[0].wh, 100);
    harness_assert_reject(&h, 0, 3, 0, "", "field_count");
    harness_close(&h);
}

static void test_kaggle_layout(void **state)
{
    (void)state;
    struct harness h;
    open_with(&h, KAGGLE);
    harness_feed(&h, "MAC000002,2013-01-01 00:00:00, 0.219 ");
    harness_feed(&h, "MAC000002,2013-01-01 00:30:00, bad ");
    assert_int_equal(h.nr, 1);
    assert_string_equal(harness_iso(h.r[0].start), "2013-01-01T00:00:00Z");
    assert_int_equal(h.r[0].wh, 219);
    harness_assert_reject(&h, 0, 3, 3, "energy(kWh/hh)", "value_syntax");
    assert_non_null(strstr(h.j[0].message, "'bad'"));
    harness_close(&h);
}

static void test_summer_stamps_are_gmt_not_bst(void **state)
{
    (void)state;
    struct harness h;
    open_with(&h, KAGGLE);
    /* 2013-03-31 is the UK spring-forward day: LCL still has 01:00 and 01:30 (GMT) */
    harness_feed(&h, "MAC000002,2013-03-31 01:00:00, 0.1 ");
    harness_feed(&h, "MAC000002,2013-07-01 12:00:00, 0.1 ");
    assert_int_equal(h.nr, 2);
    assert_string_equal(harness_iso(h.r[0].start), "2013-03-31T01:00:00Z");
    assert_string_equal(harness_iso(h.r[1].start), "2013-07-01T12:00:00Z");
    harness_close(&h);
}

static void test_null_and_empty_values_are_value_missing(void **state)
{
    (void)state;
    struct harness h;
    open_with(&h, UKPN3);
    /* the real file's one Null sits on an off-grid stamp: the value fault is reported */
    harness_feed(&h, "MAC000002,2012-12-19 12:37:27.0000000,Null");
    harness_feed(&h, "MAC000002,2012-12-19 13:00:00.0000000,  ");
    assert_int_equal(h.nr, 0);
    assert_int_equal(h.nj, 2);
    harness_assert_reject(&h, 0, 2, 3, UKPN_VALUE, "value_missing");
    assert_non_null(strstr(h.j[0].message, "2012-12-19 12:37:27.0000000"));
    harness_assert_reject(&h, 1, 3, 3, UKPN_VALUE, "value_missing");
    assert_int_equal(h.contract_breaches, 0);
    harness_close(&h);
}

static void test_off_grid_stamp_is_emitted_exactly_for_the_loader(void **state)
{
    (void)state;
    struct harness h;
    open_with(&h, UKPN3);
    harness_feed(&h, "MAC000002,2012-12-19 12:37:27.0000000,0.05");
    assert_int_equal(h.nj, 0);
    assert_int_equal(h.nr, 1);
    assert_string_equal(harness_iso(h.r[0].start), "2012-12-19T12:37:27Z");
    assert_int_equal(h.r[0].minutes, 30);
    assert_int_not_equal(h.r[0].start % 1800, 0); /* what makes it misaligned_interval */
    harness_close(&h);
}

static void test_timestamp_faults(void **state)
{
    (void)state;
    struct harness h;
    open_with(&h, UKPN3);
    harness_feed(&h, "MAC000002,2012-10-12 00:30:00.5000000,0.1");  /* not a whole second */
    harness_feed(&h, "MAC000002,2013-02-29 00:30:00,0.1");
    harness_feed(&h, "MAC000002,12/10/2012 00:30,0.1");
    harness_feed(&h, "MAC000002,2012-10-12 24:00:00,x");            /* time before value */
    assert_int_equal(h.nr, 0);
    assert_int_equal(h.nj, 4);
    for (size_t i = 0; i < 4; i++)
        harness_assert_reject(&h, i, (long)i + 2, 2, "DateTime", "timestamp_syntax");
    harness_close(&h);
}

static void test_household_id_must_be_an_lcl_id(void **state)
{
    (void)state;
    struct harness h;
    open_with(&h, KAGGLE);
    harness_feed(&h, "MAC00002,2013-01-01 00:00:00,x");
    harness_feed(&h, "1200023305967,2013-01-01 00:00:00,0.1");
    harness_feed(&h, ",2013-01-01 00:00:00,0.1");
    assert_int_equal(h.nr, 0);
    harness_assert_reject(&h, 0, 2, 1, "LCLid", "mpxn_syntax");
    harness_assert_reject(&h, 1, 3, 1, "LCLid", "mpxn_syntax");
    harness_assert_reject(&h, 2, 4, 1, "LCLid", "mpxn_syntax");
    harness_close(&h);
}

static void test_value_range(void **state)
{
    (void)state;
    struct harness h;
    open_with(&h, KAGGLE);
    harness_feed(&h, "MAC000002,2013-01-01 00:00:00,-0.001");
    harness_feed(&h, "MAC000002,2013-01-01 00:30:00,50.0005");
    harness_feed(&h, "MAC000002,2013-01-01 01:00:00,50");
    assert_int_equal(h.nr, 1);
    assert_int_equal(h.r[0].wh, 50000);
    harness_assert_reject(&h, 0, 2, 3, "energy(kWh/hh)", "value_range");
    harness_assert_reject(&h, 1, 3, 3, "energy(kWh/hh)", "value_range");
    harness_close(&h);
}

static void test_field_count(void **state)
{
    (void)state;
    struct harness h;
    open_with(&h, KAGGLE);
    harness_feed(&h, "MAC000002,2013-01-01 00:00:00");
    harness_feed(&h, "MAC000002,2013-01-01 00:00:00,0.1,0.2");
    harness_feed(&h, "MAC000002,\"2013-01-01 00:00:00,0.1");   /* unclosed quote */
    assert_int_equal(h.nr, 0);
    for (size_t i = 0; i < 3; i++)
        harness_assert_reject(&h, i, (long)i + 2, 0, "", "field_count");
    harness_close(&h);
}

static void test_header_faults_name_the_column(void **state)
{
    (void)state;
    static const struct harness_header_fault cases[] = {
        { "LCLid,DateTime,kWh", 3 },
        { "LCLid,Time,KWH/hh (per half hour)", 2 },
        { "LCLid,tstp,energy(kWh/hh),extra", 4 },
        { "LCLid,stdorToU,tstp,energy(kWh/hh)", 3 },
        { "LCLid,stdorToU,DateTime,KWH/hh (per half hour),Acorn", 6 },
        { "LCLid", 2 },
    };
    harness_assert_header_faults(&reader_lcl, cases, sizeof cases / sizeof cases[0]);
}

static void test_detects_every_real_lcl_header(void **state)
{
    (void)state;
    const char *headers[] = { UKPN3, "LCLid,DateTime,KWH/hh (per half hour)", UKPN4, UKPN6,
                              KAGGLE };
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++)
        assert_ptr_equal(harness_detect(headers[i]), &reader_lcl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ukpn_three_columns_crlf_padded),
        cmocka_unit_test(test_ukpn_header_without_trailing_space),
        cmocka_unit_test(test_ukpn_four_and_six_column_layouts),
        cmocka_unit_test(test_kaggle_layout),
        cmocka_unit_test(test_summer_stamps_are_gmt_not_bst),
        cmocka_unit_test(test_null_and_empty_values_are_value_missing),
        cmocka_unit_test(test_off_grid_stamp_is_emitted_exactly_for_the_loader),
        cmocka_unit_test(test_timestamp_faults),
        cmocka_unit_test(test_household_id_must_be_an_lcl_id),
        cmocka_unit_test(test_value_range),
        cmocka_unit_test(test_field_count),
        cmocka_unit_test(test_header_faults_name_the_column),
        cmocka_unit_test(test_detects_every_real_lcl_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
