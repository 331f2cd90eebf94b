/* The embedded SQL (backend/sql.h, written by scripts/embed-sql) and the one table of
 * connection setups (db_session_params, backend/db.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "backend/db.h"
#include "backend/sql.h"

/* Every name of the enum has a text that holds more than comments and blank lines. */
static void test_every_query_has_text(void **state)
{
    (void)state;
    for (int q = SQL_NONE + 1; q < SQL_QUERY_END; q++) {
        const char *text = sql_text((enum sql_query)q);
        assert_non_null(text);
        int statement = 0;
        for (const char *line = text; *line && !statement; line = strchr(line, '\n') + 1) {
            line += strspn(line, " \t");
            statement = *line != '\n' && strncmp(line, "--", 2) != 0;
            if (!strchr(line, '\n'))
                break;
        }
        if (!statement)
            fail_msg("queries/%s.sql holds no statement", sql_name((enum sql_query)q));
    }
}

/* The enum, the table and sql_files agree, and names are unique and sorted (the order
 * lookups and migrations rely on). */
static void test_names_unique_and_sorted(void **state)
{
    (void)state;
    size_t n;
    const struct sql_file *files = sql_files(&n);
    assert_int_equal(n, SQL_QUERY_END - 1);
    for (size_t i = 0; i < n; i++) {
        assert_ptr_equal(files[i].text, sql_text((enum sql_query)(i + 1)));
        assert_string_equal(files[i].name, sql_name((enum sql_query)(i + 1)));
        if (i > 0 && strcmp(files[i - 1].name, files[i].name) >= 0)
            fail_msg("%s is not after %s", files[i].name, files[i - 1].name);
    }
}

/* A constant names the file its spelling says. */
static void test_constants_name_their_files(void **state)
{
    (void)state;
    assert_string_equal(sql_name(SQL_LOAD_CLAIM), "load/claim");
    assert_string_equal(sql_name(SQL_SCHEMA_001_CORE), "schema/001_core");
    assert_string_equal(sql_name(SQL_CONSOLE_LISTEN), "console/listen");
    assert_string_equal(sql_name(SQL_TX_COMMIT), "tx/commit");
    assert_non_null(strstr(sql_text(SQL_TX_COMMIT), "COMMIT"));
    assert_null(sql_text(SQL_NONE));
    assert_null(sql_text(SQL_QUERY_END));
    assert_string_equal(sql_name(SQL_NONE), "(none)");
}

/* Migrations are numbered and apply in the order of their numbers. */
static void test_migrations_in_number_order(void **state)
{
    (void)state;
    size_t n;
    const struct sql_file *files = sql_files(&n);
    long last = 0;
    int seen = 0;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(files[i].name, "schema/", 7) != 0)
            continue;
        char *end;
        long num = strtol(files[i].name + 7, &end, 10);
        assert_true(end == files[i].name + 10 && *end == '_');
        assert_true(num == last + 1);
        last = num;
        seen++;
    }
    assert_true(seen >= 7);
}

/* loadreg.c splices the format's columns where this marker stands. */
static void test_registry_stage_has_its_marker(void **state)
{
    (void)state;
    assert_non_null(strstr(sql_text(SQL_LOAD_REGISTRY_STAGE), "(line_no bigint NOT NULL /*columns*/)"));
}

static int setup_params(enum db_kind kind, int st, int lt, char bufs[2][24], const char *p[3])
{
    const struct db_session s = { .kind = kind, .app_name = "t", .limits = { st, lt } };
    return db_session_params(&s, bufs, p);
}

static void assert_param(const char *got, const char *want)
{
    if (!want)
        assert_null(got);
    else
        assert_string_equal(got, want);
}

/* Each kind of connection gets the values db.h documents. */
static void test_session_setup_per_kind(void **state)
{
    (void)state;
    static const struct {
        enum db_kind kind;
        int nparams;
        const char *want[3]; /* statement_timeout, lock_timeout, client_min_messages */
    } cases[] = {
        { DB_MIGRATE, 3, { NULL, NULL, "warning" } },
        { DB_LOADER, 3, { NULL, NULL, "warning" } },
        { DB_CONSOLE, 3, { "7000", "3000", NULL } },
        { DB_STATUS, 3, { "7000", "3000", NULL } },
        { DB_CUSTOMER, 3, { "30000", "5000", NULL } },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char bufs[2][24];
        const char *p[3] = { "x", "x", "x" };
        assert_int_equal(setup_params(cases[i].kind, 7000, 3000, bufs, p), cases[i].nparams);
        for (int j = 0; j < 3; j++)
            assert_param(p[j], cases[i].want[j]);
    }
    char bufs[2][24];
    const char *p[3];
    assert_int_equal(setup_params(DB_PLAIN, 7000, 3000, bufs, p), 0);
    /* 0 is "no limit", an operator's choice, not "keep the server's" */
    assert_int_equal(setup_params(DB_CONSOLE, 0, 0, bufs, p), 3);
    assert_string_equal(p[0], "0");
    assert_string_equal(p[1], "0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_query_has_text),
        cmocka_unit_test(test_names_unique_and_sorted),
        cmocka_unit_test(test_constants_name_their_files),
        cmocka_unit_test(test_migrations_in_number_order),
        cmocka_unit_test(test_registry_stage_has_its_marker),
        cmocka_unit_test(test_session_setup_per_kind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
