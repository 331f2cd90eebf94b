/* test_reader_d0010.c - the D0010 line reader (backend/reader_d0010.c) driven as the loader
 * drives it: each line split at '|' (linesplit), line 1 through header(), the rest through
 * row(), then end(). Each test asserts what each line became (a read with its values, a
 * line holding none, or one rejection with its code and column) and the file's verdict. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backend/linesplit.h"
#include "backend/reader.h"
#include "backend/reader_d0010.h"

#define MAX_LINES 64

struct outcome {
    char kind;              /* 'R' read, 'N' no record, 'J' rejected */
    char values[9][40];     /* a read's values ("" for NULL) */
    int column;
    char code[32];
    char message[240];
};

struct run {
    struct linesplit ls;
    struct reader_state st;
    int header_rc, end_rc;
    struct mo_err header_err, end_err;
    struct outcome out[MAX_LINES];  /* by line number */
    long line;
};

static void on_reading(void *ctx, const struct reading *r)
{
    (void)ctx;
    (void)r;
    fail_msg("a D0010 line emitted an interval reading");
}

static void on_record(void *ctx, const char *const *values, int n)
{
    struct run *r = ctx;
    struct outcome *o = &r->out[r->line];
    assert_int_equal(o->kind, 0);
    o->kind = n ? 'R' : 'N';
    for (int i = 0; i < n && i < 9; i++)
        snprintf(o->values[i], sizeof o->values[i], "%s", values[i] ? values[i] : "");
}

static void on_reject(void *ctx, int column, const char *name, const char *code, const char *msg)
{
    (void)name;
    struct run *r = ctx;
    struct outcome *o = &r->out[r->line];
    assert_int_equal(o->kind, 0);
    o->kind = 'J';
    o->column = column;
    snprintf(o->code, sizeof o->code, "%s", code);
    snprintf(o->message, sizeof o->message, "%s", msg);
}

/* Reads text (lines separated by "\n") as one file. */
static struct run *read_flow(const char *text)
{
    struct run *r = calloc(1, sizeof *r);
    assert_non_null(r);
    assert_int_equal(linesplit_init(&r->ls, reader_d0010.delimiter), 0);
    r->st.fmt = &reader_d0010;
    r->st.path = "test.uff";
    r->st.priv = calloc(1, reader_d0010.state_size);
    const struct reader_sink sink = { r, on_reading, on_record, on_reject };
    const char *s = text;
    for (r->line = 1; *s && r->line < MAX_LINES; r->line++) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        char **f;
        size_t *lens;
        const char *why;
        int n = linesplit_split(&r->ls, s, len, &f, &lens, &why);
        assert_true(n >= 0);
        r->st.line = r->line;
        if (r->line == 1 && n > 0)
            r->header_rc = reader_d0010.header(&r->st, f, lens, n, &r->header_err);
        else
            reader_d0010.row(&r->st, f, lens, n, &sink);
        s = nl ? nl + 1 : s + len;
    }
    r->end_rc = reader_d0010.end(&r->st, &r->end_err);
    return r;
}

static void run_free(struct run *r)
{
    linesplit_free(&r->ls);
    free(r->st.priv);
    free(r);
}

#define ZHV "ZHV|0000475656|D0010002|D|UDMS|X|MRCY|20160302153151||||OPER|\n"

static void test_reads_a_group_with_exact_values(void **state)
{
    (void)state;
    struct run *r = read_flow(ZHV "026|1900005281720|V|\n028|36933604|D|\n"
                              "030|DY|20160222000000|80598.0|||T|N|\n"
                              "030|NT|20160222233000|15549|||T|N|\n"
                              "ZPT|0000475656|4||1|20160302154650|");
    assert_int_equal(r->header_rc, 0);
    assert_int_equal(r->out[2].kind, 'N');
    assert_int_equal(r->out[3].kind, 'N');
    assert_int_equal(r->out[4].kind, 'R');
    const char *want[9] = { "1900005281720", "V", "36933604", "D", "DY", "2016-02-22 00:00:00",
                            "80598.0", "T", "N" };
    for (int i = 0; i < 9; i++)
        assert_string_equal(r->out[4].values[i], want[i]);
    assert_string_equal(r->out[5].values[5], "2016-02-22 23:30:00");
    assert_string_equal(r->out[5].values[6], "15549");
    assert_int_equal(r->out[6].kind, 'N');
    assert_int_equal(r->end_rc, 0);
    run_free(r);
}

static void test_padding_fields_read_the_same(void **state)
{
    (void)state;
    struct run *r = read_flow(ZHV "026|1900005281720|V| | |\n028|36933604|D| | |\n"
                              "030|DY|20160222000000|80598.0|||T|N| | |\n"
                              "ZPT|0000475656|3||1|20160302154650| |");
    assert_int_equal(r->out[4].kind, 'R');
    assert_string_equal(r->out[4].values[6], "80598.0");
    assert_int_equal(r->end_rc, 0);
    run_free(r);
}

static void test_rejects_bad_check_digit_and_its_group(void **state)
{
    (void)state;
    struct run *r = read_flow(ZHV "026|1900005281721|V|\n028|36933604|D|\n"
                              "030|DY|20160222000000|80598.0|||T|N|\n"
                              "ZPT|0000475656|3||1|20160302154650|");
    assert_int_equal(r->out[2].kind, 'J');
    assert_string_equal(r->out[2].code, RJ_MPAN_CHECK);
    assert_int_equal(r->out[2].column, 2);
    assert_string_equal(r->out[3].code, RJ_REFERENCE);
    assert_string_equal(r->out[4].code, RJ_REFERENCE);
    assert_non_null(strstr(r->out[4].message, "MPAN of line 2"));
    assert_int_equal(r->end_rc, 0); /* the lines are refused, not the file */
    run_free(r);
}

static void test_rejects_read_before_meter(void **state)
{
    (void)state;
    struct run *r = read_flow(ZHV "026|1900005281720|V|\n030|DY|20160222000000|80598.0|||T|N|\n"
                              "028|36933604|D|\nZPT|0000475656|3||1|20160302154650|");
    assert_string_equal(r->out[3].code, RJ_RECORD_ORDER);
    assert_int_equal(r->out[3].column, 1);
    assert_int_equal(r->out[4].kind, 'N');
    run_free(r);
}

static void test_rejects_fields_naming_their_column(void **state)
{
    (void)state;
    struct run *r = read_flow(ZHV "026|1900005281720|V|\n028|36933604|D|\n"
                              "030|DY|20160230000000|1.0|||T|N|\n"
                              "030|DY|20160222000000|-5|||T|N|\n"
                              "030|DY|20160222000000|12a|||T|N|\n"
                              "030|XYZ|20160222000000|1|||T|N|\n"
                              "030|DY|20160222000000||||T|N|\n"
                              "030|DY|20160222000000|1.23456|||T|N|\n"
                              "030|DY\n"
                              "999|what\n"
                              "\n"
                              "ZPT|0000475656|11||1|20160302154650|");
    assert_string_equal(r->out[4].code, RJ_TIMESTAMP);   /* 30 February */
    assert_int_equal(r->out[4].column, 3);
    assert_string_equal(r->out[5].code, RJ_VALUE_RANGE);
    assert_int_equal(r->out[5].column, 4);
    assert_string_equal(r->out[6].code, RJ_VALUE_SYNTAX);
    assert_string_equal(r->out[7].code, RJ_FIELD_INVALID);
    assert_int_equal(r->out[7].column, 2);
    assert_string_equal(r->out[8].code, RJ_VALUE_MISSING);
    assert_string_equal(r->out[9].code, RJ_VALUE_SYNTAX);
    assert_string_equal(r->out[10].code, RJ_FIELD_COUNT);
    assert_string_equal(r->out[11].code, RJ_FIELD_INVALID);
    assert_string_equal(r->out[12].code, RJ_FIELD_COUNT); /* an empty line */
    assert_int_equal(r->end_rc, 0);
    run_free(r);
}

static void test_refuses_file_with_wrong_count(void **state)
{
    (void)state;
    struct run *r = read_flow(ZHV "026|1900005281720|V|\n028|36933604|D|\n"
                              "ZPT|0000475656|3||1|20160302154650|");
    assert_int_equal(r->end_rc, -1);
    assert_string_equal(r->end_err.code, RJ_TRAILER);
    assert_int_equal(r->end_err.line, 4);
    assert_non_null(strstr(r->end_err.message, "counts 3 records, but the file holds 2"));
    run_free(r);
}

static void test_refuses_truncated_file(void **state)
{
    (void)state;
    struct run *r = read_flow(ZHV "026|1900005281720|V|\n028|36933604|D|");
    assert_int_equal(r->end_rc, -1);
    assert_string_equal(r->end_err.code, RJ_TRAILER);
    assert_int_equal(r->end_err.line, 3);
    run_free(r);
}

static void test_refuses_lines_after_trailer_and_foreign_file_id(void **state)
{
    (void)state;
    struct run *r = read_flow(ZHV "026|1900005281720|V|\nZPT|0000475656|1||1|20160302154650|\n"
                              "026|1900005281720|V|");
    assert_string_equal(r->out[4].code, RJ_RECORD_ORDER);
    assert_int_equal(r->end_rc, -1);
    assert_int_equal(r->end_err.line, 4);
    run_free(r);
    r = read_flow(ZHV "026|1900005281720|V|\nZPT|0000475656|1||1|20160302154650|\n\n \n");
    assert_int_equal(r->out[4].kind, 'N'); /* blank lines after the trailer are no records */
    assert_int_equal(r->end_rc, 0);
    run_free(r);
    r = read_flow(ZHV "026|1900005281720|V|\nZPT|0000000001|1||1|20160302154650|");
    assert_int_equal(r->end_rc, -1);
    assert_non_null(strstr(r->end_err.message, "file id"));
    run_free(r);
}

static void test_sniffs_the_flow(void **state)
{
    (void)state;
    char flow[20];
    assert_int_equal(dtc_sniff(ZHV, strlen(ZHV), flow, sizeof flow), DTC_D0010);
    assert_string_equal(flow, "D0010002");
    const char *other = "ZHV|0000000001|D0086001|D|UDMS|X|MRCY|20160302153151|\n";
    assert_int_equal(dtc_sniff(other, strlen(other), flow, sizeof flow), DTC_OTHER);
    assert_string_equal(flow, "D0086001");
    assert_int_equal(dtc_sniff("mpxn,ts,kwh\n", 12, flow, sizeof flow), DTC_NONE);
    struct run *r = read_flow("ZHV|0000475656|D0086001|D|UDMS|X|MRCY|20160302153151|");
    assert_int_equal(r->header_rc, -1);
    assert_int_equal(r->header_err.column, 3);
    run_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_a_group_with_exact_values),
        cmocka_unit_test(test_padding_fields_read_the_same),
        cmocka_unit_test(test_rejects_bad_check_digit_and_its_group),
        cmocka_unit_test(test_rejects_read_before_meter),
        cmocka_unit_test(test_rejects_fields_naming_their_column),
        cmocka_unit_test(test_refuses_file_with_wrong_count),
        cmocka_unit_test(test_refuses_truncated_file),
        cmocka_unit_test(test_refuses_lines_after_trailer_and_foreign_file_id),
        cmocka_unit_test(test_sniffs_the_flow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
