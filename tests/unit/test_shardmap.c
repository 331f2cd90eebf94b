/* test_shardmap: the client's hash of a meter id is PostgreSQL's hashint8 (values taken
 * from the server: SELECT hashint8(v)), and a hash finds its shard's range. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "backend/shardmap.h"

static void test_hash_matches_hashint8(void **state)
{
    (void)state;
    assert_int_equal(citus_hash_int8(1), -1905060026);
    assert_int_equal(citus_hash_int8(-5), 1412886042);
    assert_int_equal(citus_hash_int8(123456789012LL), 1645134813);
    assert_int_equal(citus_hash_int8(2147483648LL), -1524351049);
}

static void test_finds_the_range_holding_a_hash(void **state)
{
    (void)state;
    struct shard_range r[4] = {
        { INT32_MIN, -1073741825, 0 }, { -1073741824, -1, 1 }, { 0, 1073741823, 0 },
        { 1073741824, INT32_MAX, 1 },
    };
    assert_int_equal(shardmap_find(r, 4, INT32_MIN), 0);
    assert_int_equal(shardmap_find(r, 4, -1), 1);
    assert_int_equal(shardmap_find(r, 4, 0), 2);
    assert_int_equal(shardmap_find(r, 4, INT32_MAX), 3);
    assert_int_equal(shardmap_find(r, 3, INT32_MAX), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_matches_hashint8),
        cmocka_unit_test(test_finds_the_range_holding_a_hash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
