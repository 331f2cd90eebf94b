/* Format `wide`: header rules, one reading per present cell at the right UTC start, and a
 * whole-line rejection naming the first bad column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "tests/unit/reader_harness.h"

#define MPAN "1200023305967"   /* a real MPAN core (D0010 sample), check digit valid */

static char line_buf[4096];

/* "mpxn,date,0000,..." for `minutes`-long intervals; `count` interval columns. */
static const char *header_of(int minutes, int count)
{
    int at = snprintf(line_buf, sizeof line_buf, "mpxn,date");
    for (int i = 0; i < count; i++)
        at += snprintf(line_buf + at, sizeof line_buf - (size_t)at, ",%02d%02d",
                       i * minutes / 60, i * minutes % 60);
    return line_buf;
}

/* A row of `count` cells, every cell "0.100" except those overridden by index. */
struct cell { int index; const char *text; };
static const char *row_of(const char *mpxn, const char *date, int count,
                          const struct cell *cells, int ncells)
{
    int at = snprintf(line_buf, sizeof line_buf, "%s,%s", mpxn, date);
    for (int i = 0; i < count; i++) {
        const char *v = "0.100";
        for (int k = 0; k < ncells; k++)
            if (cells[k].index == i)
                v = cells[k].text;
        at += snprintf(line_buf + at, sizeof line_buf - (size_t)at, ",%s", v);
    }
    return line_buf;
}

static void open_with_header(struct harness *h, int minutes)
{
    harness_open_ok(h, &reader_wide, "t.csv", header_of(minutes, 1440 / minutes));
}

static void assert_one_reject(const struct harness *h, long line, int column, const char *name,
                              const char *code)
{
    assert_int_equal(h->nj, 1);
    harness_assert_reject(h, 0, line, column, name, code);
    assert_int_equal(h->nr, 0);
    assert_int_equal(h->contract_breaches, 0);
}

static void test_half_hourly_row_emits_48_readings_at_utc_starts(void **state)
{
    (void)state;
    struct harness h;
    open_with_header(&h, 30);
    struct cell c[] = { { 0, "0.2185" }, { 47, "1.5" }, { 20, "0" } };
    harness_feed(&h, row_of(MPAN, "2024-03-31", 48, c, 3)); /* a UK clock-change day: UTC is plain */
    assert_int_equal(h.nj, 0);
    assert_int_equal(h.nr, 48);
    assert_string_equal(h.r[0].mpxn, MPAN);
    assert_string_equal(harness_iso(h.r[0].start), "2024-03-31T00:00:00Z");
    assert_int_equal(h.r[0].wh, 219);
    assert_int_equal(h.r[0].minutes, 30);
    assert_int_equal(h.r[0].column, 3);
    assert_int_equal(h.r[0].quality, 'A');
    assert_int_equal(h.r[0].channel, 0);
    assert_int_equal(h.r[0].line, 2);
    assert_string_equal(harness_iso(h.r[1].start), "2024-03-31T00:30:00Z");
    assert_int_equal(h.r[1].wh, 100);
    assert_int_equal(h.r[20].wh, 0);
    assert_string_equal(harness_iso(h.r[47].start), "2024-03-31T23:30:00Z");
    assert_int_equal(h.r[47].wh, 1500);
    assert_int_equal(h.r[47].column, 50);
    harness_close(&h);
}

static void test_hourly_and_quarter_hourly_headers_fix_minutes(void **state)
{
    (void)state;
    struct harness h;
    open_with_header(&h, 60);
    harness_feed(&h, row_of("12345678", "2023-12-31", 24, NULL, 0)); /* gas MPRN */
    assert_int_equal(h.nr, 24);
    assert_int_equal(h.r[23].minutes, 60);
    assert_string_equal(harness_iso(h.r[23].start), "2023-12-31T23:00:00Z");
    harness_close(&h);

    open_with_header(&h, 15);
    struct cell c[] = { { 95, "0.025" } };
    harness_feed(&h, row_of(MPAN, "2024-02-29", 96, c, 1));
    assert_int_equal(h.nr, 96);
    assert_int_equal(h.r[1].minutes, 15);
    assert_string_equal(harness_iso(h.r[1].start), "2024-02-29T00:15:00Z");
    assert_string_equal(harness_iso(h.r[95].start), "2024-02-29T23:45:00Z");
    assert_int_equal(h.r[95].wh, 25);
    harness_close(&h);
}

static void test_empty_cells_are_missing_intervals_not_faults(void **state)
{
    (void)state;
    struct harness h;
    open_with_header(&h, 30);
    struct cell c[] = { { 2, "" }, { 3, "" }, { 47, "" } };
    harness_feed(&h, row_of(MPAN, "2024-01-15", 48, c, 3));
    assert_int_equal(h.nj, 0);
    assert_int_equal(h.nr, 45);
    /* 0100 and 0130 skipped */
    assert_string_equal(harness_iso(h.r[2].start), "2024-01-15T02:00:00Z");
    assert_int_equal(h.r[2].column, 7);
    assert_string_equal(harness_iso(h.r[44].start), "2024-01-15T23:00:00Z");
    harness_close(&h);
}

static void test_bad_value_rejects_whole_line_naming_first_bad_column(void **state)
{
    (void)state;
    struct harness h;
    open_with_header(&h, 30);
    struct cell c[] = { { 3, "0.2x" }, { 10, "-1" } };
    harness_feed(&h, row_of(MPAN, "2024-01-15", 48, c, 2));
    assert_one_reject(&h, 2, 6, "0130", "value_syntax");
    assert_non_null(strstr(h.j[0].message, "'0.2x'"));
    harness_close(&h);
}

static void test_negative_and_implausible_values_are_value_range(void **state)
{
    (void)state;
    struct harness h;
    open_with_header(&h, 30);
    struct cell neg[] = { { 47, "-0.001" } };
    harness_feed(&h, row_of(MPAN, "2024-01-15", 48, neg, 1));
    assert_one_reject(&h, 2, 50, "2330", "value_range");
    harness_close(&h);

    open_with_header(&h, 30);
    struct cell big[] = { { 1, "50.0005" } };   /* 50001 Wh > 50000 for half an hour */
    harness_feed(&h, row_of(MPAN, "2024-01-15", 48, big, 1));
    assert_one_reject(&h, 2, 4, "0030", "value_range");
    assert_non_null(strstr(h.j[0].message, "50000 Wh"));
    harness_close(&h);

    open_with_header(&h, 15);                   /* the limit scales with the interval */
    struct cell edge[] = { { 0, "25" }, { 1, "25.001" } };
    harness_feed(&h, row_of(MPAN, "2024-01-15", 96, edge, 2));
    assert_one_reject(&h, 2, 4, "0015", "value_range");
    harness_close(&h);

    open_with_header(&h, 30);
    struct cell ok[] = { { 0, "50" }, { 1, "-0.000" } };
    harness_feed(&h, row_of(MPAN, "2024-01-15", 48, ok, 2));
    assert_int_equal(h.nj, 0);
    assert_int_equal(h.r[0].wh, 50000);
    assert_int_equal(h.r[1].wh, 0);
    harness_close(&h);
}

static void test_null_cell_is_value_missing(void **state)
{
    (void)state;
    struct harness h;
    open_with_header(&h, 30);
    struct cell c[] = { { 5, "Null" } };
    harness_feed(&h, row_of(MPAN, "2024-01-15", 48, c, 1));
    assert_one_reject(&h, 2, 8, "0230", "value_missing");
    harness_close(&h);
}

static void test_meter_id_checks_come_first(void **state)
{
    (void)state;
    struct harness h;
    struct cell c[] = { { 0, "x" } };
    open_with_header(&h, 30);
    harness_feed(&h, row_of("12345", "2024-13-01", 48, c, 1));
    assert_one_reject(&h, 2, 1, "mpxn", "mpxn_syntax");
    harness_close(&h);

    open_with_header(&h, 30);
    harness_feed(&h, row_of("1200023305968", "2024-01-01", 48, c, 1));
    assert_one_reject(&h, 2, 1, "mpxn", "mpan_check_digit");
    assert_non_null(strstr(h.j[0].message, "should be 7"));
    harness_close(&h);

    open_with_header(&h, 30);                   /* full 21-digit MPAN, core check digit good */
    harness_feed(&h, row_of("001112221312345678907", "2024-01-01", 48, NULL, 0));
    assert_int_equal(h.nj, 0);
    assert_int_equal(h.nr, 48);
    assert_string_equal(h.r[0].mpxn, "1312345678907"); /* the meter is its core (mpan.h) */
    harness_close(&h);
}

static void test_bad_date_is_timestamp_syntax_before_values(void **state)
{
    (void)state;
    struct harness h;
    struct cell c[] = { { 0, "x" } };
    const char *dates[] = { "2023-02-29", "2024-1-01", "15/01/2024", "" };
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        open_with_header(&h, 30);
        harness_feed(&h, row_of(MPAN, dates[i], 48, c, 1));
        assert_one_reject(&h, 2, 2, "date", "timestamp_syntax");
        harness_close(&h);
    }
}

static void test_wrong_field_count_is_a_whole_line_fault(void **state)
{
    (void)state;
    struct harness h;
    open_with_header(&h, 30);
    harness_feed(&h, row_of(MPAN, "2024-01-15", 47, NULL, 0));  /* truncated line */
    assert_one_reject(&h, 2, 0, "", "field_count");
    harness_feed(&h, row_of(MPAN, "2024-01-15", 48, NULL, 0));
    assert_int_equal(h.nr, 48);
    assert_int_equal(h.r[0].line, 3);
    harness_close(&h);
}

static void test_header_faults_name_the_column(void **state)
{
    (void)state;
    struct harness h;
    struct { const char *header; int column; const char *says; } cases[] = {
        { "meter,date,0000,0030", 1, "column 1 is 'meter'" },
        { "mpxn,day,0000,0030", 2, "column 2 is 'day'" },
        { "mpxn,date,0030,0100", 3, "must be 0000" },
        { "mpxn,date,0000,0045", 4, "0015, 0030 or 0100" },
        { "mpxn,date,0000", 4, "(nothing)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(harness_open(&h, &reader_wide, "t.csv", 1), 0);
        harness_feed(&h, cases[i].header);
        assert_int_equal(h.header_rc, -1);
        assert_string_equal(h.header_err.code, "header");
        assert_int_equal(h.header_err.line, 1);
        assert_int_equal(h.header_err.column, cases[i].column);
        assert_non_null(strstr(h.header_err.message, cases[i].says));
        harness_close(&h);
    }

    /* 0000..2300 then 2330 misspelt as 2400 */
    assert_int_equal(harness_open(&h, &reader_wide, "t.csv", 1), 0);
    char hdr[sizeof line_buf + 16];
    snprintf(hdr, sizeof hdr, "%s", header_of(30, 47));
    strcat(hdr, ",2400");
    harness_feed(&h, hdr);
    assert_int_equal(h.header_rc, -1);
    assert_int_equal(h.header_err.column, 50);
    assert_non_null(strstr(h.header_err.message, "expected '2330'"));
    harness_close(&h);

    /* a day short of its last interval, and one with an extra column */
    assert_int_equal(harness_open(&h, &reader_wide, "t.csv", 1), 0);
    harness_feed(&h, header_of(30, 47));
    assert_int_equal(h.header_rc, -1);
    assert_int_equal(h.header_err.column, 49);
    assert_non_null(strstr(h.header_err.message, "needs 48 interval columns, 0000 to 2330"));
    harness_close(&h);

    assert_int_equal(harness_open(&h, &reader_wide, "t.csv", 1), 0);
    snprintf(hdr, sizeof hdr, "%s,total", header_of(60, 24));
    harness_feed(&h, hdr);
    assert_int_equal(h.header_rc, -1);
    assert_int_equal(h.header_err.column, 27);
    assert_non_null(strstr(h.header_err.message, "extra column 'total'"));
    harness_close(&h);
}

static void test_sniff_recognises_wide_header_only(void **state)
{
    (void)state;
    struct csvline cl;
    assert_int_equal(csvline_init(&cl, ','), 0);
    const char *hdr = header_of(30, 48);
    int n = csvline_split(&cl, hdr, strlen(hdr), NULL);
    assert_ptr_equal(reader_detect(cl.fields, cl.lens, n), &reader_wide);
    assert_ptr_equal(reader_find("wide"), &reader_wide);
    const char *other[] = { "mpxn,timestamp,kwh", "mpxn,date,kwh", "LCLid,tstp,energy(kWh/hh)" };
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
        n = csvline_split(&cl, other[i], strlen(other[i]), NULL);
        assert_false(reader_wide.sniff(cl.fields, cl.lens, n));
    }
    csvline_free(&cl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_half_hourly_row_emits_48_readings_at_utc_starts),
        cmocka_unit_test(test_hourly_and_quarter_hourly_headers_fix_minutes),
        cmocka_unit_test(test_empty_cells_are_missing_intervals_not_faults),
        cmocka_unit_test(test_bad_value_rejects_whole_line_naming_first_bad_column),
        cmocka_unit_test(test_negative_and_implausible_values_are_value_range),
        cmocka_unit_test(test_null_cell_is_value_missing),
        cmocka_unit_test(test_meter_id_checks_come_first),
        cmocka_unit_test(test_bad_date_is_timestamp_syntax_before_values),
        cmocka_unit_test(test_wrong_field_count_is_a_whole_line_fault),
        cmocka_unit_test(test_header_faults_name_the_column),
        cmocka_unit_test(test_sniff_recognises_wide_header_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
