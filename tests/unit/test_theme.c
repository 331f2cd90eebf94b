/* Theme files: the parser's rules and errors, and the shipped themes themselves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/theme.h"

static void src_dirs(struct theme_dirs *d)
{
    memset(d, 0, sizeof *d);
    const char *src = getenv("MO_SRCDIR");
    snprintf(d->dir[0], sizeof d->dir[0], "%s/themes", src ? src : ".");
    d->n = 1;
}

static void test_parses_colours_backgrounds_and_attributes(void **state)
{
    (void)state;
    struct theme t;
    struct mo_err err;
    const char *text = "# a comment line\n"
                       "normal = default default\n"
                       "error  = red default bold underline   # trailing comment\n"
                       "warn=black yellow\n"
                       "chart1 = 208\n"
                       "dim = bright-black\n";
    assert_int_equal(theme_parse(text, "t.theme", &t, &err), 0);
    assert_int_equal(t.role[ROLE_ERROR].fg, 1);
    assert_int_equal(t.role[ROLE_ERROR].bg, -1);
    assert_int_equal(t.role[ROLE_ERROR].attrs, THEME_BOLD | THEME_UNDERLINE);
    assert_int_equal(t.role[ROLE_WARN].fg, 0);
    assert_int_equal(t.role[ROLE_WARN].bg, 3);
    assert_int_equal(t.role[ROLE_CHART1].fg, 208);
    assert_int_equal(t.role[ROLE_DIM].fg, 8);
    assert_true(t.uses_colour);
}

static void test_unset_role_looks_like_normal(void **state)
{
    (void)state;
    struct theme t;
    struct mo_err err;
    assert_int_equal(theme_parse("normal = white blue bold\n", "t.theme", &t, &err), 0);
    assert_false(t.role[ROLE_SELECTION].set);
    assert_int_equal(t.role[ROLE_SELECTION].fg, 7);
    assert_int_equal(t.role[ROLE_SELECTION].bg, 4);
    assert_int_equal(t.role[ROLE_SELECTION].attrs, THEME_BOLD);
}

static void test_unknown_role_names_line_and_column(void **state)
{
    (void)state;
    struct theme t;
    struct mo_err err;
    assert_int_equal(theme_parse("normal = default\n  eror = red\n", "x.theme", &t, &err), -1);
    assert_string_equal(err.code, "theme_role");
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 3);
    assert_string_equal(err.file, "x.theme");
    assert_non_null(strstr(err.message, "'eror'"));
}

static void test_unknown_colour_and_attribute_are_errors(void **state)
{
    (void)state;
    struct theme t;
    struct mo_err err;
    assert_int_equal(theme_parse("ok = grean default\n", "x.theme", &t, &err), -1);
    assert_string_equal(err.code, "theme_colour");
    assert_int_equal(err.column, 6);
    assert_int_equal(theme_parse("ok = green default blinky\n", "x.theme", &t, &err), -1);
    assert_string_equal(err.code, "theme_attr");
    assert_int_equal(err.column, 20);
    assert_int_equal(theme_parse("ok = 256\n", "x.theme", &t, &err), -1);
    assert_string_equal(err.code, "theme_colour");
    assert_int_equal(theme_parse("ok\n", "x.theme", &t, &err), -1);
    assert_string_equal(err.code, "theme_syntax");
}

static void test_role_set_twice_is_an_error(void **state)
{
    (void)state;
    struct theme t;
    struct mo_err err;
    assert_int_equal(theme_parse("ok = green\nok = red\n", "x.theme", &t, &err), -1);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.message, "twice"));
}

/* Every shipped theme parses and names every role; mono uses no colour at all. */
static void test_shipped_themes_set_every_role(void **state)
{
    (void)state;
    struct theme_dirs d;
    src_dirs(&d);
    static const char *const names[] = { "default", "light", "dark", "high-contrast", "mono" };
    for (size_t i = 0; i < 5; i++) {
        struct theme t;
        struct mo_err err;
        mo_err_clear(&err);
        if (theme_load(names[i], &d, &t, &err) != 0)
            fail_msg("%s: %s", names[i], err.message);
        assert_string_equal(t.name, names[i]);
        for (int r = 0; r < ROLE_COUNT; r++)
            if (!t.role[r].set)
                fail_msg("%s.theme does not set role %s", names[i], theme_role_names[r]);
        assert_int_equal(t.uses_colour, strcmp(names[i], "mono") != 0);
    }
}

/* The default must read on dark and light terminals: its text keeps the terminal's own
 * colours, and it never puts yellow or white text on the terminal's background. */
static void test_default_theme_keeps_terminal_background(void **state)
{
    (void)state;
    struct theme_dirs d;
    src_dirs(&d);
    struct theme t;
    struct mo_err err;
    assert_int_equal(theme_load("default", &d, &t, &err), 0);
    assert_int_equal(t.role[ROLE_NORMAL].fg, -1);
    assert_int_equal(t.role[ROLE_NORMAL].bg, -1);
    for (int r = 0; r < ROLE_COUNT; r++) {
        const struct theme_style *s = &t.role[r];
        if (s->bg == -1)
            assert_true(s->fg != 3 && s->fg != 7 && s->fg != 11 && s->fg != 15);
    }
}

static void test_list_finds_shipped_themes_sorted(void **state)
{
    (void)state;
    struct theme_dirs d;
    src_dirs(&d);
    char names[16][64];
    size_t n = theme_list(&d, names, 16);
    assert_int_equal(n, 5);
    assert_string_equal(names[0], "dark");
    assert_string_equal(names[1], "default");
    assert_string_equal(names[2], "high-contrast");
    assert_string_equal(names[3], "light");
    assert_string_equal(names[4], "mono");
}

static void test_missing_and_bad_names(void **state)
{
    (void)state;
    struct theme_dirs d;
    src_dirs(&d);
    struct theme t;
    struct mo_err err;
    assert_int_equal(theme_load("nosuch", &d, &t, &err), -1);
    assert_string_equal(err.code, "theme_missing");
    assert_int_equal(theme_load("../etc/passwd", &d, &t, &err), -1);
    assert_string_equal(err.code, "theme_name");
}

static void test_builtin_matches_shipped_default(void **state)
{
    (void)state;
    struct theme_dirs d;
    src_dirs(&d);
    struct theme file, builtin;
    struct mo_err err;
    assert_int_equal(theme_load("default", &d, &file, &err), 0);
    theme_builtin(&builtin, true);
    for (int r = 0; r < ROLE_COUNT; r++) {
        assert_int_equal(file.role[r].fg, builtin.role[r].fg);
        assert_int_equal(file.role[r].bg, builtin.role[r].bg);
        assert_int_equal(file.role[r].attrs, builtin.role[r].attrs);
    }
    struct theme mono;
    theme_builtin(&mono, false);
    assert_false(mono.uses_colour);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parses_colours_backgrounds_and_attributes),
        cmocka_unit_test(test_unset_role_looks_like_normal),
        cmocka_unit_test(test_unknown_role_names_line_and_column),
        cmocka_unit_test(test_unknown_colour_and_attribute_are_errors),
        cmocka_unit_test(test_role_set_twice_is_an_error),
        cmocka_unit_test(test_shipped_themes_set_every_role),
        cmocka_unit_test(test_default_theme_keeps_terminal_background),
        cmocka_unit_test(test_list_finds_shipped_themes_sorted),
        cmocka_unit_test(test_missing_and_bad_names),
        cmocka_unit_test(test_builtin_matches_shipped_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
