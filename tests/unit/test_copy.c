/* Binary COPY encoding of reading_day rows, byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "backend/copy.h"
#include "backend/halfhour.h"

static void test_header_and_trailer_are_postgres_signature(void **state)
{
    (void)state;
    static const unsigned char want[] = {
        'P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0xFF, 0xFF,
    };
    struct copybuf b;
    copybuf_init(&b);
    copybuf_header(&b);
    copybuf_trailer(&b);
    assert_int_equal(b.len, sizeof want);
    assert_memory_equal(b.p, want, sizeof want);
    copybuf_free(&b);
}

static void test_encodes_day_with_null_interval_and_no_flags(void **state)
{
    (void)state;
    static const unsigned char want[] = {
        0x00, 0x05,                                     /* five columns */
        0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 7,             /* meter_id int8 7 */
        0, 0, 0, 4, 0, 0, 0, 1,                         /* day: 2000-01-02 = day 1 */
        0, 0, 0, 40,                                    /* int4[] of 40 bytes: */
        0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 23,            /*   1 dim, has NULLs, int4 */
        0, 0, 0, 3, 0, 0, 0, 1,                         /*   3 elements from 1 */
        0, 0, 0, 4, 0, 0, 0, 1,                         /*   1 */
        0xFF, 0xFF, 0xFF, 0xFF,                         /*   NULL */
        0, 0, 0, 4, 0x7F, 0xFF, 0xFF, 0xFF,             /*   2147483647 */
        0xFF, 0xFF, 0xFF, 0xFF,                         /* flags NULL: all actual */
        0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0x01, 0x02,       /* file_id 258 */
    };
    int32_t wh[3] = { 1, 99, INT32_MAX };
    uint64_t set[2] = { 5, 0 }, est[2] = { 2, 0 }; /* the unset interval's estimate bit is moot */
    struct copybuf b;
    copybuf_init(&b);
    copybuf_day(&b, 7, days_from_civil(2000, 1, 2), 3, wh, set, est, 258);
    assert_int_equal(b.len, sizeof want);
    assert_memory_equal(b.p, want, sizeof want);
    copybuf_free(&b);
}

static int32_t get32(const unsigned char *p)
{
    return (int32_t)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]);
}

/* Decodes what copybuf_day wrote and compares it with what went in. */
static void test_round_trips_a_full_day_with_estimates(void **state)
{
    (void)state;
    int32_t wh[96];
    for (int i = 0; i < 96; i++)
        wh[i] = i * 1000 + 7;
    uint64_t set[2] = { UINT64_MAX, UINT64_MAX >> 32 }, est[2] = { 1u << 3, 1u << 1 };
    struct copybuf b;
    copybuf_init(&b);
    copybuf_day(&b, 123456789012LL, days_from_civil(2024, 3, 31), 96, wh, set, est, 5);
    const unsigned char *p = b.p;
    assert_int_equal(p[0] << 8 | p[1], 5);
    p += 2;
    assert_int_equal(get32(p), 8);
    assert_int_equal((int64_t)get32(p + 4) << 32 | (uint32_t)get32(p + 8), 123456789012LL);
    p += 12;
    assert_int_equal(get32(p + 4), days_from_civil(2024, 3, 31) - COPY_PG_EPOCH_DAYS);
    p += 8;
    int32_t alen = get32(p);
    assert_int_equal(alen, 20 + 96 * 8);
    assert_int_equal(get32(p + 8), 0); /* no NULLs */
    assert_int_equal(get32(p + 16), 96);
    const unsigned char *e = p + 24;
    for (int i = 0; i < 96; i++, e += 8) {
        assert_int_equal(get32(e), 4);
        assert_int_equal(get32(e + 4), wh[i]);
    }
    p += 4 + alen;
    assert_int_equal(get32(p), 96);
    for (int i = 0; i < 96; i++)
        assert_int_equal(p[4 + i], i == 3 || i == 65 ? 'E' : 'A');
    p += 4 + 96;
    assert_int_equal(get32(p), 8);
    assert_int_equal(get32(p + 8), 5);
    assert_int_equal(p + 12 - b.p, (long)b.len);
    copybuf_free(&b);
}

static void test_marks_missing_intervals_in_flags(void **state)
{
    (void)state;
    int32_t wh[24] = { 0 };
    uint64_t set[2] = { 0x3, 0 }, est[2] = { 0x2, 0 };
    struct copybuf b;
    copybuf_init(&b);
    copybuf_day(&b, 1, 0, 24, wh, set, est, 1);
    /* flags are the 24 bytes before the trailing file_id */
    const unsigned char *flags = b.p + b.len - 12 - 24;
    assert_int_equal(get32(flags - 4), 24);
    assert_memory_equal(flags, "AEMMMMMMMMMMMMMMMMMMMMMM", 24);
    copybuf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_and_trailer_are_postgres_signature),
        cmocka_unit_test(test_encodes_day_with_null_interval_and_no_flags),
        cmocka_unit_test(test_round_trips_a_full_day_with_estimates),
        cmocka_unit_test(test_marks_missing_intervals_in_flags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
