/* fuzz_kwh_decimal.c - backend/kwh_decimal.c against the syntax its header documents
 * (an optional sign, digits, an optional fraction; at least one digit) and a bound that
 * holds whatever the rounding rule: the Wh are the exact value's floor or one more. */
#include "tests/fuzz/fuzz.h"

#include <string.h>

#include "backend/kwh_decimal.h"

/* Reads s[0..len) by the documented syntax: 1 when it is a decimal, with the integer
 * part's significant digits, whether a digit is nonzero, and floor(|value| * 1000) when
 * the integer part has at most 15 significant digits. */
static int oracle(const char *s, size_t len, int *neg, int *sig, int *nonzero, int64_t *milli)
{
    size_t i = 0;
    int digits = 0, frac = 0;
    int64_t ip = 0, f3 = 0;
    *neg = *sig = *nonzero = 0;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        *neg = s[i++] == '-';
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
        if (*sig || s[i] != '0')
            ++*sig;
        if (*sig <= 15)
            ip = ip * 10 + (s[i] - '0');
        *nonzero |= s[i] != '0';
    }
    if (i < len && s[i] == '.') {
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, frac++) {
            if (frac < 3)
                f3 = f3 * 10 + (s[i] - '0');
            *nonzero |= s[i] != '0';
        }
        if (frac == 0)
            return 0;
    }
    for (int k = frac; k < 3; k++)
        f3 *= 10;
    *milli = ip * 1000 + f3;
    return i == len && digits + frac > 0;
}

static void check(enum kwh_status st, int64_t wh, const char *s, size_t len, int per_halfhour)
{
    int neg, sig, nonzero;
    int64_t milli = 0;
    int valid = oracle(s, len, &neg, &sig, &nonzero, &milli);
    FUZZ_CHECK((st == KWH_SYNTAX) == !valid);
    if (!valid)
        return;
    if (neg && nonzero)
        FUZZ_CHECK(st == KWH_NEGATIVE || (st == KWH_TOO_LARGE && sig > 15));
    else if (sig > 15)
        FUZZ_CHECK(st == KWH_TOO_LARGE);
    else
        FUZZ_CHECK(st == KWH_OK);
    if (st != KWH_OK)
        return;
    int64_t lo = per_halfhour ? milli / 2 : milli;
    FUZZ_CHECK(wh == lo || wh == lo + 1);
    FUZZ_CHECK(nonzero || wh == 0);
}

FUZZ_ENTRY(kwh_decimal)
{
    const char *s = (const char *)data;
    int64_t wh = -1;
    enum kwh_status st = kwh_to_wh(s, size, &wh);
    check(st, wh, s, size, 0);
    wh = -1;
    st = kw_halfhour_to_wh(s, size, &wh);
    check(st, wh, s, size, 1);
    return 0;
}
