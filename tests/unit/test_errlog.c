/* errlog: exact counts by code and column, raw rows bounded per code, the temp file
 * bounded with them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "backend/errlog.h"

static long tmp_lines(struct errlog *log)
{
    fflush(log->tmp);
    rewind(log->tmp);
    long n = 0;
    int c;
    while ((c = getc(log->tmp)) != EOF)
        n += c == '\n';
    fseek(log->tmp, 0, SEEK_END);
    return n;
}

static const struct errlog_group *group(const struct errlog *log, const char *code,
                                        const char *col)
{
    for (size_t k = 0; k < log->ngroups; k++)
        if (!strcmp(log->groups[k].code, code) && !strcmp(log->groups[k].column, col))
            return &log->groups[k];
    return NULL;
}

static void test_counts_every_rejection_and_keeps_the_first_k_of_each_code(void **state)
{
    (void)state;
    struct errlog log;
    struct mo_err err;
    assert_int_equal(errlog_open(&log, 7, 2, 3, &err), 0);
    for (int64_t line = 2; line < 10002; line++)
        errlog_add(&log, line, "mpxn", "unknown_meter", line == 2 ? "first" : "later",
                   "x,y", 3);
    for (int64_t line = 20000; line < 20005; line++)
        errlog_add(&log, line, line % 2 ? "kwh" : "timestamp", "value_syntax", "bad", "z", 1);
    errlog_add(&log, 30000, NULL, "field_count", "3 fields", "a,b,c", 5);
    assert_int_equal(log.count, 10000 + 5 + 1);
    assert_int_equal(errlog_code_count(&log, "unknown_meter"), 10000);
    assert_int_equal(errlog_code_count(&log, "value_syntax"), 5);
    /* 3 kept of unknown_meter, 3 of value_syntax (both columns), 1 of field_count */
    assert_int_equal(log.kept, 7);
    assert_int_equal(tmp_lines(&log), 7);
    const struct errlog_group *g = group(&log, "unknown_meter", "mpxn");
    assert_non_null(g);
    assert_int_equal(g->errors, 10000);
    assert_int_equal(g->first_line, 2);
    assert_int_equal(g->last_line, 10001);
    assert_string_equal(g->first_message, "first");
    g = group(&log, "value_syntax", "kwh");
    assert_non_null(g);
    assert_int_equal(g->errors, 2); /* 20001, 20003 */
    g = group(&log, "value_syntax", "timestamp");
    assert_non_null(g);
    assert_int_equal(g->errors, 3); /* 20000, 20002, 20004 */
    assert_int_equal(g->first_line, 20000);
    assert_int_equal(g->last_line, 20004);
    g = group(&log, "field_count", "");
    assert_non_null(g);
    assert_int_equal(g->errors, 1);
    assert_int_equal(log.ngroups, 4);
    errlog_close(&log);
}

static void test_keep_zero_counts_without_rows(void **state)
{
    (void)state;
    struct errlog log;
    struct mo_err err;
    assert_int_equal(errlog_open(&log, 1, 1, 0, &err), 0);
    for (int i = 0; i < 1000; i++)
        errlog_add(&log, 2 + i, "kwh", "value_range", "neg", "r", 1);
    assert_int_equal(log.count, 1000);
    assert_int_equal(log.kept, 0);
    assert_int_equal(tmp_lines(&log), 0);
    assert_int_equal(errlog_code_count(&log, "value_range"), 1000);
    errlog_close(&log);
}

/* A later pass (file not grouped by meter-day) may bring an earlier line: the first line
 * is the smallest and its message goes with it. */
static void test_first_line_is_the_smallest_with_its_message(void **state)
{
    (void)state;
    struct errlog log;
    struct mo_err err;
    assert_int_equal(errlog_open(&log, 1, 1, -1, &err), 0);
    assert_int_equal(log.keep, ERRLOG_KEEP_DEFAULT);
    errlog_add(&log, 50, "kwh", "duplicate_conflict", "at 50", "r", 1);
    errlog_add(&log, 9, "kwh", "duplicate_conflict", "at 9", "r", 1);
    errlog_add(&log, 70, "kwh", "duplicate_conflict", "at 70", "r", 1);
    const struct errlog_group *g = group(&log, "duplicate_conflict", "kwh");
    assert_int_equal(g->first_line, 9);
    assert_int_equal(g->last_line, 70);
    assert_string_equal(g->first_message, "at 9");
    errlog_close(&log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_every_rejection_and_keeps_the_first_k_of_each_code),
        cmocka_unit_test(test_keep_zero_counts_without_rows),
        cmocka_unit_test(test_first_line_is_the_smallest_with_its_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
