/* fuzz_mpan.c - backend/mpan.c: the kinds of id by length and digits (mpan.h), and the
 * check digit reported exactly when the core's last digit is mpan_check_digit's. */
#include "tests/fuzz/fuzz.h"

#include "backend/mpan.h"

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

FUZZ_ENTRY(mpan)
{
    const char *s = (const char *)data;
    int ok = -1;
    enum mpxn_kind k = mpxn_classify(s, size, &ok);
    if (k != MPXN_INVALID)
        FUZZ_CHECK(all_digits(s, size));
    if (k == MPXN_MPAN_CORE || k == MPXN_MPAN_FULL) {
        const char *core = s + size - 13;
        FUZZ_CHECK(size == (k == MPXN_MPAN_CORE ? 13u : 21u));
        FUZZ_CHECK(ok == (mpan_check_digit(core) == core[12] - '0'));
    }
    if (k == MPXN_MPRN)
        FUZZ_CHECK(size >= 6 && size <= 10);
    if (all_digits(s, size) && (size == 13 || size == 21))
        FUZZ_CHECK(k == (size == 13 ? MPXN_MPAN_CORE : MPXN_MPAN_FULL));
    if (size >= 12 && all_digits(s, 12)) {
        int d = mpan_check_digit(s);
        FUZZ_CHECK(d >= 0 && d <= 9);
    }
    return 0;
}
