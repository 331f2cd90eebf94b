#include "backend/mpan.h"

static const int weights[12] = { 3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43 };

int mpan_check_digit(const char *core12)
{
    int sum = 0;
    for (int i = 0; i < 12; i++)
        sum += (core12[i] - '0') * weights[i];
    return sum % 11 % 10;
}

enum mpxn_kind mpxn_classify(const char *s, size_t len, int *check_ok)
{
    if (check_ok)
        *check_ok = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return MPXN_INVALID;
    if (len == 13 || len == 21) {
        const char *core = s + (len - 13);
        if (check_ok)
            *check_ok = mpan_check_digit(core) == core[12] - '0';
        return len == 13 ? MPXN_MPAN_CORE : MPXN_MPAN_FULL;
    }
    if (len >= 6 && len <= 10)
        return MPXN_MPRN;
    return MPXN_INVALID;
}
