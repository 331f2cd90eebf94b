/* MPAN check digits against the real vectors of shared/realdata/uk-mpan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/mpan.h"

static void test_real_cores_pass_check_digit(void **state)
{
    (void)state;
    static const char *const cores[] = { "1200023305967", "1900001059816", "2700003645222" };
    for (size_t i = 0; i < sizeof cores / sizeof cores[0]; i++) {
        int ok = 0;
        assert_int_equal(mpxn_classify(cores[i], 13, &ok), MPXN_MPAN_CORE);
        assert_true(ok);
    }
}

/* Every 13-digit vector of mpan_test_vectors.csv gets the result the file states. */
static void test_vectors_file_agrees(void **state)
{
    (void)state;
    const char *src = getenv("MO_SRCDIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/realdata/uk-mpan/mpan_test_vectors.csv", src ? src : ".");
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[512];
    int checked = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "mpan,", 5) == 0 || strstr(line, ",13,") == NULL)
            continue;
        int ok = 0;
        assert_int_equal(mpxn_classify(line, 13, &ok), MPXN_MPAN_CORE);
        int want = strstr(line, ",valid,") != NULL;
        if (ok != want)
            fail_msg("vector %.13s: check digit %s, file says %s", line, ok ? "valid" : "invalid",
                     want ? "valid" : "invalid");
        checked++;
    }
    fclose(f);
    assert_int_equal(checked, 19);
}

static void test_changed_last_digit_fails(void **state)
{
    (void)state;
    int ok = 1;
    assert_int_equal(mpxn_classify("2700003645223", 13, &ok), MPXN_MPAN_CORE);
    assert_false(ok);
}

static void test_sum_mod_11_of_10_maps_to_zero(void **state)
{
    (void)state;
    /* Find a 12-digit stem whose weighted sum is 10 mod 11 and check it maps to 0. */
    char stem[13] = "100000000000";
    for (int v = 0; v < 100; v++) {
        stem[10] = (char)('0' + v / 10);
        stem[11] = (char)('0' + v % 10);
        static const int w[12] = { 3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43 };
        int sum = 0;
        for (int i = 0; i < 12; i++)
            sum += (stem[i] - '0') * w[i];
        if (sum % 11 == 10) {
            assert_int_equal(mpan_check_digit(stem), 0);
            return;
        }
    }
    fail_msg("no stem with sum mod 11 == 10 found");
}

static void test_full_mpan_checks_its_core(void **state)
{
    (void)state;
    int ok = 0;
    assert_int_equal(mpxn_classify("018011002700003645222", 21, &ok), MPXN_MPAN_FULL);
    assert_true(ok);
}

static void test_rejects_letters_and_odd_lengths(void **state)
{
    (void)state;
    assert_int_equal(mpxn_classify("MAC000002", 9, NULL), MPXN_INVALID);
    assert_int_equal(mpxn_classify("12345678901234", 14, NULL), MPXN_INVALID);
    assert_int_equal(mpxn_classify("XXXX", 4, NULL), MPXN_INVALID);
    assert_int_equal(mpxn_classify("1234567", 7, NULL), MPXN_MPRN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_cores_pass_check_digit),
        cmocka_unit_test(test_vectors_file_agrees),
        cmocka_unit_test(test_changed_last_digit_fails),
        cmocka_unit_test(test_sum_mod_11_of_10_maps_to_zero),
        cmocka_unit_test(test_full_mpan_checks_its_core),
        cmocka_unit_test(test_rejects_letters_and_odd_lengths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
