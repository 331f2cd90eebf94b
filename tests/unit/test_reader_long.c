/* The long reader: what it accepts (exact Wh, UTC instants, quality) and every rejection
 * it can raise, with its column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "backend/halfhour.h"
#include "backend/linesplit.h"
#include "backend/reader.h"

struct got {
    int nreadings, nrejects;
    struct reading r;
    char mpxn[32];
    int column;
    char name[32];
    char code[32];
    char message[300];
};

static void on_reading(void *ctx, const struct reading *r)
{
    struct got *g = ctx;
    g->nreadings++;
    g->r = *r;
    snprintf(g->mpxn, sizeof g->mpxn, "%.*s", (int)r->mpxn_len, r->mpxn);
}

static void on_record(void *ctx, const char *const *v, int n)
{
    (void)ctx;
    (void)v;
    (void)n;
    fail_msg("the long reader emitted a registry record");
}

static void on_reject(void *ctx, int column, const char *name, const char *code, const char *msg)
{
    struct got *g = ctx;
    g->nrejects++;
    g->column = column;
    snprintf(g->name, sizeof g->name, "%s", name ? name : "");
    snprintf(g->code, sizeof g->code, "%s", code);
    snprintf(g->message, sizeof g->message, "%s", msg);
}

struct fixture {
    struct linesplit ls;
    struct reader_state st;
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    assert_int_equal(linesplit_init(&fx->ls, ','), 0);
    fx->st.fmt = &reader_long;
    fx->st.path = "test.csv";
    fx->st.line = 1;
    fx->st.priv = calloc(1, reader_long.state_size);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    linesplit_free(&fx->ls);
    free(fx->st.priv);
    free(fx);
    return 0;
}

static int header(struct fixture *fx, const char *line, struct mo_err *err)
{
    char **f;
    size_t *l;
    int n = linesplit_split(&fx->ls, line, strlen(line), &f, &l, NULL);
    memset(fx->st.priv, 0, reader_long.state_size);
    return reader_long.header(&fx->st, f, l, n, err);
}

static struct got row(struct fixture *fx, const char *line)
{
    struct got g;
    memset(&g, 0, sizeof g);
    char **f;
    size_t *l;
    int n = linesplit_split(&fx->ls, line, strlen(line), &f, &l, NULL);
    assert_true(n >= 0);
    struct reader_sink sink = { &g, on_reading, on_record, on_reject };
    fx->st.line++;
    reader_long.row(&fx->st, f, l, n, &sink);
    assert_int_equal(g.nreadings + g.nrejects, 1);
    return g;
}

static void expect_reject(struct fixture *fx, const char *line, int column, const char *name,
                          const char *code)
{
    struct got g = row(fx, line);
    if (g.nrejects != 1)
        fail_msg("'%s' was accepted; expected %s", line, code);
    assert_string_equal(g.code, code);
    assert_int_equal(g.column, column);
    assert_string_equal(g.name, name);
}

static void test_detects_its_header(void **state)
{
    (void)state;
    char *f3[3] = { "mpxn", "timestamp", "kwh" };
    size_t l3[3] = { 4, 9, 3 };
    assert_true(reader_long.sniff(f3, l3, 3));
    char *f4[4] = { "mpxn", "timestamp", "kwh", "quality" };
    size_t l4[4] = { 4, 9, 3, 7 };
    assert_true(reader_long.sniff(f4, l4, 4));
    char *bad[3] = { "mpan", "timestamp", "kwh" };
    size_t lb[3] = { 4, 9, 3 };
    assert_false(reader_long.sniff(bad, lb, 3));
    assert_ptr_equal(reader_find("long"), &reader_long);
    assert_true(reader_long.flags & READER_PARALLEL);
}

static void test_refuses_a_foreign_header_naming_the_column(void **state)
{
    struct fixture *fx = *state;
    struct mo_err err;
    assert_int_equal(header(fx, "mpxn,time,kwh", &err), -1);
    assert_string_equal(err.code, "header");
    assert_int_equal(err.column, 2);
    assert_int_equal(header(fx, "mpxn,timestamp", &err), -1);
    assert_int_equal(err.column, 3);
    assert_int_equal(header(fx, "mpxn,timestamp,kwh,quality,extra", &err), -1);
    assert_int_equal(err.column, 5);
}

static void test_reads_exact_watt_hours_and_utc_starts(void **state)
{
    struct fixture *fx = *state;
    struct mo_err err;
    assert_int_equal(header(fx, "mpxn,timestamp,kwh", &err), 0);
    struct got g = row(fx, "2700003645222,2024-06-01T00:30:00Z,0.2185");
    assert_int_equal(g.r.wh, 219); /* 218.5 rounds away from zero; 0.2185 is no double */
    assert_int_equal(g.r.start, days_from_civil(2024, 6, 1) * 86400 + 1800);
    assert_string_equal(g.mpxn, "2700003645222");
    assert_int_equal(g.r.minutes, 0);
    assert_int_equal(g.r.quality, 'A');
    assert_int_equal(g.r.column, 2);
    assert_int_equal(g.r.value_column, 3);
    assert_int_equal(row(fx, "2700003645222,2024-06-01T00:30:00Z,0.0004").r.wh, 0);
    assert_int_equal(row(fx, "2700003645222,2024-06-01T00:30:00Z,0.0005").r.wh, 1);
    assert_int_equal(row(fx, "2700003645222,2024-06-01T00:30:00Z,1.99951").r.wh, 2000);
    assert_int_equal(row(fx, "2700003645222,2024-06-01T00:30:00Z,12").r.wh, 12000);
    assert_int_equal(row(fx, "2700003645222,2024-06-01T00:30:00Z,.5").r.wh, 500);
    assert_int_equal(row(fx, "2700003645222,2024-06-01T00:30:00Z,-0.000").r.wh, 0);
    assert_int_equal(row(fx, "2700003645222,2024-06-01T00:30:00Z,+1.25").r.wh, 1250);
    assert_int_equal(row(fx, "2700003645222,2024-06-01T00:30:00Z,100").r.wh, 100000);
    /* offsets, the slow path's shapes and padding all name the same instant */
    int64_t t = days_from_civil(2024, 6, 1) * 86400 + 1800;
    assert_int_equal(row(fx, "2700003645222,2024-06-01T01:30:00+01:00,1").r.start, t);
    assert_int_equal(row(fx, "2700003645222,2024-05-31T23:30:00-01:00,1").r.start, t);
    assert_int_equal(row(fx, "2700003645222,2024-06-01 00:30:00Z,1").r.start, t);
    assert_int_equal(row(fx, "2700003645222,2024-06-01T00:30Z,1").r.start, t);
    assert_int_equal(row(fx, "2700003645222,2024-06-01T00:30:00.000Z,1").r.start, t);
    assert_int_equal(row(fx, "2700003645222,2024-06-01T01:30:00+0100,1").r.start, t);
    assert_int_equal(row(fx, " 2700003645222 , 2024-06-01T00:30:00Z , 1 ").r.start, t);
    /* full MPAN and gas MPRN */
    assert_int_equal(row(fx, "001112222700003645222,2024-06-01T00:30:00Z,1").nreadings, 1);
    assert_int_equal(row(fx, "1234567890,2024-06-01T00:30:00Z,1").nreadings, 1);
}

static void test_reads_quality_column(void **state)
{
    struct fixture *fx = *state;
    struct mo_err err;
    assert_int_equal(header(fx, "mpxn,timestamp,kwh,quality", &err), 0);
    assert_int_equal(row(fx, "2700003645222,2024-06-01T00:30:00Z,1,E").r.quality, 'E');
    assert_int_equal(row(fx, "2700003645222,2024-06-01T00:30:00Z,1,A").r.quality, 'A');
    assert_int_equal(row(fx, "2700003645222,2024-06-01T00:30:00Z,1,").r.quality, 'A');
    expect_reject(fx, "2700003645222,2024-06-01T00:30:00Z,1,X", 4, "quality", RJ_VALUE_SYNTAX);
    expect_reject(fx, "2700003645222,2024-06-01T00:30:00Z,1,AE", 4, "quality", RJ_VALUE_SYNTAX);
    expect_reject(fx, "2700003645222,2024-06-01T00:30:00Z,1", 0, "", RJ_FIELD_COUNT);
}

static void test_rejects_each_fault_with_its_column(void **state)
{
    struct fixture *fx = *state;
    struct mo_err err;
    assert_int_equal(header(fx, "mpxn,timestamp,kwh", &err), 0);
    expect_reject(fx, "2700003645222,2024-06-01T00:30:00Z", 0, "", RJ_FIELD_COUNT);
    expect_reject(fx, "2700003645222,2024-06-01T00:30:00Z,1,A", 0, "", RJ_FIELD_COUNT);
    expect_reject(fx, "", 0, "", RJ_FIELD_COUNT);
    expect_reject(fx, "27000036452,2024-06-01T00:30:00Z,1", 1, "mpxn", RJ_MPXN_SYNTAX);
    expect_reject(fx, "MAC000002,2024-06-01T00:30:00Z,1", 1, "mpxn", RJ_MPXN_SYNTAX);
    expect_reject(fx, ",2024-06-01T00:30:00Z,1", 1, "mpxn", RJ_MPXN_SYNTAX);
    expect_reject(fx, "2700003645223,2024-06-01T00:30:00Z,1", 1, "mpxn", RJ_MPAN_CHECK);
    expect_reject(fx, "001112222700003645223,2024-06-01T00:30:00Z,1", 1, "mpxn", RJ_MPAN_CHECK);
    expect_reject(fx, "2700003645222,2024-06-01T00:30:00,1", 2, "timestamp", RJ_TIMESTAMP);
    expect_reject(fx, "2700003645222,2024-02-30T00:30:00Z,1", 2, "timestamp", RJ_TIMESTAMP);
    expect_reject(fx, "2700003645222,2024-06-01T24:00:00Z,1", 2, "timestamp", RJ_TIMESTAMP);
    expect_reject(fx, "2700003645222,2024-06-01T00:30:00.5Z,1", 2, "timestamp", RJ_TIMESTAMP);
    expect_reject(fx, "2700003645222,01/06/2024 00:30,1", 2, "timestamp", RJ_TIMESTAMP);
    expect_reject(fx, "2700003645222,2024-06-01T00:30:00Z,abc", 3, "kwh", RJ_VALUE_SYNTAX);
    expect_reject(fx, "2700003645222,2024-06-01T00:30:00Z,1e3", 3, "kwh", RJ_VALUE_SYNTAX);
    expect_reject(fx, "2700003645222,2024-06-01T00:30:00Z,.", 3, "kwh", RJ_VALUE_SYNTAX);
    expect_reject(fx, "2700003645222,2024-06-01T00:30:00Z,1.2.3", 3, "kwh", RJ_VALUE_SYNTAX);
    expect_reject(fx, "2700003645222,2024-06-01T00:30:00Z,", 3, "kwh", RJ_VALUE_MISSING);
    expect_reject(fx, "2700003645222,2024-06-01T00:30:00Z,Null", 3, "kwh", RJ_VALUE_MISSING);
    expect_reject(fx, "2700003645222,2024-06-01T00:30:00Z,NaN", 3, "kwh", RJ_VALUE_MISSING);
    expect_reject(fx, "2700003645222,2024-06-01T00:30:00Z,-0.001", 3, "kwh", RJ_VALUE_RANGE);
    expect_reject(fx, "2700003645222,2024-06-01T00:30:00Z,-0.0005", 3, "kwh", RJ_VALUE_RANGE);
    expect_reject(fx, "2700003645222,2024-06-01T00:30:00Z,100.001", 3, "kwh", RJ_VALUE_RANGE);
    expect_reject(fx, "2700003645222,2024-06-01T00:30:00Z,12345678901", 3, "kwh", RJ_VALUE_RANGE);
}

static void test_first_failing_check_wins(void **state)
{
    struct fixture *fx = *state;
    struct mo_err err;
    assert_int_equal(header(fx, "mpxn,timestamp,kwh", &err), 0);
    /* bad meter id, bad stamp and bad value: the meter id is checked first */
    expect_reject(fx, "2700003645223,yesterday,abc", 1, "mpxn", RJ_MPAN_CHECK);
    expect_reject(fx, "2700003645222,yesterday,abc", 2, "timestamp", RJ_TIMESTAMP);
}

static void test_messages_name_the_value(void **state)
{
    struct fixture *fx = *state;
    struct mo_err err;
    assert_int_equal(header(fx, "mpxn,timestamp,kwh", &err), 0);
    struct got g = row(fx, "2700003645223,2024-06-01T00:30:00Z,1");
    assert_non_null(strstr(g.message, "2700003645223"));
    assert_non_null(strstr(g.message, "should be 2"));
    g = row(fx, "2700003645222,2024-06-01T00:30:00Z,abc");
    assert_non_null(strstr(g.message, "'abc'"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detects_its_header),
        cmocka_unit_test_setup_teardown(test_refuses_a_foreign_header_naming_the_column, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reads_exact_watt_hours_and_utc_starts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reads_quality_column, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejects_each_fault_with_its_column, setup, teardown),
        cmocka_unit_test_setup_teardown(test_first_failing_check_wins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_messages_name_the_value, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
