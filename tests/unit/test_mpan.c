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

/* The one rule (issues 11 and 15): every way of writing an id is one meter or refused. */
static void test_one_spelling_per_meter(void **state)
{
    (void)state;
    static const struct {
        const char *in, *code, *id;
        int gas;
    } cases[] = {
        { "2700003645222", NULL, "2700003645222", 0 },          /* core */
        { "018011002700003645222", NULL, "2700003645222", 0 },  /* full MPAN: its core */
        { "001112221312345678907", NULL, "1312345678907", 0 },  /* limejump's example */
        { "018011002700003645223", "mpan_check_digit", NULL, 0 },
        { "10012345678", NULL, "10012345678", 0 },              /* Irish MPRN: electricity */
        { "20012345678", "mpxn_syntax", NULL, 0 },              /* 11 digits, not 10...: none */
        { "8391524108", NULL, "8391524108", 1 },                /* UK gas MPRN */
        { "123456", NULL, "123456", 1 },
        { "0391524108", "mpxn_syntax", NULL, 0 },               /* zero-padded: a second spelling */
        { "00123456", "mpxn_syntax", NULL, 0 },
        { "12345", "mpxn_syntax", NULL, 0 },
        { "1234567890123456", "mpxn_syntax", NULL, 0 },
        { "27 0000 3645 222", "mpxn_syntax", NULL, 0 },         /* as printed on a bill */
        { " 2700003645222", "mpxn_syntax", NULL, 0 },
        { "S018011002700003645222", "mpxn_syntax", NULL, 0 },
        { "", "mpxn_syntax", NULL, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct mpxn_id id;
        const char *code = mpxn_parse(cases[i].in, strlen(cases[i].in), &id);
        if (cases[i].code == NULL) {
            if (code)
                fail_msg("'%s' refused as %s", cases[i].in, code);
            if (id.len != strlen(cases[i].id) || memcmp(id.id, cases[i].id, id.len) != 0)
                fail_msg("'%s' maps to '%.*s', want '%s'", cases[i].in, (int)id.len, id.id, cases[i].id);
            assert_int_equal(id.gas, cases[i].gas);
        } else if (!code || strcmp(code, cases[i].code) != 0) {
            fail_msg("'%s': %s, want %s", cases[i].in, code ? code : "accepted", cases[i].code);
        }
    }
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
        cmocka_unit_test(test_one_spelling_per_meter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
