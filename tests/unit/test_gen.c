/* The generator's building blocks: PRNG reference values and determinism, valid and
 * unique meter ids, household profiles that behave like UK homes, DST-aware day tables,
 * number formatting, and fault strings that the parsers really refuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "backend/gen_fault.h"
#include "backend/gen_model.h"
#include "backend/gen_out.h"
#include "backend/gen_prng.h"
#include "backend/gen_registry.h"
#include "backend/halfhour.h"
#include "backend/mpan.h"

static void test_splitmix64_matches_reference_outputs(void **state)
{
    (void)state;
    /* The reference implementation's first outputs from state 0. */
    uint64_t s = 0;
    assert_true(splitmix64(&s) == 0xe220a8397b1dcdafULL);
    assert_true(splitmix64(&s) == 0x6e789e6aa1b965f4ULL);
    assert_true(splitmix64(&s) == 0x06c45d188009454fULL);
}

static void test_prng_same_key_same_stream_other_key_other_stream(void **state)
{
    (void)state;
    struct prng a, b, c;
    prng_seed(&a, prng_key(1, 42, 7, 19000));
    prng_seed(&b, prng_key(1, 42, 7, 19000));
    prng_seed(&c, prng_key(1, 42, 7, 19001));
    int differ = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = prng_next(&a), y = prng_next(&b), z = prng_next(&c);
        assert_true(x == y);
        differ += x != z;
    }
    assert_int_equal(differ, 1000);
}

static void test_prng_below_and_unit_stay_in_range(void **state)
{
    (void)state;
    struct prng p;
    prng_seed(&p, 99);
    int seen[7] = { 0 };
    for (int i = 0; i < 70000; i++) {
        uint32_t v = prng_below(&p, 7);
        assert_true(v < 7);
        seen[v]++;
        double u = prng_unit(&p);
        assert_true(u >= 0.0 && u < 1.0);
    }
    for (int i = 0; i < 7; i++)
        assert_in_range(seen[i], 9000, 11000);
    assert_true(prng_threshold(0) == 0);
    assert_true(prng_threshold(1) == UINT64_MAX);
}

static int cmp_ids(const void *a, const void *b)
{
    return strcmp(a, b);
}

static void test_registry_meter_ids_are_valid_and_unique(void **state)
{
    (void)state;
    struct gen_registry reg;
    struct mo_err err;
    assert_int_equal(gen_registry_build(&reg, 7, 5000, days_from_civil(2024, 1, 1), 31, &err), 0);
    char (*ids)[14] = calloc(reg.nmeters, sizeof *ids);
    assert_non_null(ids);
    uint32_t gas = 0;
    for (uint32_t m = 0; m < reg.nmeters; m++) {
        const struct gen_meter *gm = &reg.meters[m];
        int ok = 0;
        enum mpxn_kind k = mpxn_classify(gm->mpxn, gm->mpxn_len, &ok);
        if (gm->kind == GEN_GAS) {
            assert_int_equal(k, MPXN_MPRN);
            assert_int_equal(gm->mpxn_len, 10);
            gas++;
        } else {
            assert_int_equal(k, MPXN_MPAN_CORE);
            if (!ok)
                fail_msg("meter %u: MPAN %s fails its check digit", m, gm->mpxn);
        }
        memcpy(ids[m], gm->mpxn, 14);
    }
    qsort(ids, reg.nmeters, sizeof *ids, cmp_ids);
    for (uint32_t m = 1; m < reg.nmeters; m++)
        if (strcmp(ids[m - 1], ids[m]) == 0)
            fail_msg("meter id %s given twice", ids[m]);
    /* Unknown-meter pool: valid check digits, never a registered id. */
    for (uint64_t i = 0; i < 2000; i++) {
        char id[14];
        int ok = 0;
        gen_mpan_core(7, GEN_UNKNOWN_BASE + i, id);
        assert_int_equal(mpxn_classify(id, 13, &ok), MPXN_MPAN_CORE);
        assert_true(ok);
        assert_null(bsearch(id, ids, reg.nmeters, sizeof *ids, cmp_ids));
    }
    /* About 40-45% of meters are gas: gas-heated homes have two meters. */
    assert_in_range(gas, 1800, 2500);
    free(ids);
    gen_registry_free(&reg);
}

static void test_account_numbers_are_unique(void **state)
{
    (void)state;
    enum { N = 20000 };
    char (*acct)[12] = calloc(N, sizeof *acct);
    assert_non_null(acct);
    for (uint32_t c = 0; c < N; c++) {
        gen_account_no(3, c, acct[c]);
        assert_int_equal(strlen(acct[c]), 10);
        assert_memory_equal(acct[c], "A-", 2);
    }
    qsort(acct, N, sizeof *acct, cmp_ids);
    for (int c = 1; c < N; c++)
        assert_string_not_equal(acct[c - 1], acct[c]);
    free(acct);
}

static void test_registry_depends_only_on_seed(void **state)
{
    (void)state;
    struct gen_registry a, b, c;
    int64_t d0 = days_from_civil(2024, 6, 1);
    assert_int_equal(gen_registry_build(&a, 5, 300, d0, 3, NULL), 0);
    assert_int_equal(gen_registry_build(&b, 5, 300, d0, 3, NULL), 0);
    assert_int_equal(gen_registry_build(&c, 6, 300, d0, 3, NULL), 0);
    assert_memory_equal(a.meters, b.meters, 300 * sizeof *a.meters);
    assert_true(memcmp(a.meters, c.meters, 300 * sizeof *a.meters) != 0);
    gen_registry_free(&a);
    gen_registry_free(&b);
    gen_registry_free(&c);
}

static int64_t day_total(const struct gen_household *h, int64_t day, uint64_t seed, uint64_t m)
{
    struct gen_day d;
    int32_t wh[GEN_SLOTS];
    char q[GEN_SLOTS];
    gen_day_init(&d, day, seed);
    gen_household_day(h, &d, seed, m, 0.0, wh, q);
    int64_t sum = 0;
    for (int s = 0; s < GEN_SLOTS; s++) {
        assert_in_range(wh[s], 0, GEN_MAX_WH);
        sum += wh[s];
    }
    return sum;
}

static void test_winter_day_uses_more_than_summer_day(void **state)
{
    (void)state;
    static const enum gen_kind kinds[] = { GEN_ELEC_GAS_HOME, GEN_ELEC_DIRECT, GEN_ELEC_E7, GEN_GAS };
    int64_t jan = days_from_civil(2024, 1, 17), jul = days_from_civil(2024, 7, 17);
    for (size_t k = 0; k < 4; k++)
        for (uint64_t m = 0; m < 25; m++) {
            struct gen_household h;
            gen_household_init(&h, kinds[k], 11, m);
            int64_t w = day_total(&h, jan, 11, m), s = day_total(&h, jul, 11, m);
            if (w <= s)
                fail_msg("kind %d household %llu: winter %lld Wh <= summer %lld Wh", (int)kinds[k],
                         (unsigned long long)m, (long long)w, (long long)s);
        }
}

static void test_gas_heating_dominates_in_winter(void **state)
{
    (void)state;
    /* UK gas homes: several times more gas in January than in July. */
    int64_t jan = 0, jul = 0;
    for (uint64_t m = 0; m < 50; m++) {
        struct gen_household h;
        gen_household_init(&h, GEN_GAS, 2, m);
        jan += day_total(&h, days_from_civil(2024, 1, 10), 2, m);
        jul += day_total(&h, days_from_civil(2024, 7, 10), 2, m);
    }
    assert_true(jan > 3 * jul);
}

/* Household m of `kind` (seeded `seed`) on day d, with nothing missing. */
static void household_day(enum gen_kind kind, const struct gen_day *d, uint64_t seed, uint64_t m,
                          int32_t wh[GEN_SLOTS])
{
    struct gen_household h;
    char q[GEN_SLOTS];
    gen_household_init(&h, kind, seed, m);
    gen_household_day(&h, d, seed, m, 0.0, wh, q);
}

static void test_economy7_homes_use_most_at_night(void **state)
{
    (void)state;
    struct gen_day d;
    gen_day_init(&d, days_from_civil(2024, 1, 24), 4);
    for (uint64_t m = 0; m < 40; m++) {
        int32_t wh[GEN_SLOTS];
        household_day(GEN_ELEC_E7, &d, 4, m, wh);
        int64_t night = 0, all = 0;
        for (int s = 0; s < GEN_SLOTS; s++) {
            all += wh[s];
            if (d.lslot[s] >= 1 && d.lslot[s] < 15) /* 00:30-07:30 local */
                night += wh[s];
        }
        if (night * 2 <= all)
            fail_msg("E7 household %llu: night %lld of %lld Wh", (unsigned long long)m,
                     (long long)night, (long long)all);
    }
}

static void test_evening_peak_above_night_baseload(void **state)
{
    (void)state;
    struct gen_day d;
    gen_day_init(&d, days_from_civil(2024, 3, 6), 8); /* a Wednesday in GMT */
    int64_t evening = 0, night = 0;
    for (uint64_t m = 0; m < 200; m++) {
        int32_t wh[GEN_SLOTS];
        household_day(GEN_ELEC_GAS_HOME, &d, 8, m, wh);
        for (int s = 34; s < 40; s++) /* 17:00-20:00 */
            evening += wh[s];
        for (int s = 4; s < 10; s++) /* 02:00-05:00 */
            night += wh[s];
    }
    assert_true(evening > 3 * night);
    assert_true(night > 0);
}

static void test_household_day_is_deterministic_and_seeded(void **state)
{
    (void)state;
    struct gen_day d1, d2;
    gen_day_init(&d1, days_from_civil(2024, 11, 3), 21);
    gen_day_init(&d2, days_from_civil(2024, 11, 3), 22);
    struct gen_household h1, h2;
    gen_household_init(&h1, GEN_ELEC_GAS_HOME, 21, 5);
    gen_household_init(&h2, GEN_ELEC_GAS_HOME, 22, 5);
    int32_t a[GEN_SLOTS], b[GEN_SLOTS], c[GEN_SLOTS];
    char qa[GEN_SLOTS], qb[GEN_SLOTS], qc[GEN_SLOTS];
    gen_household_day(&h1, &d1, 21, 5, 0.01, a, qa);
    gen_household_day(&h1, &d1, 21, 5, 0.01, b, qb);
    gen_household_day(&h2, &d2, 22, 5, 0.01, c, qc);
    assert_memory_equal(a, b, sizeof a);
    assert_memory_equal(qa, qb, sizeof qa);
    assert_true(memcmp(a, c, sizeof a) != 0);
}

static void test_missing_rate_leaves_gaps_at_about_that_rate(void **state)
{
    (void)state;
    struct gen_household h;
    int64_t missing = 0, total = 0;
    gen_household_init(&h, GEN_ELEC_GAS_HOME, 9, 1);
    for (int day = 0; day < 2000; day++) {
        struct gen_day d;
        int32_t wh[GEN_SLOTS];
        char q[GEN_SLOTS];
        gen_day_init(&d, days_from_civil(2020, 1, 1) + day, 9);
        gen_household_day(&h, &d, 9, 1, 0.01, wh, q);
        for (int s = 0; s < GEN_SLOTS; s++) {
            total++;
            if (wh[s] < 0) {
                assert_int_equal(q[s], 'M');
                missing++;
            }
        }
    }
    /* 0.01 of 96000 intervals, minus runs cut at the end of a day. */
    assert_in_range(missing, 600, 1200);
}

static void test_day_table_follows_uk_clock_changes(void **state)
{
    (void)state;
    struct gen_day d;
    gen_day_init(&d, days_from_civil(2024, 3, 31), 1); /* clocks go forward at 01:00 UTC */
    assert_string_equal(d.date, "2024-03-31");
    assert_int_equal(d.lslot[0], 0);  /* 00:00 UTC = 00:00 GMT */
    assert_int_equal(d.lslot[1], 1);  /* 00:30 GMT */
    assert_int_equal(d.lslot[2], 4);  /* 01:00 UTC = 02:00 BST */
    assert_int_equal(d.lslot[47], 1); /* 23:30 UTC = 00:30 BST next day */
    assert_int_equal(d.weekend[0], 1);   /* Sunday */
    assert_int_equal(d.weekend[47], 0);  /* local Monday already */
    gen_day_init(&d, days_from_civil(2024, 10, 27), 1); /* back at 01:00 UTC */
    assert_int_equal(d.lslot[1], 3);  /* 00:30 UTC = 01:30 BST */
    assert_int_equal(d.lslot[2], 2);  /* 01:00 UTC = 01:00 GMT */
    gen_day_init(&d, days_from_civil(2024, 6, 21), 1);
    assert_true(d.dark[24] < 0.01f);  /* midsummer noon */
    assert_true(d.dark[1] > 0.99f);   /* midsummer 00:30 UTC */
}

static void fmt(int64_t wh, const char *want)
{
    char buf[32];
    char *e = gen_fmt_kwh(buf, wh);
    *e = '\0';
    assert_string_equal(buf, want);
}

static void test_kwh_formatting(void **state)
{
    (void)state;
    fmt(0, "0.000");
    fmt(219, "0.219");
    fmt(1000, "1.000");
    fmt(12345, "12.345");
    fmt(30000, "30.000");
    fmt(-1, "-0.001");
    fmt(-2156, "-2.156");
    fmt(219000000, "219000.000");
}

static void test_fault_timestamps_are_refused_by_the_parser(void **state)
{
    (void)state;
    static const int days[][3] = { { 2024, 1, 31 }, { 2024, 2, 29 }, { 2024, 6, 1 }, { 2023, 12, 9 } };
    for (size_t i = 0; i < 4; i++) {
        struct gen_day d;
        gen_day_init(&d, days_from_civil(days[i][0], days[i][1], days[i][2]), 1);
        for (int slot = 0; slot < GEN_SLOTS; slot += 7)
            for (int v = 0; v < 4; v++) {
                char buf[64];
                int64_t t;
                int col;
                gen_bad_timestamp(buf, &d, slot, v);
                if (ts_parse(buf, strlen(buf), 1, &t, &col) == 0 ||
                    ts_parse(buf, strlen(buf), 0, &t, &col) == 0)
                    fail_msg("fault timestamp '%s' parses", buf);
                assert_null(strchr(buf, ','));
            }
        for (int v = 0; v < 4; v++) {
            char buf[64];
            int64_t day;
            gen_bad_date(buf, &d, v);
            if (date_parse(buf, strlen(buf), &day) == 0)
                fail_msg("fault date '%s' parses", buf);
        }
    }
}

static void test_fault_kinds_map_to_contract_codes(void **state)
{
    (void)state;
    assert_string_equal(gen_fault_code(FAULT_CHECK_DIGIT), "mpan_check_digit");
    assert_string_equal(gen_fault_code(FAULT_TIMESTAMP), "timestamp_syntax");
    assert_string_equal(gen_fault_code(FAULT_MISALIGNED), "misaligned_interval");
    assert_string_equal(gen_fault_code(FAULT_NEGATIVE), "value_range");
    assert_string_equal(gen_fault_code(FAULT_ABSURD), "value_range");
    assert_string_equal(gen_fault_code(FAULT_DUPLICATE), "duplicate_conflict");
    assert_string_equal(gen_fault_code(FAULT_UNKNOWN_METER), "unknown_meter");
    assert_string_equal(gen_fault_code(FAULT_TRUNCATED), "field_count");
    assert_string_equal(gen_fault_code(FAULT_FIELD_COUNT), "field_count");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_splitmix64_matches_reference_outputs),
        cmocka_unit_test(test_prng_same_key_same_stream_other_key_other_stream),
        cmocka_unit_test(test_prng_below_and_unit_stay_in_range),
        cmocka_unit_test(test_registry_meter_ids_are_valid_and_unique),
        cmocka_unit_test(test_account_numbers_are_unique),
        cmocka_unit_test(test_registry_depends_only_on_seed),
        cmocka_unit_test(test_winter_day_uses_more_than_summer_day),
        cmocka_unit_test(test_gas_heating_dominates_in_winter),
        cmocka_unit_test(test_economy7_homes_use_most_at_night),
        cmocka_unit_test(test_evening_peak_above_night_baseload),
        cmocka_unit_test(test_household_day_is_deterministic_and_seeded),
        cmocka_unit_test(test_missing_rate_leaves_gaps_at_about_that_rate),
        cmocka_unit_test(test_day_table_follows_uk_clock_changes),
        cmocka_unit_test(test_kwh_formatting),
        cmocka_unit_test(test_fault_timestamps_are_refused_by_the_parser),
        cmocka_unit_test(test_fault_kinds_map_to_contract_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
