#include "backend/kwh_decimal.h"

#include <stdbool.h>

/* Integer digits beyond this cannot be a reading; stop accumulating so nothing overflows
 * (10^15 kWh in milli-units still fits int64 comfortably). */
#define KWH_MAX_INT_DIGITS 15

/* Reads a decimal as milli-units: *milli = floor(|value| * 1000) and *next = the fourth
 * fraction digit, the one that decides rounding to a whole milli-unit. */
static enum kwh_status decimal_milli(const char *s, size_t len, int64_t *milli, int *next)
{
    size_t i = 0;
    int neg = 0;
    if (i < len && (s[i] == '-' || s[i] == '+')) {
        neg = s[i] == '-';
        i++;
    }
    int64_t ip = 0;
    int int_digits = 0, significant = 0, nonzero = 0;
    for (; i < len && (unsigned)(s[i] - '0') < 10; i++) {
        int_digits++;
        if (ip != 0 || s[i] != '0')
            significant++;
        if (significant <= KWH_MAX_INT_DIGITS)
            ip = ip * 10 + (s[i] - '0');
        nonzero |= s[i] != '0';
    }
    int frac_digits = 0, d4 = 0;
    int64_t frac3 = 0;
    if (i < len && s[i] == '.') {
        for (i++; i < len && (unsigned)(s[i] - '0') < 10; i++) {
            int d = s[i] - '0';
            if (frac_digits < 3)
                frac3 = frac3 * 10 + d;
            else if (frac_digits == 3)
                d4 = d;
            nonzero |= d != 0;
            frac_digits++;
        }
        if (frac_digits == 0)
            return KWH_SYNTAX; /* "5." or "." */
    }
    if (i != len || (int_digits == 0 && frac_digits == 0))
        return KWH_SYNTAX;
    if (neg && nonzero)
        return KWH_NEGATIVE;
    if (significant > KWH_MAX_INT_DIGITS)
        return KWH_TOO_LARGE;
    for (int k = frac_digits; k < 3; k++)
        frac3 *= 10;
    *milli = ip * 1000 + frac3;
    *next = d4;
    return KWH_OK;
}

/* The decimal s in whole Wh, rounded half up: kWh as such, or kW averaged over a half
 * hour (half as many Wh). */
static enum kwh_status to_wh(const char *s, size_t len, bool per_halfhour, int64_t *wh)
{
    int64_t milli;
    int next;
    enum kwh_status st = decimal_milli(s, len, &milli, &next);
    if (st != KWH_OK)
        return st;
    if (per_halfhour)
        /* Energy = (milli + f) / 2 Wh with 0 <= f < 1. For even milli that is milli/2 plus
         * less than a half: round down. For odd milli it is (milli-1)/2 plus at least a
         * half: round up. So the digits after the third never matter here. */
        *wh = (milli + 1) / 2;
    else
        /* What is left below one Wh is 0.<next>...; it is at least one half exactly when
         * the next digit is 5 or more, whatever follows. */
        *wh = milli + (next >= 5);
    return KWH_OK;
}

enum kwh_status kwh_to_wh(const char *s, size_t len, int64_t *wh)
{
    return to_wh(s, len, false, wh);
}

enum kwh_status kw_halfhour_to_wh(const char *s, size_t len, int64_t *wh)
{
    return to_wh(s, len, true, wh);
}

enum kwh_status kwh_exact_units(const char *s, size_t len, int per_halfhour, int64_t *units)
{
    size_t i = 0;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        i++;
    int64_t n = 0;
    int digits = 0, frac = 0;
    for (; i < len && (unsigned)(s[i] - '0') < 10; i++, digits++) {
        if (digits >= 6 && n >= 100000)
            return KWH_TOO_LARGE;
        n = n * 10 + (s[i] - '0');
    }
    if (i < len && s[i] == '.')
        for (i++; i < len && (unsigned)(s[i] - '0') < 10; i++)
            if (frac < 9) {
                n = n * 10 + (s[i] - '0');
                frac++;
            }
    if (i != len)
        return KWH_SYNTAX;
    for (; frac < 9; frac++)
        n *= 10;
    /* n is nano-kWh (or nano-kW); a unit is half a micro-Wh */
    *units = per_halfhour ? n : n * 2;
    return KWH_OK;
}

int64_t kwh_units_round(int64_t units)
{
    int64_t q = units / KWH_UNITS_PER_WH, r = units % KWH_UNITS_PER_WH;
    if (r * 2 > KWH_UNITS_PER_WH || (r * 2 == KWH_UNITS_PER_WH && (q & 1)))
        q++;
    return q;
}
