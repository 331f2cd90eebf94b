#include "backend/halfhour.h"

#include <stdio.h>

/* Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms). */
int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153u * (unsigned)(m + (m > 2 ? -3 : 9)) + 2u) / 5u + (unsigned)d - 1u;
    const unsigned doe = yoe * 365u + yoe / 4u - yoe / 100u + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460u + doe / 36524u - doe / 146096u) / 365u;
    const unsigned doy = doe - (365u * yoe + yoe / 4u - yoe / 100u);
    const unsigned mp = (5u * doy + 2u) / 153u;
    *d = (int)(doy - (153u * mp + 2u) / 5u + 1u);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

int days_in_month(int y, int m)
{
    static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dim[m - 1];
}

/* Reads exactly n digits at s[*i]; -1 if any is not a digit. */
static int digits(const char *s, size_t len, size_t *i, int n)
{
    int v = 0;
    for (int k = 0; k < n; k++, (*i)++) {
        if (*i >= len || s[*i] < '0' || s[*i] > '9')
            return -1;
        v = v * 10 + (s[*i] - '0');
    }
    return v;
}

static int expect(const char *s, size_t len, size_t *i, char c)
{
    if (*i >= len || s[*i] != c)
        return -1;
    (*i)++;
    return 0;
}

#define FAIL_AT(pos) do { if (col) *col = (int)(pos) + 1; return -1; } while (0)

int ts_parse(const char *s, size_t len, int need_zone, int64_t *out, int *col)
{
    size_t i = 0;
    int y = digits(s, len, &i, 4);
    if (y < 0) FAIL_AT(i);
    if (expect(s, len, &i, '-') < 0) FAIL_AT(i);
    int mo = digits(s, len, &i, 2);
    if (mo < 1 || mo > 12) FAIL_AT(5);
    if (expect(s, len, &i, '-') < 0) FAIL_AT(i);
    int d = digits(s, len, &i, 2);
    if (d < 1 || d > days_in_month(y, mo)) FAIL_AT(8);
    if (i >= len || (s[i] != 'T' && s[i] != ' ')) FAIL_AT(i);
    i++;
    size_t hpos = i;
    int h = digits(s, len, &i, 2);
    if (h < 0 || h > 23) FAIL_AT(hpos);
    if (expect(s, len, &i, ':') < 0) FAIL_AT(i);
    size_t mpos = i;
    int mi = digits(s, len, &i, 2);
    if (mi < 0 || mi > 59) FAIL_AT(mpos);
    int sec = 0;
    if (i < len && s[i] == ':') {
        i++;
        size_t spos = i;
        sec = digits(s, len, &i, 2);
        if (sec < 0 || sec > 59) FAIL_AT(spos);
        if (i < len && s[i] == '.') {
            i++;
            size_t fpos = i;
            if (i >= len || s[i] < '0' || s[i] > '9') FAIL_AT(i);
            for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
                if (s[i] != '0') FAIL_AT(fpos);
        }
    }
    int64_t t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    if (i == len) {
        if (need_zone) FAIL_AT(i);
        *out = t;
        return 0;
    }
    if (s[i] == 'Z' && i + 1 == len) {
        *out = t;
        return 0;
    }
    if (s[i] != '+' && s[i] != '-') FAIL_AT(i);
    int sign = s[i] == '-' ? -1 : 1;
    i++;
    size_t zpos = i;
    int oh = digits(s, len, &i, 2);
    if (oh < 0 || oh > 14) FAIL_AT(zpos);
    int om = 0;
    if (i < len) {
        if (s[i] == ':')
            i++;
        size_t ompos = i;
        om = digits(s, len, &i, 2);
        if (om < 0 || om > 59) FAIL_AT(ompos);
    }
    if (i != len) FAIL_AT(i);
    *out = t - sign * (oh * 3600 + om * 60);
    return 0;
}

int date_parse(const char *s, size_t len, int64_t *day)
{
    size_t i = 0;
    int y = digits(s, len, &i, 4);
    if (y < 0 || expect(s, len, &i, '-') < 0) return -1;
    int m = digits(s, len, &i, 2);
    if (m < 1 || m > 12 || expect(s, len, &i, '-') < 0) return -1;
    int d = digits(s, len, &i, 2);
    if (d < 1 || d > days_in_month(y, m) || i != len) return -1;
    *day = days_from_civil(y, m, d);
    return 0;
}

int ts_parse_dmy(const char *s, size_t len, int64_t *local, int *col)
{
    size_t i = 0;
    int d = digits(s, len, &i, 2);
    if (d < 1) FAIL_AT(0);
    char sep = i < len ? s[i] : 0;
    if (sep != '-' && sep != '/') FAIL_AT(i);
    i++;
    int m = digits(s, len, &i, 2);
    if (m < 1 || m > 12) FAIL_AT(3);
    if (expect(s, len, &i, sep) < 0) FAIL_AT(i);
    int y = digits(s, len, &i, 4);
    if (y < 0) FAIL_AT(6);
    if (d > days_in_month(y, m)) FAIL_AT(0);
    if (expect(s, len, &i, ' ') < 0) FAIL_AT(i);
    int h = digits(s, len, &i, 2);
    if (h < 0 || h > 23) FAIL_AT(11);
    if (expect(s, len, &i, ':') < 0) FAIL_AT(i);
    int mi = digits(s, len, &i, 2);
    if (mi < 0 || mi > 59) FAIL_AT(14);
    if (i != len) FAIL_AT(i);
    *local = days_from_civil(y, m, d) * 86400 + h * 3600 + mi * 60;
    return 0;
}

/* UTC instant (01:00 UTC) of the last Sunday of month m in year y. */
static int64_t last_sunday_0100(int y, int m)
{
    int64_t last = days_from_civil(y, m, days_in_month(y, m));
    /* 1970-01-01 was a Thursday: weekday 0 = Sunday at days % 7 == 3. */
    int64_t wd = ((last % 7) + 7 + 4) % 7;
    return (last - wd) * 86400 + 3600;
}

int uk_utc_offset(int64_t t)
{
    int y, m, d;
    civil_from_days(floor_div(t, 86400), &y, &m, &d);
    return (t >= last_sunday_0100(y, 3) && t < last_sunday_0100(y, 10)) ? 3600 : 0;
}

int uk_local_to_utc(int64_t local, int64_t *utc, int *ambiguous)
{
    int64_t as_gmt = local;          /* if the clock showed GMT */
    int64_t as_bst = local - 3600;   /* if it showed BST */
    int gmt_ok = uk_utc_offset(as_gmt) == 0;
    int bst_ok = uk_utc_offset(as_bst) == 3600;
    if (ambiguous)
        *ambiguous = gmt_ok && bst_ok;
    if (bst_ok) {
        *utc = as_bst;
        return 0;
    }
    if (gmt_ok) {
        *utc = as_gmt;
        return 0;
    }
    return -1;
}

void ts_format_utc(int64_t t, char *buf)
{
    int y, m, d;
    int64_t day = floor_div(t, 86400);
    int64_t sod = t - day * 86400;
    civil_from_days(day, &y, &m, &d);
    snprintf(buf, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(sod / 3600),
             (int)(sod / 60 % 60), (int)(sod % 60));
}

void date_format(int64_t day, char *buf)
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    snprintf(buf, 16, "%04d-%02d-%02d", y, m, d);
}
