/* test_seenmap - the loader's seen bitmaps (backend/seenmap.c): which bit a meter_id sets
 * (PostgreSQL's bit string order: chunk = id >> 16, bit id & 65535 from the left), one
 * bitmap per (day, fuel, chunk) made only when needed, marks that repeat, the sorted order
 * and the four array literals sent to queries/load/seen.sql. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "backend/seenmap.h"

static void test_mark_sets_the_bit_postgres_counts_from_the_left(void **state)
{
    (void)state;
    struct seenmap s;
    seen_init(&s);
    assert_int_equal(seen_mark(&s, 20000, 0, 0), 0);          /* chunk 0, bit 0 */
    assert_int_equal(seen_mark(&s, 20000, 0, 9), 0);          /* bit 9: byte 1, 0x40 */
    assert_int_equal(seen_mark(&s, 20000, 0, 65535), 0);      /* last bit of chunk 0 */
    assert_int_equal(s.n, 1);
    assert_int_equal(s.e[0].bits[0], 0x80);
    assert_int_equal(s.e[0].bits[1], 0x40);
    assert_int_equal(s.e[0].bits[SEEN_CHUNK_BYTES - 1], 0x01);
    assert_int_equal(s.e[0].chunk, 0);
    /* 65536 is bit 0 of chunk 1: a second bitmap */
    assert_int_equal(seen_mark(&s, 20000, 0, 65536), 0);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.e[1].chunk, 1);
    assert_int_equal(s.e[1].bits[0], 0x80);
    assert_true(seen_has(&s, 20000, 0, 65536));
    assert_false(seen_has(&s, 20000, 0, 65537));
    assert_false(seen_has(&s, 20000, 1, 65536));              /* other fuel */
    assert_false(seen_has(&s, 20001, 0, 65536));              /* other day */
    seen_free(&s);
}

static void test_bitmaps_are_per_day_fuel_and_chunk_and_marks_repeat(void **state)
{
    (void)state;
    struct seenmap s;
    seen_init(&s);
    /* 3 days x 2 fuels x 40 chunks, each meter marked twice (a corrected day) */
    for (int rep = 0; rep < 2; rep++)
        for (int32_t day = 19000; day < 19003; day++)
            for (int64_t id = 1; id < 40 * 65536; id += 997)
                assert_int_equal(seen_mark(&s, day, (int)(id & 1), id), 0);
    assert_int_equal(s.n, 3 * 2 * 40);
    size_t bits = 0;
    for (size_t i = 0; i < s.n; i++)
        for (size_t b = 0; b < SEEN_CHUNK_BYTES; b++)
            bits += (size_t)__builtin_popcount(s.e[i].bits[b]);
    size_t ids = 0;
    for (int64_t id = 1; id < 40 * 65536; id += 997)
        ids++;
    assert_int_equal(bits, 3 * ids);
    for (int64_t id = 1; id < 40 * 65536; id += 997) {
        assert_true(seen_has(&s, 19001, (int)(id & 1), id));
        assert_false(seen_has(&s, 19001, (int)!(id & 1), id));
    }
    seen_free(&s);
}

static void test_out_of_range_ids_are_refused(void **state)
{
    (void)state;
    struct seenmap s;
    seen_init(&s);
    assert_int_equal(seen_mark(&s, 1, 0, -1), -1);
    assert_int_equal(seen_mark(&s, 1, 0, INT64_C(1) << 47), -1);
    assert_int_equal(seen_mark(&s, 1, 0, (INT64_C(1) << 47) - 1), 0); /* chunk 2^31 - 1 */
    assert_int_equal(s.n, 1);
    seen_free(&s);
}

static void test_params_are_sorted_array_literals(void **state)
{
    (void)state;
    struct seenmap s;
    seen_init(&s);
    assert_int_equal(seen_mark(&s, 20001, 1, 3 * 65536 + 4), 0);   /* gas, chunk 3, bit 4 */
    assert_int_equal(seen_mark(&s, 20001, 0, 70000), 0);            /* elec, chunk 1 */
    assert_int_equal(seen_mark(&s, 20000, 1, 5), 0);                /* gas, chunk 0, bit 5 */
    char *p[4];
    assert_int_equal(seen_params(&s, p), 0);
    assert_string_equal(p[0], "{20000,20001,20001}");
    assert_string_equal(p[1], "{gas,elec,gas}");
    assert_string_equal(p[2], "{0,1,3}");
    /* three bit strings of 16384 hex digits each */
    assert_int_equal(strlen(p[3]), 2 + 3 * (1 + SEEN_CHUNK_BYTES * 2) + 2);
    assert_memory_equal(p[3], "{X04000000", 10);                   /* bit 5 = 0x04 */
    /* elec chunk 1: 70000 - 65536 = 4464 = byte 558, bit 0 (0x80) */
    const char *second = p[3] + 2 + SEEN_CHUNK_BYTES * 2 + 1;
    assert_memory_equal(second, "X", 1);
    assert_memory_equal(second + 1 + 558 * 2, "80", 2);
    assert_memory_equal(second + 1 + 557 * 2, "00", 2);
    for (int i = 0; i < 4; i++)
        free(p[i]);
    /* still found after sorting moved the entries */
    assert_true(seen_has(&s, 20001, 1, 3 * 65536 + 4));
    assert_true(seen_has(&s, 20000, 1, 5));
    assert_int_equal(seen_mark(&s, 20000, 1, 6), 0);
    assert_int_equal(s.n, 3);
    seen_free(&s);
}

static void test_an_empty_map_makes_empty_arrays(void **state)
{
    (void)state;
    struct seenmap s;
    seen_init(&s);
    char *p[4];
    assert_int_equal(seen_params(&s, p), 0);
    for (int i = 0; i < 4; i++) {
        assert_string_equal(p[i], "{}");
        free(p[i]);
    }
    seen_reset(&s);
    assert_int_equal(s.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mark_sets_the_bit_postgres_counts_from_the_left),
        cmocka_unit_test(test_bitmaps_are_per_day_fuel_and_chunk_and_marks_repeat),
        cmocka_unit_test(test_out_of_range_ids_are_refused),
        cmocka_unit_test(test_params_are_sorted_array_literals),
        cmocka_unit_test(test_an_empty_map_makes_empty_arrays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
