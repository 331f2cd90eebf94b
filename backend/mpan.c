#include "backend/mpan.h"

#include <stdio.h>

#include "backend/reader.h"

static const int weights[12] = { 3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43 };

int mpan_check_digit(const char *core12)
{
    int sum = 0;
    for (int i = 0; i < 12; i++)
        sum += (core12[i] - '0') * weights[i];
    return sum % 11 % 10;
}

static enum mpxn_kind shape(const char *s, size_t len)
{
    if (len == 0 || !reader_all_digits(s, len))
        return MPXN_INVALID;
    if (len == 13)
        return MPXN_MPAN_CORE;
    if (len == 21)
        return MPXN_MPAN_FULL;
    if (len == 11)
        return s[0] == '1' && s[1] == '0' ? MPXN_MPRN_IE : MPXN_INVALID;
    if (len >= 6 && len <= 10)
        return s[0] != '0' ? MPXN_MPRN : MPXN_INVALID;
    return MPXN_INVALID;
}

const char *mpxn_parse(const char *s, size_t len, struct mpxn_id *out)
{
    struct mpxn_id m = { shape(s, len), s, len, 0 };
    const char *code = NULL;
    if (m.kind == MPXN_INVALID) {
        code = RJ_MPXN_SYNTAX;
    } else if (m.kind == MPXN_MPAN_CORE || m.kind == MPXN_MPAN_FULL) {
        m.id = s + len - 13;
        m.len = 13;
        if (mpan_check_digit(m.id) != m.id[12] - '0')
            code = RJ_MPAN_CHECK;
    } else {
        m.gas = m.kind == MPXN_MPRN;
    }
    if (out)
        *out = m;
    return code;
}

void mpxn_explain(const char *s, size_t len, const char *code, char *buf, size_t n)
{
    int shown = len > 40 ? 40 : (int)len;
    if (code && code[0] == RJ_MPAN_CHECK[0] && len >= 13)
        snprintf(buf, n, "MPAN '%.*s' fails its check digit (the last digit should be %d)", shown,
                 s, mpan_check_digit(s + len - 13));
    else
        snprintf(buf, n, "meter id '%.*s' is not a 13-digit MPAN core, a 21-digit full MPAN, an "
                 "11-digit Irish MPRN (10...) or a 6-10 digit gas MPRN (no leading zero)", shown, s);
}

enum mpxn_kind mpxn_classify(const char *s, size_t len, int *check_ok)
{
    struct mpxn_id m;
    const char *code = mpxn_parse(s, len, &m);
    if (check_ok)
        *check_ok = code == NULL;
    return m.kind;
}
