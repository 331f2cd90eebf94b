/* The registry feeds' readers: exact headers, and for each rule the one rejection with its
 * code and column; good rows reach the sink verbatim with empty fields as NULL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "backend/csvline.h"
#include "backend/reader.h"

/* What the sink saw for one row. */
struct seen {
    int records, rejects;
    int column;
    char column_name[64];
    char code[64];
    char message[512];
    int nvalues;
    char values[16][128];
    int is_null[16];
};

static void on_record(void *ctx, const char *const *values, int n)
{
    struct seen *s = ctx;
    s->records++;
    s->nvalues = n;
    for (int i = 0; i < n && i < 16; i++) {
        s->is_null[i] = values[i] == NULL;
        snprintf(s->values[i], sizeof s->values[i], "%s", values[i] ? values[i] : "");
    }
}

static void on_reject(void *ctx, int column, const char *column_name, const char *code,
                      const char *message)
{
    struct seen *s = ctx;
    s->rejects++;
    s->column = column;
    snprintf(s->column_name, sizeof s->column_name, "%s", column_name ? column_name : "(null)");
    snprintf(s->code, sizeof s->code, "%s", code);
    snprintf(s->message, sizeof s->message, "%s", message ? message : "");
}

/* Runs one data line through a format's row(); exactly one outcome is required. */
static struct seen run(const struct reader_format *fmt, const char *line)
{
    struct seen s;
    memset(&s, 0, sizeof s);
    struct csvline cl;
    assert_int_equal(csvline_init(&cl, ','), 0);
    int n = csvline_split(&cl, line, strlen(line), NULL);
    assert_true(n > 0);
    struct reader_state st = { .fmt = fmt, .path = "test.csv", .line = 2 };
    struct reader_sink sink = { .ctx = &s, .record = on_record, .reject = on_reject };
    fmt->row(&st, cl.fields, cl.lens, n, &sink);
    csvline_free(&cl);
    assert_int_equal(s.records + s.rejects, 1);
    return s;
}

static void rejected(const struct reader_format *fmt, const char *line, const char *code,
                     const char *column_name, const char *message_part)
{
    struct seen s = run(fmt, line);
    if (s.rejects != 1)
        fail_msg("'%s' was accepted; expected %s on %s", line, code, column_name);
    assert_string_equal(s.code, code);
    assert_string_equal(s.column_name, column_name);
    if (strcmp(column_name, "(null)") == 0) {
        assert_int_equal(s.column, 0);
    } else {
        int i = 0;
        while (fmt->columns[i] && strcmp(fmt->columns[i], column_name) != 0)
            i++;
        assert_int_equal(s.column, i + 1);
    }
    if (!strstr(s.message, message_part))
        fail_msg("message '%s' lacks '%s'", s.message, message_part);
}

static int header_ok(const struct reader_format *fmt, const char *line, struct mo_err *err)
{
    struct csvline cl;
    assert_int_equal(csvline_init(&cl, ','), 0);
    int n = csvline_split(&cl, line, strlen(line), NULL);
    struct reader_state st = { .fmt = fmt, .path = "test.csv", .line = 1 };
    mo_err_clear(err);
    int rc = fmt->header(&st, cl.fields, cl.lens, n, err);
    int sniffed = fmt->sniff(cl.fields, cl.lens, n);
    const struct reader_format *detected = reader_detect(cl.fields, cl.lens, n);
    csvline_free(&cl);
    assert_int_equal(sniffed, rc == 0);
    if (rc == 0)
        assert_ptr_equal(detected, fmt);
    return rc;
}

static void test_headers_are_exact_and_detected(void **state)
{
    (void)state;
    struct mo_err err;
    assert_int_equal(header_ok(&reader_customers, "account_no,name,postcode,email,phone", &err), 0);
    assert_int_equal(header_ok(&reader_meters, "mpxn,fuel,interval_minutes,account_no,tariff_code,installed_on,removed_on", &err), 0);
    assert_int_equal(header_ok(&reader_meters, "mpxn,fuel,interval_minutes,account_no,tariff_code,installed_on,removed_on,direction", &err), 0);
    assert_int_equal(header_ok(&reader_meters, "mpxn,fuel,interval_minutes,account_no,tariff_code,installed_on,removed_on,direction,tariff_from", &err), 0);
    assert_int_equal(header_ok(&reader_tariffs, "code,name,fuel,standing_p_day,valid_from,valid_to,band,start_local,end_local,unit_p_kwh", &err), 0);
    assert_int_equal(header_ok(&reader_bills, "account_no,period_start,period_end,kwh,amount_p,issued_on", &err), 0);

    assert_int_equal(header_ok(&reader_customers, "account_no,name,post_code,email,phone", &err), -1);
    assert_string_equal(err.code, "header");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 3);
    assert_non_null(strstr(err.message, "\"post_code\", expected \"postcode\""));

    assert_int_equal(header_ok(&reader_bills, "account_no,period_start,period_end,kwh,amount_p", &err), -1);
    assert_int_equal(err.column, 6);
    assert_non_null(strstr(err.message, "this one has 5"));

    assert_ptr_equal(reader_find("customers"), &reader_customers);
    assert_ptr_equal(reader_find("tariffs"), &reader_tariffs);
    assert_ptr_equal(reader_find("meters"), &reader_meters);
    assert_ptr_equal(reader_find("bills"), &reader_bills);
    assert_int_equal(reader_customers.kind, READER_REGISTRY);
    assert_string_equal(sql_name(reader_meters.upsert_sql), "load/upsert_meters");
}

static void test_customer_row_reaches_sink_with_nulls_for_empty_fields(void **state)
{
    (void)state;
    struct seen s = run(&reader_customers, "A-00C0FFEE,\"Patel & Sons, Newsagents\",SW1A 1AA,,07700 900123");
    assert_int_equal(s.records, 1);
    assert_int_equal(s.nvalues, 5);
    assert_string_equal(s.values[0], "A-00C0FFEE");
    assert_string_equal(s.values[1], "Patel & Sons, Newsagents");
    assert_string_equal(s.values[2], "SW1A 1AA");
    assert_true(s.is_null[3]);
    assert_string_equal(s.values[4], "07700 900123");
    assert_int_equal(run(&reader_customers, "A1,Zoë Müller,GIR 0AA,zoe.o'neill+x@mail.example.co.uk,+44 20 7946 0123").records, 1);
    assert_int_equal(run(&reader_customers, "A1,Ann,W5 2AB,,").records, 1);
    assert_int_equal(run(&reader_customers, "A1,Ann,EC1V 9HX,,").records, 1);
}

static void test_customer_rejections_name_their_column(void **state)
{
    (void)state;
    rejected(&reader_customers, "A1,Ann,SW1A 1AA,a@example.com", RJ_FIELD_COUNT, "(null)", "4 fields");
    rejected(&reader_customers, "A1,Ann,SW1A 1AA,a@example.com,,x", RJ_FIELD_COUNT, "(null)", "6 fields");
    rejected(&reader_customers, ",Ann,SW1A 1AA,,", RJ_FIELD_INVALID, "account_no", "account_no is empty");
    rejected(&reader_customers, "A 1,Ann,SW1A 1AA,,", RJ_FIELD_INVALID, "account_no", "'A 1'");
    rejected(&reader_customers, "A1,,SW1A 1AA,,", RJ_FIELD_INVALID, "name", "name is empty");
    rejected(&reader_customers, "A1,\"Ann\tLee\",SW1A 1AA,,", RJ_FIELD_INVALID, "name", "control character");
    rejected(&reader_customers, "A1,Ann,sw1a 1aa,,", RJ_FIELD_INVALID, "postcode", "'sw1a 1aa'");
    rejected(&reader_customers, "A1,Ann,SW1A1AA,,", RJ_FIELD_INVALID, "postcode", "SW1A1AA");
    rejected(&reader_customers, "A1,Ann,SW1A 1A1,,", RJ_FIELD_INVALID, "postcode", "SW1A 1A1");
    rejected(&reader_customers, "A1,Ann,1W1A 1AA,,", RJ_FIELD_INVALID, "postcode", "1W1A 1AA");
    rejected(&reader_customers, "A1,Ann,SW1A 1AA,ann.example.com,", RJ_FIELD_INVALID, "email", "ann.example.com");
    rejected(&reader_customers, "A1,Ann,SW1A 1AA,ann@localhost,", RJ_FIELD_INVALID, "email", "ann@localhost");
    rejected(&reader_customers, "A1,Ann,SW1A 1AA,ann@@example.com,", RJ_FIELD_INVALID, "email", "ann@@");
    rejected(&reader_customers, "A1,Ann,SW1A 1AA,ann@example.c0m,", RJ_FIELD_INVALID, "email", "c0m");
    rejected(&reader_customers, "A1,Ann,SW1A 1AA,ann@example.com,12345", RJ_FIELD_INVALID, "phone", "'12345'");
    rejected(&reader_customers, "A1,Ann,SW1A 1AA,ann@example.com,0770-090-0123", RJ_FIELD_INVALID, "phone", "0770-090-0123");
}

static void test_meter_rejections_name_their_column(void **state)
{
    (void)state;
    const struct reader_format *f = &reader_meters;
    assert_int_equal(run(f, "2700003645222,elec,30,A-1,ELEC-SVT,2020-01-01,").records, 1);
    struct seen full = run(f, "018011002700003645222,elec,15,,,,");
    assert_int_equal(full.records, 1);
    assert_string_equal(full.values[0], "2700003645222"); /* staged as its core (mpan.h) */
    assert_int_equal(run(f, "10012345678,elec,30,,,,").records, 1); /* Irish MPRN (issue 11) */
    struct seen s = run(f, "8391524108,gas,60,A-1,GAS-SVT,2020-01-01,2024-02-01");
    assert_int_equal(s.records, 1);
    assert_string_equal(s.values[6], "2024-02-01");
    assert_true(s.is_null[3] == 0);

    rejected(f, "2700003645222,elec,30,A-1,ELEC-SVT,2020-01-01", RJ_FIELD_COUNT, "(null)", "6 fields");
    rejected(f, "12345,elec,30,,,,", RJ_MPXN_SYNTAX, "mpxn", "'12345'");
    rejected(f, "MAC000002,elec,30,,,,", RJ_MPXN_SYNTAX, "mpxn", "MAC000002");
    rejected(f, "2700003645223,elec,30,,,,", RJ_MPAN_CHECK, "mpxn", "should be 2");
    rejected(f, "10012345678,gas,30,,,,", RJ_FIELD_INVALID, "fuel", "an electricity MPAN or MPRN");
    rejected(f, "20012345678,elec,30,,,,", RJ_MPXN_SYNTAX, "mpxn", "Irish MPRN (10...)");
    rejected(f, "0391524108,gas,30,,,,", RJ_MPXN_SYNTAX, "mpxn", "no leading zero");
    rejected(f, "018011002700003645229,elec,30,,,,", RJ_MPAN_CHECK, "mpxn", "018011002700003645229");
    rejected(f, "2700003645222,electric,30,,,,", RJ_FIELD_INVALID, "fuel", "'electric'");
    rejected(f, "2700003645222,gas,30,,,,", RJ_FIELD_INVALID, "fuel", "an electricity MPAN");
    rejected(f, "8391524108,elec,30,,,,", RJ_FIELD_INVALID, "fuel", "a gas MPRN");
    rejected(f, "2700003645222,elec,45,,,,", RJ_FIELD_INVALID, "interval_minutes", "'45'");
    rejected(f, "2700003645222,elec,,,,,", RJ_FIELD_INVALID, "interval_minutes", "''");
    rejected(f, "2700003645222,elec,30,A/1,,,", RJ_FIELD_INVALID, "account_no", "'A/1'");
    rejected(f, "2700003645222,elec,30,A-1,ELEC SVT,,", RJ_FIELD_INVALID, "tariff_code", "'ELEC SVT'");
    rejected(f, "2700003645222,elec,30,A-1,ELEC-SVT,01/02/2020,", RJ_FIELD_INVALID, "installed_on", "'01/02/2020'");
    rejected(f, "2700003645222,elec,30,A-1,ELEC-SVT,2020-02-30,", RJ_FIELD_INVALID, "installed_on", "2020-02-30");
    rejected(f, "2700003645222,elec,30,A-1,ELEC-SVT,2020-01-01,2019-12-31", RJ_FIELD_INVALID, "removed_on", "before installed_on");
}

/* tariff_from (issue 11, 021_meter_tariff.sql): the day a meter's tariff starts. */
static void test_meter_tariff_from(void **state)
{
    (void)state;
    const struct reader_format *f = &reader_meters;
    struct seen s = run(f, "2700003645222,elec,30,A-1,ELEC-E7,2020-01-01,,import,2024-01-16");
    assert_int_equal(s.records, 1);
    assert_string_equal(s.values[8], "2024-01-16");
    s = run(f, "2700003645222,elec,30,A-1,ELEC-E7,2020-01-01,,import,");
    assert_int_equal(s.records, 1);
    assert_true(s.is_null[8]);
    rejected(f, "2700003645222,elec,30,A-1,ELEC-E7,2020-01-01,,import,16/01/2024", RJ_FIELD_INVALID,
             "tariff_from", "'16/01/2024'");
    rejected(f, "2700003645222,elec,30,A-1,,2020-01-01,,import,2024-01-16", RJ_FIELD_INVALID,
             "tariff_from", "tariff_code is empty");
}

static void test_tariff_rejections_name_their_column(void **state)
{
    (void)state;
    const struct reader_format *f = &reader_tariffs;
    assert_int_equal(run(f, "ELEC-E7,Economy 7,elec,60.1200,2024-01-01,,night,00:30,07:30,13.93").records, 1);
    assert_int_equal(run(f, "GAS-1,\"Gas, fixed\",gas,31,2024-01-01,2025-01-01,all day,00:00,24:00,5.4800").records, 1);

    rejected(f, "ELEC-E7,Economy 7,elec,60.12,2024-01-01,,night,00:30,07:30", RJ_FIELD_COUNT, "(null)", "9 fields");
    rejected(f, "E 7,Economy 7,elec,60.12,2024-01-01,,night,00:30,07:30,13", RJ_FIELD_INVALID, "code", "'E 7'");
    rejected(f, "E7,,elec,60.12,2024-01-01,,night,00:30,07:30,13", RJ_FIELD_INVALID, "name", "name is empty");
    rejected(f, "E7,Economy 7,Elec,60.12,2024-01-01,,night,00:30,07:30,13", RJ_FIELD_INVALID, "fuel", "'Elec'");
    rejected(f, "E7,Economy 7,elec,-60.12,2024-01-01,,night,00:30,07:30,13", RJ_FIELD_INVALID, "standing_p_day", "'-60.12'");
    rejected(f, "E7,Economy 7,elec,60.12345,2024-01-01,,night,00:30,07:30,13", RJ_FIELD_INVALID, "standing_p_day", "60.12345");
    rejected(f, "E7,Economy 7,elec,60.12,,,night,00:30,07:30,13", RJ_FIELD_INVALID, "valid_from", "valid_from is empty");
    rejected(f, "E7,Economy 7,elec,60.12,2024-01-01,2024-01-01,night,00:30,07:30,13", RJ_FIELD_INVALID, "valid_to", "not after valid_from");
    rejected(f, "E7,Economy 7,elec,60.12,2024-01-01,,,00:30,07:30,13", RJ_FIELD_INVALID, "band", "band is empty");
    rejected(f, "E7,Economy 7,elec,60.12,2024-01-01,,the cheap night hours of economy seven,00:30,07:30,13",
             RJ_FIELD_INVALID, "band", "longer than 32 bytes");
    rejected(f, "E7,Economy 7,elec,60.12,2024-01-01,,night,24:00,24:00,13", RJ_FIELD_INVALID, "start_local", "'24:00'");
    rejected(f, "E7,Economy 7,elec,60.12,2024-01-01,,night,0:30,07:30,13", RJ_FIELD_INVALID, "start_local", "'0:30'");
    rejected(f, "E7,Economy 7,elec,60.12,2024-01-01,,night,00:30,00:00,13", RJ_FIELD_INVALID, "end_local", "'00:00'");
    rejected(f, "E7,Economy 7,elec,60.12,2024-01-01,,night,07:30,00:30,13", RJ_FIELD_INVALID, "end_local", "two rows");
    rejected(f, "E7,Economy 7,elec,60.12,2024-01-01,,night,00:30,07:30,thirteen", RJ_FIELD_INVALID, "unit_p_kwh", "'thirteen'");
    rejected(f, "E7,Economy 7,elec,60.12,2024-01-01,,night,00:30,07:30,.5", RJ_FIELD_INVALID, "unit_p_kwh", "'.5'");
}

static void test_bill_rejections_name_their_column(void **state)
{
    (void)state;
    const struct reader_format *f = &reader_bills;
    assert_int_equal(run(f, "A-1,2024-06-01,2024-06-30,312.456,9876.54,2024-07-01").records, 1);
    assert_int_equal(run(f, "A-1,2024-06-01,2024-06-01,0,-1500.5,2024-06-01").records, 1);

    rejected(f, "A-1,2024-06-01,2024-06-30,312.456,9876.54,2024-07-01,x", RJ_FIELD_COUNT, "(null)", "7 fields");
    rejected(f, ",2024-06-01,2024-06-30,312.456,9876.54,2024-07-01", RJ_FIELD_INVALID, "account_no", "empty");
    rejected(f, "A-1,2024-6-1,2024-06-30,312.456,9876.54,2024-07-01", RJ_FIELD_INVALID, "period_start", "'2024-6-1'");
    rejected(f, "A-1,2024-06-01,2024-05-31,312.456,9876.54,2024-07-01", RJ_FIELD_INVALID, "period_end", "before period_start");
    rejected(f, "A-1,2024-06-01,2024-06-30,-312.456,9876.54,2024-07-01", RJ_FIELD_INVALID, "kwh", "'-312.456'");
    rejected(f, "A-1,2024-06-01,2024-06-30,312.4567,9876.54,2024-07-01", RJ_FIELD_INVALID, "kwh", "312.4567");
    rejected(f, "A-1,2024-06-01,2024-06-30,312.456,9876.543,2024-07-01", RJ_FIELD_INVALID, "amount_p", "9876.543");
    rejected(f, "A-1,2024-06-01,2024-06-30,312.456,£98.76,2024-07-01", RJ_FIELD_INVALID, "amount_p", "£98.76");
    rejected(f, "A-1,2024-06-01,2024-06-30,312.456,9876.54,", RJ_FIELD_INVALID, "issued_on", "issued_on is empty");
    rejected(f, "A-1,2024-06-01,2024-06-30,312.456,9876.54,2024-05-31", RJ_FIELD_INVALID, "issued_on", "before the period starts");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headers_are_exact_and_detected),
        cmocka_unit_test(test_customer_row_reaches_sink_with_nulls_for_empty_fields),
        cmocka_unit_test(test_customer_rejections_name_their_column),
        cmocka_unit_test(test_meter_rejections_name_their_column),
        cmocka_unit_test(test_meter_tariff_from),
        cmocka_unit_test(test_tariff_rejections_name_their_column),
        cmocka_unit_test(test_bill_rejections_name_their_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
