/* chart.c - see chart.h. */
#include "ui/chart.h"

#include <stdio.h>
#include <string.h>

const char *const chart_weekday_names[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
const char *const chart_month_names[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

int chart_level(double v, double max)
{
    if (v <= 0 || max <= 0)
        return 0;
    if (v >= max)
        return CHART_LEVELS;
    int k = (int)(v * CHART_LEVELS / max) + 1; /* (0, max/4) is 1, [max/4, max/2) is 2 ... */
    return k > CHART_LEVELS ? CHART_LEVELS : k;
}

const char *chart_heat_glyph(int level, bool utf8)
{
    static const char *const u[] = { "\u00b7", "\u2591", "\u2592", "\u2593", "\u2588" };
    static const char *const a[] = { ".", ":", "+", "#", "@" };
    if (level < 0)
        return utf8 ? " " : " ";
    if (level > CHART_LEVELS)
        level = CHART_LEVELS;
    return utf8 ? u[level] : a[level];
}

int chart_bar_eighths(double v, double max, int width)
{
    if (v <= 0 || max <= 0 || width <= 0)
        return 0;
    double e = v / max * 8 * width;
    int n = (int)(e + 0.5);
    if (n == 0)
        n = 1; /* anything above nothing shows */
    return n > 8 * width ? 8 * width : n;
}

const char *chart_bar_glyph(double v, double max, int height, int row, bool utf8)
{
    static const char *const eighths[] = { " ", "\u2581", "\u2582", "\u2583", "\u2584",
                                           "\u2585", "\u2586", "\u2587", "\u2588" };
    int e = chart_bar_eighths(v, max, height) - row * 8;
    if (e <= 0)
        return " ";
    if (e >= 8)
        return utf8 ? eighths[8] : "#";
    if (utf8)
        return eighths[e];
    return e >= 4 ? "." : " ";
}

void chart_hbar(double v, double max, int width, bool utf8, char *buf, size_t len)
{
    static const char *const eighths[] = { "", "\u258f", "\u258e", "\u258d", "\u258c",
                                           "\u258b", "\u258a", "\u2589" };
    size_t o = 0;
    buf[0] = '\0';
    int e = chart_bar_eighths(v, max, width);
    for (int i = 0; i < e / 8 && o + 4 < len; i++)
        o += (size_t)snprintf(buf + o, len - o, "%s", utf8 ? "\u2588" : "#");
    if (e % 8 && o + 4 < len)
        snprintf(buf + o, len - o, "%s", utf8 ? eighths[e % 8] : (e % 8 >= 4 ? "#" : ""));
}

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar. */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

long chart_day_parse(const char *s)
{
    int y, m, d;
    char tail;
    if (!s || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || strlen(s) != 10)
        return -1;
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    long day = days_from_civil(y, (unsigned)m, (unsigned)d);
    char back[16];
    chart_day_format(day, back, sizeof back);
    return strcmp(back, s) == 0 ? day : -1; /* 2024-02-30 is not a day */
}

void chart_day_format(long z, char *buf, size_t len)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = (long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    snprintf(buf, len, "%04ld-%02u-%02u", y + (m <= 2), m, d);
}

int chart_weekday(long day)
{
    long w = (day + 3) % 7; /* 1970-01-01 was a Thursday */
    return (int)(w < 0 ? w + 7 : w);
}

long chart_week_start(long day)
{
    return day - chart_weekday(day);
}
