/* test_meters - the loader's meter map (backend/meters.c): digit ids kept as numbers
 * that keep their length, the sorted part loaded in bulk (meters_append + meters_index)
 * with its directory, the tail that meters_add grows, text ids, 13-digit MPAN cores and
 * other keys, duplicates of spelling, names read back, and the bytes a meter costs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/meters.h"

static void core(char *buf, size_t n, uint32_t i)
{
    /* 13-digit cores spread over the whole range, as a national registry's are */
    snprintf(buf, n, "%02u%011llu", 10 + i % 14, (unsigned long long)i * 2654435761ULL % 100000000000ULL);
}

static void test_bulk_load_finds_every_meter_and_nothing_else(void **state)
{
    (void)state;
    struct meter_table t;
    meters_init(&t);
    char id[32];
    const uint32_t n = 200000;
    for (uint32_t i = 0; i < n; i++) {
        core(id, sizeof id, i);
        assert_int_equal(meters_append(&t, id, 13, 1000 + i, i % 3 ? 30 : 15), 1);
        meters_set_gas(&t, t.n - 1, i % 5 == 0);
    }
    meters_shrink(&t);
    assert_int_equal(meters_index(&t), 0);
    for (uint32_t i = 0; i < n; i++) {
        core(id, sizeof id, i);
        long k = meters_find(&t, id, 13);
        assert_true(k >= 0);
        assert_int_equal(meters_id(&t, (size_t)k), 1000 + i);
        assert_int_equal(meters_interval(&t, (size_t)k), i % 3 ? 30 : 15);
        assert_int_equal(meters_gas(&t, (size_t)k), i % 5 == 0);
        char name[32];
        assert_int_equal(meters_name(&t, (size_t)k, name, sizeof name), 13);
        assert_string_equal(name, id);
    }
    assert_int_equal(meters_find(&t, "9999999999999", 13), -1);
    core(id, sizeof id, 7);
    assert_int_equal(meters_find(&t, id, 12), -1); /* a prefix is another id */
    /* 13 bytes a meter, and a directory of about one byte a meter */
    assert_true(meters_bytes(&t) <= (size_t)n * 15);
    meters_free(&t);
}

static void test_leading_zeros_and_lengths_are_other_ids(void **state)
{
    (void)state;
    struct meter_table t;
    meters_init(&t);
    assert_int_equal(meters_append(&t, "123456", 6, 1, 30), 1);
    assert_int_equal(meters_append(&t, "0123456", 7, 2, 30), 1);
    assert_int_equal(meters_append(&t, "00123456", 8, 3, 60), 1);
    assert_int_equal(meters_append(&t, "12345678901234567", 17, 4, 15), 1);
    assert_int_equal(meters_append(&t, "9", 1, 5, 30), 1);
    /* not a number of at most 17 digits: for meters_add, after the index */
    assert_int_equal(meters_append(&t, "123456789012345678901", 21, 6, 30), 0);
    assert_int_equal(meters_append(&t, "MAC000002", 9, 7, 30), 0);
    assert_int_equal(meters_append(&t, "", 0, 8, 30), 0);
    assert_int_equal(meters_index(&t), 0);
    assert_int_equal(meters_add(&t, "123456789012345678901", 21, 6, 30), 5);
    assert_int_equal(meters_add(&t, "MAC000002", 9, 7, 30), 6);
    const char *ids[] = { "123456", "0123456", "00123456", "12345678901234567", "9",
                          "123456789012345678901", "MAC000002" };
    for (int i = 0; i < 7; i++) {
        long k = meters_find(&t, ids[i], strlen(ids[i]));
        assert_true(k >= 0);
        assert_int_equal(meters_id(&t, (size_t)k), i + 1);
        char name[64];
        meters_name(&t, (size_t)k, name, sizeof name);
        assert_string_equal(name, ids[i]);
    }
    assert_int_equal(meters_find(&t, "000123456", 9), -1);
    assert_int_equal(meters_find(&t, "23456", 5), -1);
    assert_int_equal(meters_find(&t, "MAC000003", 9), -1);
    assert_int_equal(meters_find(&t, "12345678901234567890", 20), -1);
    assert_int_equal(meters_interval(&t, (size_t)meters_find(&t, "00123456", 8)), 60);
    assert_int_equal(meters_interval(&t, (size_t)meters_find(&t, "12345678901234567", 17)), 15);
    meters_free(&t);
}

/* meters_add on an empty table (the assembler's new meters) and after a bulk load: the
 * tail grows and rehashes, and indexes handed out stay valid. */
static void test_tail_grows_and_indexes_stay(void **state)
{
    (void)state;
    struct meter_table t;
    meters_init(&t);
    char id[32];
    for (uint32_t i = 0; i < 1000; i++) {
        core(id, sizeof id, i);
        assert_int_equal(meters_append(&t, id, 13, i, 30), 1);
    }
    assert_int_equal(meters_index(&t), 0);
    for (uint32_t i = 1000; i < 50000; i++) {
        core(id, sizeof id, i);
        assert_int_equal(meters_find(&t, id, 13), -1);
        long want = (long)t.n; /* indexes are handed out in order */
        assert_int_equal(meters_add(&t, id, 13, i, 60), want);
        if (i % 7 == 0) {
            snprintf(id, sizeof id, "X%u", i);
            assert_true(meters_add(&t, id, strlen(id), (int64_t)i + 1000000, 30) > 0);
        }
    }
    for (uint32_t i = 0; i < 50000; i++) {
        core(id, sizeof id, i);
        long k = meters_find(&t, id, 13);
        assert_true(k >= 0);
        assert_int_equal(meters_id(&t, (size_t)k), i);
        assert_int_equal(meters_interval(&t, (size_t)k), i < 1000 ? 30 : 60);
        if (i >= 1000 && i % 7 == 0) {
            snprintf(id, sizeof id, "X%u", i);
            k = meters_find(&t, id, strlen(id));
            assert_true(k >= 0);
            assert_int_equal(meters_id(&t, (size_t)k), (int64_t)i + 1000000);
        }
    }
    meters_free(&t);
}

static void test_wide_meter_ids_and_empty_table(void **state)
{
    (void)state;
    struct meter_table t;
    meters_init(&t);
    assert_int_equal(meters_find(&t, "1234567890123", 13), -1);
    assert_int_equal(meters_find(&t, "MAC1", 4), -1);
    assert_int_equal(meters_index(&t), 0); /* an empty registry */
    assert_int_equal(meters_find(&t, "1234567890123", 13), -1);
    assert_int_equal(meters_add(&t, "1234567890123", 13, 7, 30), 0);
    assert_int_equal(meters_add(&t, "2234567890123", 13, INT64_C(9000000000), 30), 1);
    assert_int_equal(meters_id(&t, 0), 7);
    assert_int_equal(meters_id(&t, 1), INT64_C(9000000000));
    char big[300];
    memset(big, '1', sizeof big);
    assert_int_equal(meters_add(&t, big, 256, 1, 30), -1);
    meters_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bulk_load_finds_every_meter_and_nothing_else),
        cmocka_unit_test(test_leading_zeros_and_lengths_are_other_ids),
        cmocka_unit_test(test_tail_grows_and_indexes_stay),
        cmocka_unit_test(test_wide_meter_ids_and_empty_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
