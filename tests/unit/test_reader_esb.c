/* Format `esb-hdf`: local interval-END stamps, import/export channels, kW averages, the
 * spring gap and the autumn hour that ESB writes twice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "backend/halfhour.h"
#include "backend/reader_esb.h"
#include "tests/unit/reader_harness.h"

#define HDR_KWH "MPRN,Meter Serial Number,Read Value,Read Type,Read Date and End Time\r"
#define HDR_KW "XXX,XXX,Read Value,Read Type,Read Date and End Time"
#define IMP "Active Import Interval (kWh)"
#define EXP "Active Export Interval (kWh)"
#define IMP_KW "Active Import Interval (kW)"
#define EXP_KW "Active Export Interval (kW)"

static void open_with(struct harness *h, const char *header)
{
    harness_open_ok(h, &reader_esb_hdf, "hdf.csv", header);
}

static void test_kwh_rows_end_stamps_local_to_utc_start(void **state)
{
    (void)state;
    struct harness h;
    open_with(&h, HDR_KWH);
    harness_feed(&h, "XXXX,XXXX,0.0000," EXP ",04-10-2024 01:00\r");  /* IST: 00:00Z end */
    harness_feed(&h, "XXXX,XXXX,0.1610," IMP ",04-10-2024 01:00\r");
    harness_feed(&h, "XXXX,XXXX,0.3725," IMP ",09-12-2022 00:00\r");  /* GMT: the day's last half hour */
    harness_feed(&h, "XXXX,XXXX,0.2185," IMP ",09/12/2022 00:30\r");  /* slash form */
    assert_int_equal(h.nj, 0);
    assert_int_equal(h.nr, 4);
    assert_string_equal(h.r[0].mpxn, "XXXX");
    assert_int_equal(h.r[0].channel, 1);
    assert_string_equal(harness_iso(h.r[0].start), "2024-10-03T23:30:00Z");
    assert_int_equal(h.r[1].channel, 0);
    assert_int_equal(h.r[1].wh, 161);
    assert_int_equal(h.r[1].minutes, 30);
    assert_int_equal(h.r[1].column, 3);
    assert_int_equal(h.r[1].quality, 'A');
    assert_string_equal(harness_iso(h.r[2].start), "2022-12-08T23:30:00Z");
    /* exact to the source: 161 + 372.5 = 533.5 Wh so far, 534 (half to even): 373 */
    assert_int_equal(h.r[2].wh, 373);
    assert_string_equal(harness_iso(h.r[3].start), "2022-12-09T00:00:00Z");
    assert_int_equal(h.r[3].wh, 218);                   /* 752 so far: 752 - 534 */
    assert_int_equal(reader_esb_kw_average(&h.st), 0);
    harness_close(&h);
}

static void test_kw_file_halves_average_power(void **state)
{
    (void)state;
    struct harness h;
    open_with(&h, HDR_KW);
    harness_feed(&h, "XXX,XXX,0.252000,Active Export Interval (kW),07-08-2023 08:30");
    harness_feed(&h, "XXX,XXX,0.443000,Active Import Interval (kW),09-12-2022 01:00");
    assert_int_equal(h.nj, 0);
    assert_int_equal(h.nr, 2);
    assert_int_equal(h.r[0].channel, 1);
    assert_int_equal(h.r[0].wh, 126);
    assert_string_equal(harness_iso(h.r[0].start), "2023-08-07T07:00:00Z");
    assert_int_equal(h.r[1].channel, 0);
    assert_int_equal(h.r[1].wh, 222);                   /* 0.443 kW for 30 min = 221.5 Wh */
    assert_string_equal(harness_iso(h.r[1].start), "2022-12-09T00:30:00Z");
    assert_int_equal(reader_esb_kw_average(&h.st), 1);
    harness_close(&h);
}

static void test_spring_forward_gap_is_rejected_and_neighbours_join(void **state)
{
    (void)state;
    struct harness h;
    open_with(&h, HDR_KWH);
    harness_feed(&h, "XXXX,XXXX,0.1035," IMP ",26-03-2023 02:00");
    harness_feed(&h, "XXXX,XXXX,0.5000," IMP ",26-03-2023 01:30");  /* never shown on a clock */
    harness_feed(&h, "XXXX,XXXX,0.5000," IMP ",26-03-2023 01:00");
    harness_feed(&h, "XXXX,XXXX,0.2305," IMP ",26-03-2023 00:30");
    assert_int_equal(h.nr, 2);
    /* the half hour ending 02:00 IST (01:00Z) follows straight on from the one ending 00:30 GMT */
    assert_string_equal(harness_iso(h.r[0].start), "2023-03-26T00:30:00Z");
    assert_string_equal(harness_iso(h.r[1].start), "2023-03-26T00:00:00Z");
    assert_int_equal(h.nj, 2);
    harness_assert_reject(&h, 0, 3, 5, "Read Date and End Time", "timestamp_syntax");
    assert_non_null(strstr(h.j[0].message, "does not exist"));
    harness_assert_reject(&h, 1, 4, 5, "Read Date and End Time", "timestamp_syntax");
    harness_close(&h);
}

/* Lines 32468-32481 of the real kWh file (newest first), import and export interleaved. */
static const char *const autumn_desc[] = {
    "XXXX,XXXX,0.0000," EXP ",29-10-2023 02:00",
    "XXXX,XXXX,0.1245," IMP ",29-10-2023 02:00",
    "XXXX,XXXX,0.0000," EXP ",29-10-2023 01:30",
    "XXXX,XXXX,0.1265," IMP ",29-10-2023 01:30",
    "XXXX,XXXX,0.1300," IMP ",29-10-2023 01:00",
    "XXXX,XXXX,0.0000," EXP ",29-10-2023 01:00",
    "XXXX,XXXX,0.0000," EXP ",29-10-2023 01:30",
    "XXXX,XXXX,0.1380," IMP ",29-10-2023 01:30",
    "XXXX,XXXX,0.0000," EXP ",29-10-2023 01:00",
    "XXXX,XXXX,0.1330," IMP ",29-10-2023 01:00",
    "XXXX,XXXX,0.0000," EXP ",29-10-2023 00:30",
    "XXXX,XXXX,0.2410," IMP ",29-10-2023 00:30",
};
/* The UTC start each of those rows must get. */
static const char *const autumn_start[] = {
    "2023-10-29T01:30:00Z", "2023-10-29T01:30:00Z",
    "2023-10-29T01:00:00Z", "2023-10-29T01:00:00Z", /* first 01:30: the later one, GMT */
    "2023-10-29T00:30:00Z", "2023-10-29T00:30:00Z", /* first 01:00: GMT */
    "2023-10-29T00:00:00Z", "2023-10-29T00:00:00Z", /* second 01:30: IST */
    "2023-10-28T23:30:00Z", "2023-10-28T23:30:00Z", /* second 01:00: IST */
    "2023-10-28T23:00:00Z", "2023-10-28T23:00:00Z",
};
#define NAUTUMN (sizeof autumn_desc / sizeof autumn_desc[0])

static void test_autumn_repeats_resolved_in_descending_file(void **state)
{
    (void)state;
    struct harness h;
    open_with(&h, HDR_KWH);
    for (size_t i = 0; i < NAUTUMN; i++)
        harness_feed(&h, autumn_desc[i]);
    assert_int_equal(h.nj, 0);
    assert_int_equal(h.nr, NAUTUMN);
    assert_int_equal(reader_esb_descending(&h.st), 1);
    for (size_t i = 0; i < NAUTUMN; i++) {
        if (strcmp(harness_iso(h.r[i].start), autumn_start[i]) != 0)
            fail_msg("row %zu (%s): start %s, expected %s", i, autumn_desc[i],
                     harness_iso(h.r[i].start), autumn_start[i]);
    }
    assert_int_equal(h.r[3].wh, 127);   /* 0.1265 -> GMT 01:00-01:30 */
    assert_int_equal(h.r[7].wh, 138);   /* 0.1380 -> IST 01:00-01:30 = 00:00Z */
    harness_close(&h);
}

static void test_autumn_repeats_resolved_in_ascending_file(void **state)
{
    (void)state;
    struct harness h;
    open_with(&h, HDR_KWH);
    for (size_t i = NAUTUMN; i-- > 0;)
        harness_feed(&h, autumn_desc[i]);
    assert_int_equal(h.nj, 0);
    assert_int_equal(h.nr, NAUTUMN);
    assert_int_equal(reader_esb_descending(&h.st), 0);
    /* Reversed file order, same physical half hours: each row keeps its instant. */
    for (size_t i = 0; i < NAUTUMN; i++) {
        size_t src = NAUTUMN - 1 - i;
        if (strcmp(harness_iso(h.r[i].start), autumn_start[src]) != 0)
            fail_msg("row %s: start %s, expected %s", autumn_desc[src], harness_iso(h.r[i].start),
                     autumn_start[src]);
    }
    harness_close(&h);
}

static void test_third_copy_repeats_the_first_for_the_loader_to_flag(void **state)
{
    (void)state;
    struct harness h;
    open_with(&h, HDR_KWH);
    harness_feed(&h, "XXXX,XXXX,0.1," IMP ",29-10-2023 02:00");
    harness_feed(&h, "XXXX,XXXX,0.2," IMP ",29-10-2023 01:30");
    harness_feed(&h, "XXXX,XXXX,0.3," IMP ",29-10-2023 01:30");
    harness_feed(&h, "XXXX,XXXX,0.4," IMP ",29-10-2023 01:30");
    assert_int_equal(h.nr, 4);
    assert_string_equal(harness_iso(h.r[1].start), "2023-10-29T01:00:00Z");
    assert_string_equal(harness_iso(h.r[2].start), "2023-10-29T00:00:00Z");
    assert_string_equal(harness_iso(h.r[3].start), "2023-10-29T01:00:00Z");
    harness_close(&h);
}

static void test_repeats_are_paired_per_meter(void **state)
{
    (void)state;
    struct harness h;
    open_with(&h, HDR_KWH);
    harness_feed(&h, "10012345678,X,0.1," IMP ",29-10-2023 02:00");
    harness_feed(&h, "10012345678,X,0.2," IMP ",29-10-2023 01:30");
    harness_feed(&h, "10087654321,X,0.3," IMP ",29-10-2023 01:30");
    harness_feed(&h, "10012345678,X,0.4," IMP ",29-10-2023 01:30");
    harness_feed(&h, "10087654321,X,0.5," IMP ",29-10-2023 01:30");
    assert_int_equal(h.nj, 0);
    assert_string_equal(harness_iso(h.r[1].start), "2023-10-29T01:00:00Z");
    assert_string_equal(harness_iso(h.r[2].start), "2023-10-29T01:00:00Z");
    assert_string_equal(harness_iso(h.r[3].start), "2023-10-29T00:00:00Z");
    assert_string_equal(harness_iso(h.r[4].start), "2023-10-29T00:00:00Z");
    assert_string_equal(h.r[2].mpxn, "10087654321");
    harness_close(&h);
}

static void test_row_faults_in_contract_order(void **state)
{
    (void)state;
    struct harness h;
    open_with(&h, HDR_KWH);
    harness_feed(&h, "XXXX,XXXX,0.1," IMP);                            /* 2 */
    harness_feed(&h, "1234,XXXX,x," IMP ",31-02-2023 00:30");          /* 3 */
    harness_feed(&h, "XXXX,XXXX,x," IMP ",2023-02-01 00:30");          /* 4 */
    harness_feed(&h, "XXXX,XXXX,x,Active Import Register (kWh),01-02-2023 00:30"); /* 5 */
    harness_feed(&h, "XXXX,XXXX,0.1a," IMP ",01-02-2023 00:30");       /* 6 */
    harness_feed(&h, "XXXX,XXXX,," EXP ",01-02-2023 00:30");           /* 7 */
    harness_feed(&h, "XXXX,XXXX,Null," EXP ",01-02-2023 01:00");       /* 8 */
    harness_feed(&h, "XXXX,XXXX,-0.0010," EXP ",01-02-2023 01:30");    /* 9 */
    harness_feed(&h, "XXXX,XXXX,50.0010," IMP ",01-02-2023 02:00");    /* 10 */
    harness_feed(&h, "XXXX,XXXX,50.0000," IMP ",01-02-2023 02:30");    /* 11: the limit itself */
    harness_feed(&h, "XXXX,XXXX,0.1," IMP ",31-02-2023 00:30");        /* 12 */
    assert_int_equal(h.nr, 1);
    assert_int_equal(h.r[0].wh, 50000);
    assert_int_equal(h.r[0].line, 11);
    assert_int_equal(h.nj, 10);
    harness_assert_reject(&h, 0, 2, 0, "", "field_count");
    harness_assert_reject(&h, 1, 3, 1, "MPRN", "mpxn_syntax");
    harness_assert_reject(&h, 2, 4, 5, "Read Date and End Time", "timestamp_syntax");
    harness_assert_reject(&h, 3, 5, 4, "Read Type", "value_syntax");
    assert_non_null(strstr(h.j[3].message, "Active Import Register (kWh)"));
    harness_assert_reject(&h, 4, 6, 3, "Read Value", "value_syntax");
    harness_assert_reject(&h, 5, 7, 3, "Read Value", "value_missing");
    harness_assert_reject(&h, 6, 8, 3, "Read Value", "value_missing");
    harness_assert_reject(&h, 7, 9, 3, "Read Value", "value_range");
    harness_assert_reject(&h, 8, 10, 3, "Read Value", "value_range");
    harness_assert_reject(&h, 9, 12, 5, "Read Date and End Time", "timestamp_syntax");
    assert_int_equal(h.contract_breaches, 0);
    harness_close(&h);
}

static void test_masked_header_names_columns_as_written(void **state)
{
    (void)state;
    struct harness h;
    open_with(&h, HDR_KW);
    harness_feed(&h, "12,XXX,0.1,Active Import Interval (kW),01-02-2023 00:30");
    harness_feed(&h, "XXX,XXX,100.002,Active Import Interval (kW),01-02-2023 00:30");
    harness_feed(&h, "XXX,XXX,100,Active Import Interval (kW),01-02-2023 00:30");
    harness_assert_reject(&h, 0, 2, 1, "XXX", "mpxn_syntax");
    harness_assert_reject(&h, 1, 3, 3, "Read Value", "value_range");  /* 50001 Wh */
    assert_int_equal(h.nr, 1);
    assert_int_equal(h.r[0].wh, 50000);
    harness_close(&h);
}

static void test_header_faults_name_the_column(void **state)
{
    (void)state;
    static const struct harness_header_fault cases[] = {
        { "MPRN,Meter Serial Number,Read Value,Read Type,Read Date", 5 },
        { "MPRN,Meter Serial Number,Value,Read Type,Read Date and End Time", 3 },
        { "YYY,XXX,Read Value,Read Type,Read Date and End Time", 1 },
        { "MPRN,Meter Serial Number,Read Value,Read Type,Read Date and End Time,x", 6 },
        { "MPRN,Meter Serial Number,Read Value,Read Type", 4 },
    };
    harness_assert_header_faults(&reader_esb_hdf, cases, sizeof cases / sizeof cases[0]);
}

static void test_detects_both_real_headers(void **state)
{
    (void)state;
    assert_ptr_equal(harness_detect(HDR_KWH), &reader_esb_hdf);
    assert_ptr_equal(harness_detect(HDR_KW), &reader_esb_hdf);
}

/* Half-Wh readings (kW / 2 on an odd last digit) keep the file's exact total: rounding
 * each half up would add half a Wh per reading. Each reading stays within 1 Wh of its
 * own energy, never negative; export runs its own total; a new MPRN starts afresh. */
static void test_halves_carry_exactly(void **state)
{
    (void)state;
    struct harness h;
    open_with(&h, HDR_KW);
    char line[160];
    for (int i = 0; i < 40; i++) {  /* 0.001 kW = 0.5 Wh each, and 0.003 kW = 1.5 Wh */
        snprintf(line, sizeof line, "XXXX,XXXX,%s," IMP_KW ",02-01-2024 %02d:%02d",
                 i % 2 ? "0.003000" : "0.001000", (i + 1) / 2, (i + 1) % 2 * 30);
        harness_feed(&h, line);
    }
    harness_feed(&h, "XXXX,XXXX,0.001000," EXP_KW ",01-02-2024 00:30");
    harness_feed(&h, "XXXX,XXXX,0.001000," EXP_KW ",01-02-2024 01:00");
    harness_feed(&h, "10012345678,XXXX,0.001000," IMP_KW ",01-02-2024 01:00");
    assert_int_equal(h.nj, 0);
    int64_t imp = 0;
    for (size_t i = 0; i < 40; i++) {
        imp += h.r[i].wh;
        assert_true(h.r[i].wh >= 0 && h.r[i].wh <= 2);
    }
    assert_int_equal(imp, 40);                       /* 20 x 0.5 + 20 x 1.5 */
    assert_int_equal(h.r[40].wh + h.r[41].wh, 1);     /* export: 0.5 + 0.5 */
    assert_int_equal(h.r[42].wh, 0);                  /* a new meter: 0.5 alone, to even */
    harness_close(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kwh_rows_end_stamps_local_to_utc_start),
        cmocka_unit_test(test_kw_file_halves_average_power),
        cmocka_unit_test(test_halves_carry_exactly),
        cmocka_unit_test(test_spring_forward_gap_is_rejected_and_neighbours_join),
        cmocka_unit_test(test_autumn_repeats_resolved_in_descending_file),
        cmocka_unit_test(test_autumn_repeats_resolved_in_ascending_file),
        cmocka_unit_test(test_third_copy_repeats_the_first_for_the_loader_to_flag),
        cmocka_unit_test(test_repeats_are_paired_per_meter),
        cmocka_unit_test(test_row_faults_in_contract_order),
        cmocka_unit_test(test_masked_header_names_columns_as_written),
        cmocka_unit_test(test_header_faults_name_the_column),
        cmocka_unit_test(test_detects_both_real_headers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
