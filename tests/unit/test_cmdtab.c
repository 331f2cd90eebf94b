/* The command and key tables: completion generated from them, argument parsing, and the
 * tables' own consistency (every key bound once per view, help for every entry). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ui/app.h"
#include "ui/cmdtab.h"
#include "ui/keymap.h"

static const char themes[3][64] = { "default", "high-contrast", "light" };
static const struct complete_src src = { themes, 3 };

/* The candidates joined by spaces, and freed. */
static char *joined(char **c)
{
    static char buf[1024];
    buf[0] = '\0';
    for (size_t i = 0; c && c[i]; i++) {
        if (i)
            strcat(buf, " ");
        strcat(buf, c[i]);
        free(c[i]);
    }
    free(c);
    return buf;
}

static void test_completes_command_names(void **state)
{
    (void)state;
    assert_string_equal(joined(cmdtab_complete("re", 0, &src)), "requeue refresh");
    assert_string_equal(joined(cmdtab_complete("th", 0, &src)), "theme");
    assert_string_equal(joined(cmdtab_complete("", 0, &src)),
                        "help requeue filter open ack view customer migration health sort theme refresh quit");
    assert_null(cmdtab_complete("xyz", 0, &src));
}

static void test_completes_theme_names(void **state)
{
    (void)state;
    assert_string_equal(joined(cmdtab_complete("theme hi", 6, &src)), "high-contrast");
    assert_string_equal(joined(cmdtab_complete("theme ", 6, &src)), "default high-contrast light");
    /* a command given by its unambiguous prefix completes like the full name */
    assert_string_equal(joined(cmdtab_complete("the l", 4, &src)), "light");
    assert_null(cmdtab_complete("theme light x", 12, &src)); /* one argument only */
}

static void test_completes_status_values_for_filter_and_requeue(void **state)
{
    (void)state;
    assert_string_equal(joined(cmdtab_complete("requeue status=re", 8, &src)), "status=rejected");
    /* queued and loading files cannot be requeued, so they are not offered */
    assert_string_equal(joined(cmdtab_complete("requeue status=", 8, &src)),
                        "status=loaded status=rejected status=failed");
    assert_string_equal(joined(cmdtab_complete("filter status=", 7, &src)),
                        "status=queued status=loading status=loaded status=rejected status=failed");
    assert_string_equal(joined(cmdtab_complete("requeue status=rejected j", 24, &src)), "job=");
}

static void test_completes_views_and_sort_columns(void **state)
{
    (void)state;
    assert_string_equal(joined(cmdtab_complete("view f", 5, &src)), "files file");
    assert_string_equal(joined(cmdtab_complete("view cu", 5, &src)), "customer");
    assert_string_equal(joined(cmdtab_complete("sort r", 5, &src)), "rows rejected");
    assert_string_equal(joined(cmdtab_complete("sort rows ", 10, &src)), "asc desc");
    assert_string_equal(joined(cmdtab_complete("help req", 5, &src)), "requeue");
}

static void test_find_takes_unambiguous_prefixes(void **state)
{
    (void)state;
    assert_string_equal(cmdtab_find("requeue")->name, "requeue");
    assert_string_equal(cmdtab_find("req")->name, "requeue");
    assert_string_equal(cmdtab_find("q")->name, "quit");
    assert_null(cmdtab_find("re")); /* requeue or refresh */
    assert_null(cmdtab_find("nope"));
    assert_null(cmdtab_find(""));
}

static void test_split_honours_quotes(void **state)
{
    (void)state;
    char line[] = "  requeue  path=\"day 3\" job=12 \"a \\\"b\\\"\"  ";
    char *argv[8];
    assert_int_equal(cmdtab_split(line, argv, 8), 4);
    assert_string_equal(argv[0], "requeue");
    assert_string_equal(argv[1], "path=day 3");
    assert_string_equal(argv[2], "job=12");
    assert_string_equal(argv[3], "a \"b\"");
    char bad[] = "filter \"open";
    assert_int_equal(cmdtab_split(bad, argv, 8), -1);
}

static int parse(const char *text, bool ids, struct filter_args *fa, char *msg)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "%s", text);
    char *argv[16];
    int argc = cmdtab_split(buf, argv, 16);
    return filter_args_parse(argc, argv, ids, fa, msg, 200);
}

static void test_filter_args_parse(void **state)
{
    (void)state;
    struct filter_args fa;
    char msg[200];
    assert_int_equal(parse("status=rejected,failed job=12 path=0003", true, &fa, msg), 0);
    assert_int_equal(fa.nstatus, 2);
    assert_string_equal(fa.status[0], "rejected");
    assert_string_equal(fa.status[1], "failed");
    assert_int_equal(fa.job_id, 12);
    assert_string_equal(fa.path, "0003");
    char d[200];
    filter_args_describe(&fa, d, sizeof d);
    assert_string_equal(d, "status=rejected,failed job=12 path=0003");

    assert_int_equal(parse("4 6 9", true, &fa, msg), 0);
    assert_int_equal(fa.nids, 3);
    assert_int_equal(fa.ids[2], 9);

    assert_int_equal(parse("elec-long", false, &fa, msg), 0); /* :filter TEXT is path text */
    assert_string_equal(fa.path, "elec-long");

    assert_int_equal(parse("status=broken", true, &fa, msg), -1);
    assert_non_null(strstr(msg, "unknown status 'broken'"));
    assert_int_equal(parse("job=abc", true, &fa, msg), -1);
    assert_non_null(strstr(msg, "job= needs a job id"));
    assert_int_equal(parse("4 status=failed", true, &fa, msg), -1);
    assert_non_null(strstr(msg, "not both"));
    assert_int_equal(parse("status=loaded,failed", false, &fa, msg), -1); /* :filter takes one status */
    assert_int_equal(parse("colour=red", false, &fa, msg), -1);
}

/* Each key means one thing in each view: a view's binding may shadow a global one, but two
 * bindings of the same scope may not share a key. */
static void test_no_key_bound_twice_in_a_view(void **state)
{
    (void)state;
    for (int v = 0; v < VIEW_COUNT; v++) {
        for (size_t i = 0; i < keymap_count; i++) {
            if (!(keymap[i].views & VIEW_BIT(v)))
                continue;
            for (size_t j = i + 1; j < keymap_count; j++) {
                if (!(keymap[j].views & VIEW_BIT(v)))
                    continue;
                if ((keymap[i].views == VIEWS_ALL) != (keymap[j].views == VIEWS_ALL))
                    continue;
                for (int a = 0; a < 4 && keymap[i].keys[a]; a++)
                    for (int b = 0; b < 4 && keymap[j].keys[b]; b++)
                        if (keymap[i].keys[a] == keymap[j].keys[b])
                            fail_msg("key %d bound twice in view %d ('%s' and '%s')", keymap[i].keys[a], v,
                                     keymap[i].help, keymap[j].help);
            }
        }
    }
}

static void test_view_bindings_come_before_global_ones(void **state)
{
    (void)state;
    /* Enter opens a file in Files, expands a group in File detail */
    assert_string_equal(keymap_find(VIEW_BIT(VIEW_FILES), '\r')->help, "open the file: details and errors");
    assert_string_equal(keymap_find(VIEW_BIT(VIEW_FILE), '\r')->help, "expand or collapse the error group");
    /* r requeues in Files and File detail, the job's failures in Jobs, nothing on the dashboard */
    assert_non_null(strstr(keymap_find(VIEW_BIT(VIEW_FILES), 'r')->help, "requeue this file"));
    assert_non_null(strstr(keymap_find(VIEW_BIT(VIEW_JOBS), 'r')->help, "this job's"));
    assert_null(keymap_find(VIEW_BIT(VIEW_DASHBOARD), 'r'));
    assert_string_equal(keymap_find(VIEW_BIT(VIEW_DASHBOARD), 'q')->help, "quit");
}

static void test_help_and_hints_come_from_the_table(void **state)
{
    (void)state;
    char lines[64][96];
    size_t n = keymap_help(VIEW_BIT(VIEW_FILES), lines, 64);
    size_t expected = 0;
    for (size_t i = 0; i < keymap_count; i++)
        if (keymap[i].views & VIEW_BIT(VIEW_FILES))
            expected++;
    assert_int_equal(n, expected);
    assert_string_equal(lines[0], "j Down         next line");
    /* view keys first, the global ones last */
    assert_non_null(strstr(lines[n - 1], "quit"));
    char hints[300];
    keymap_hints(VIEW_BIT(VIEW_FILE), hints, sizeof hints);
    assert_string_equal(hints, "r requeue  Enter expand  e all  / search  n next  Esc back  ? help  : command  q quit");
    for (size_t i = 0; i < console_ncmds; i++) {
        assert_non_null(console_cmds[i].run);
        assert_true(strlen(console_cmds[i].help) > 10);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_completes_command_names),
        cmocka_unit_test(test_completes_theme_names),
        cmocka_unit_test(test_completes_status_values_for_filter_and_requeue),
        cmocka_unit_test(test_completes_views_and_sort_columns),
        cmocka_unit_test(test_find_takes_unambiguous_prefixes),
        cmocka_unit_test(test_split_honours_quotes),
        cmocka_unit_test(test_filter_args_parse),
        cmocka_unit_test(test_no_key_bound_twice_in_a_view),
        cmocka_unit_test(test_view_bindings_come_before_global_ones),
        cmocka_unit_test(test_help_and_hints_come_from_the_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
