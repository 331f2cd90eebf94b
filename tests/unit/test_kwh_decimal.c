/* Exact decimal kWh / kW to Wh: rounding half away from zero without floating point. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "backend/kwh_decimal.h"

static int64_t wh_of(const char *s)
{
    int64_t wh = -999;
    assert_int_equal(kwh_to_wh(s, strlen(s), &wh), KWH_OK);
    return wh;
}

static int64_t kw_wh_of(const char *s)
{
    int64_t wh = -999;
    assert_int_equal(kw_halfhour_to_wh(s, strlen(s), &wh), KWH_OK);
    return wh;
}

static enum kwh_status status_of(const char *s)
{
    int64_t wh;
    return kwh_to_wh(s, strlen(s), &wh);
}

static void test_kwh_rounds_half_away_from_zero(void **state)
{
    (void)state;
    assert_int_equal(wh_of("0.2185"), 219);     /* 218.5: a double says 218.49999... */
    assert_int_equal(wh_of("0.2184999"), 218);
    assert_int_equal(wh_of("0.0005"), 1);
    assert_int_equal(wh_of("0.0004999999"), 0);
    assert_int_equal(wh_of("1.2180001"), 1218);  /* LCL float noise */
    assert_int_equal(wh_of("0.9995"), 1000);
    assert_int_equal(wh_of("1.0005"), 1001);     /* as a double, 1000.4999... */
    assert_int_equal(wh_of("2.3455"), 2346);     /* as a double, 2345.4999... */
    assert_int_equal(wh_of("4.0345"), 4035);
}

static void test_kwh_accepts_plain_forms(void **state)
{
    (void)state;
    assert_int_equal(wh_of("0"), 0);
    assert_int_equal(wh_of("12"), 12000);
    assert_int_equal(wh_of("0.219"), 219);
    assert_int_equal(wh_of(".5"), 500);
    assert_int_equal(wh_of("+1.25"), 1250);
    assert_int_equal(wh_of("007.1"), 7100);
    assert_int_equal(wh_of("-0.0000"), 0);       /* negative zero is zero */
    assert_int_equal(wh_of("123456789012345"), INT64_C(123456789012345000));
}

static void test_kwh_rejects_bad_syntax(void **state)
{
    (void)state;
    const char *bad[] = { "", "-", "+", ".", "5.", "1.2.3", "1e-3", "0,5", " 1", "1 ",
                          "0x10", "abc", "Null", "--1", "1-" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (status_of(bad[i]) != KWH_SYNTAX)
            fail_msg("'%s' was accepted", bad[i]);
    }
}

static void test_kwh_flags_negative_and_huge(void **state)
{
    (void)state;
    assert_int_equal(status_of("-0.001"), KWH_NEGATIVE);
    assert_int_equal(status_of("-0.0001"), KWH_NEGATIVE); /* rounds to 0 Wh, still negative */
    assert_int_equal(status_of("1234567890123456"), KWH_TOO_LARGE);
    assert_int_equal(status_of("0001234567890123456.5"), KWH_TOO_LARGE);
    assert_int_equal(status_of("000000000000000000000001"), KWH_OK); /* leading zeros are not magnitude */
}

static void test_kw_average_halves_with_rounding(void **state)
{
    (void)state;
    assert_int_equal(kw_wh_of("0.252000"), 126);
    assert_int_equal(kw_wh_of("0.443000"), 222);  /* 221.5 rounds away from zero */
    assert_int_equal(kw_wh_of("0.000001"), 0);    /* 0.0005 Wh */
    assert_int_equal(kw_wh_of("0.001000"), 1);    /* 0.5 Wh */
    assert_int_equal(kw_wh_of("0.000999"), 0);    /* 0.4995 Wh */
    assert_int_equal(kw_wh_of("0.002999"), 1);    /* 1.4995 Wh */
    assert_int_equal(kw_wh_of("0.003000"), 2);    /* 1.5 Wh */
    assert_int_equal(kw_wh_of("10"), 5000);
    int64_t wh;
    assert_int_equal(kw_halfhour_to_wh("-1", 2, &wh), KWH_NEGATIVE);
    assert_int_equal(kw_halfhour_to_wh("1,0", 3, &wh), KWH_SYNTAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kwh_rounds_half_away_from_zero),
        cmocka_unit_test(test_kwh_accepts_plain_forms),
        cmocka_unit_test(test_kwh_rejects_bad_syntax),
        cmocka_unit_test(test_kwh_flags_negative_and_huge),
        cmocka_unit_test(test_kw_average_halves_with_rounding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
