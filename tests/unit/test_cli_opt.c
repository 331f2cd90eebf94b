/* cli/opt.c: a command's option table drives getopt_long, checks every number (range,
 * trailing junk) and writes --help. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"

/* What the command would have said on stderr. */
static char said[512];

void cli_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(said, sizeof said, "meterops %s: ", cmd);
    va_start(ap, fmt);
    vsnprintf(said + n, sizeof said - (size_t)n, fmt, ap);
    va_end(ap);
}

enum { O_DB, O_JOBS, O_RATIO, O_SEED, O_QUIET, O_END };
static const struct cli_opt opts[] = {
    [O_DB] = { "db", 'd', CLI_STRING, "CONNINFO", "connection" },
    [O_JOBS] = { "jobs", 'j', CLI_INT, "N", "threads (default %d)\nsecond line", 1, 64 },
    [O_RATIO] = { "ratio", 0, CLI_REAL, "R", "a share", 0, 1 },
    [O_SEED] = { "seed", 0, CLI_U64, "S", "seed" },
    [O_QUIET] = { "quiet", 'q', CLI_FLAG, NULL, "quiet" },
    [O_END] = { 0 },
};
static const struct cli_spec spec = { "t", "Usage: t\n\n", opts, "The end %s.\n" };

/* Parses the words of line (at most 15) and returns the cli_next answers joined by ",". */
static int run(const char *line, struct cli_parser *p, int *answers, int max)
{
    static char buf[256];
    static char *argv[16];
    snprintf(buf, sizeof buf, "t %s", line);
    int argc = 0;
    for (char *w = strtok(buf, " "); w && argc < 15; w = strtok(NULL, " "))
        argv[argc++] = w;
    argv[argc] = NULL;
    said[0] = '\0';
    cli_parser_init(p, &spec, argc, argv);
    int n = 0, k;
    do {
        k = cli_next(p);
        if (n < max)
            answers[n++] = k;
    } while (k >= 0);
    return n;
}

static void test_long_and_short_names_give_the_table_index(void **state)
{
    (void)state;
    struct cli_parser p;
    int a[8];
    assert_int_equal(run("--db x -q --ratio 0.5 -j 7 FILE", &p, a, 8), 5);
    assert_int_equal(a[0], O_DB);
    assert_int_equal(a[1], O_QUIET);
    assert_int_equal(a[2], O_RATIO);
    assert_int_equal(a[3], O_JOBS);
    assert_int_equal(p.ival, 7);
    assert_int_equal(a[4], CLI_DONE);
    assert_string_equal(p.argv[optind], "FILE");
}

static void test_integer_out_of_range_or_with_junk_is_refused(void **state)
{
    (void)state;
    struct cli_parser p;
    int a[4];
    run("--jobs 65", &p, a, 4);
    assert_int_equal(a[0], CLI_BAD);
    assert_string_equal(said, "meterops t: --jobs needs a whole number from 1 to 64, not '65'");
    run("--jobs 3x", &p, a, 4);
    assert_int_equal(a[0], CLI_BAD);
    run("--jobs ''", &p, a, 4);
    assert_int_equal(a[0], CLI_BAD);
    run("--jobs 64", &p, a, 4);
    assert_int_equal(a[0], O_JOBS);
    assert_int_equal(p.ival, 64);
}

static void test_real_and_u64_values_are_checked(void **state)
{
    (void)state;
    struct cli_parser p;
    int a[4];
    run("--ratio 1.5", &p, a, 4);
    assert_int_equal(a[0], CLI_BAD);
    assert_string_equal(said, "meterops t: --ratio needs a number from 0 to 1, not '1.5'");
    run("--ratio nan", &p, a, 4);
    assert_int_equal(a[0], CLI_BAD);
    run("--seed -1", &p, a, 4);
    assert_int_equal(a[0], CLI_BAD);
    run("--seed 18446744073709551615", &p, a, 4);
    assert_int_equal(a[0], O_SEED);
    assert_true(p.uval == UINT64_MAX);
}

static void test_help_and_unknown_options(void **state)
{
    (void)state;
    struct cli_parser p;
    int a[4];
    run("-h", &p, a, 4);
    assert_int_equal(a[0], CLI_HELP);
    run("--help", &p, a, 4);
    assert_int_equal(a[0], CLI_HELP);
    opterr = 0;
    run("--nosuch", &p, a, 4);
    assert_int_equal(a[0], CLI_USAGE);
    run("--db", &p, a, 4);
    assert_int_equal(a[0], CLI_USAGE); /* its value is missing */
    opterr = 1;
}

static void test_help_text_comes_from_the_table(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    cli_usage(out, &spec, 9, "here");
    fclose(out);
    assert_string_equal(text,
                        "Usage: t\n\n"
                        "  --db CONNINFO  connection\n"
                        "  --jobs N       threads (default 9)\n"
                        "                 second line\n"
                        "  --ratio R      a share\n"
                        "  --seed S       seed\n"
                        "  --quiet        quiet\n"
                        "\nThe end here.\n");
    free(text);
}

static void test_option_list_names_every_option(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    cli_list_options(out, &spec);
    fclose(out);
    assert_string_equal(text, "t --db\nt --jobs\nt --ratio\nt --seed\nt --quiet\n");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_long_and_short_names_give_the_table_index),
        cmocka_unit_test(test_integer_out_of_range_or_with_junk_is_refused),
        cmocka_unit_test(test_real_and_u64_values_are_checked),
        cmocka_unit_test(test_help_and_unknown_options),
        cmocka_unit_test(test_help_text_comes_from_the_table),
        cmocka_unit_test(test_option_list_names_every_option),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
