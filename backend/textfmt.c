/* textfmt.c - see textfmt.h. */
#include "backend/textfmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *fmt_count(char *buf, size_t len, int64_t n)
{
    char digits[32];
    unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
    int nd = snprintf(digits, sizeof digits, "%llu", u);
    char out[48];
    size_t o = 0;
    if (n < 0)
        out[o++] = '-';
    for (int i = 0; i < nd; i++) {
        if (i > 0 && (nd - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    snprintf(buf, len, "%s", out);
    return buf;
}

const char *fmt_si(char *buf, size_t len, double v)
{
    static const char units[] = { 0, 'k', 'M', 'G', 'T', 'P' };
    double a = fabs(v);
    int u = 0;
    while (a >= 999.95 && u < 5) {
        a /= 1000.0;
        v /= 1000.0;
        u++;
    }
    if (u == 0)
        snprintf(buf, len, "%.0f", v);
    else if (a < 9.995)
        snprintf(buf, len, "%.2f%c", v, units[u]);
    else if (a < 99.95)
        snprintf(buf, len, "%.1f%c", v, units[u]);
    else
        snprintf(buf, len, "%.0f%c", v, units[u]);
    return buf;
}

const char *fmt_bytes(char *buf, size_t len, int64_t bytes)
{
    static const char *const units[] = { "bytes", "kB", "MB", "GB", "TB", "PB" };
    if (bytes < 1024) {
        snprintf(buf, len, "%lld bytes", (long long)bytes);
        return buf;
    }
    double v = (double)bytes;
    int u = 0;
    while (v >= 1024.0 && u < 5) {
        v /= 1024.0;
        u++;
    }
    snprintf(buf, len, v < 9.95 ? "%.1f %s" : "%.0f %s", v, units[u]);
    return buf;
}

const char *fmt_duration(char *buf, size_t len, int64_t s)
{
    if (s < 0)
        snprintf(buf, len, "-");
    else if (s < 60)
        snprintf(buf, len, "%llds", (long long)s);
    else if (s < 3600)
        snprintf(buf, len, "%lldm%02llds", (long long)(s / 60), (long long)(s % 60));
    else if (s < 86400)
        snprintf(buf, len, "%lldh%02lldm", (long long)(s / 3600), (long long)(s % 3600 / 60));
    else
        snprintf(buf, len, "%lldd%02lldh", (long long)(s / 86400), (long long)(s % 86400 / 3600));
    return buf;
}

const char *fmt_ago(char *buf, size_t len, int64_t s)
{
    if (s < 1)
        snprintf(buf, len, "now");
    else if (s < 60)
        snprintf(buf, len, "%llds ago", (long long)s);
    else if (s < 3600)
        snprintf(buf, len, "%lldm ago", (long long)(s / 60));
    else if (s < 86400)
        snprintf(buf, len, "%lldh ago", (long long)(s / 3600));
    else
        snprintf(buf, len, "%lldd ago", (long long)(s / 86400));
    return buf;
}

const char *fmt_eta(char *buf, size_t len, int64_t s)
{
    if (s < 0)
        snprintf(buf, len, "--:--");
    else if (s < 3600)
        snprintf(buf, len, "%lld:%02lld", (long long)(s / 60), (long long)(s % 60));
    else
        snprintf(buf, len, "%lld:%02lld:%02lld", (long long)(s / 3600), (long long)(s % 3600 / 60),
                 (long long)(s % 60));
    return buf;
}

const char *fmt_when(char *buf, size_t len, int64_t unix_s, int64_t now)
{
    if (unix_s <= 0) {
        snprintf(buf, len, "-");
        return buf;
    }
    time_t t = (time_t)unix_s, n = (time_t)now;
    struct tm tm, tn;
    localtime_r(&t, &tm);
    localtime_r(&n, &tn);
    if (tm.tm_year == tn.tm_year && tm.tm_yday == tn.tm_yday)
        strftime(buf, len, "%H:%M:%S", &tm);
    else
        strftime(buf, len, "%m-%d %H:%M", &tm);
    return buf;
}

const char *fmt_bar(char *buf, size_t len, int width, double fraction, bool utf8)
{
    static const char *const eighths[8] = { "", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a", "\u2589" };
    if (!(fraction >= 0)) /* also NaN */
        fraction = 0;
    if (fraction > 1)
        fraction = 1;
    if (width < 0)
        width = 0;
    int eighth_cells = (int)floor(fraction * width * 8 + 0.5);
    int full = eighth_cells / 8, part = eighth_cells % 8;
    size_t o = 0;
    buf[0] = '\0';
#define ADD(s) do { size_t l_ = strlen(s); if (o + l_ < len) { memcpy(buf + o, s, l_); o += l_; buf[o] = '\0'; } } while (0)
    int cells = 0;
    for (; cells < full; cells++)
        ADD(utf8 ? "\u2588" : "#");
    if (part && cells < width) {
        ADD(utf8 ? eighths[part] : (part >= 4 ? "#" : "."));
        cells++;
    }
    for (; cells < width; cells++)
        ADD(utf8 ? "\u2591" : ".");
#undef ADD
    return buf;
}

/* The escape of the control character at s (bytes it spans in *n), or NULL for none. */
static const char *control_escape(const unsigned char *s, size_t *n, char esc[9])
{
    if (s[0] == '\0') {
        *n = 1;
        return NULL;
    }
    *n = 1;
    if (s[0] == '\n')
        return "\\n";
    if (s[0] == '\r')
        return "\\r";
    if (s[0] == '\t')
        return "\\t";
    if (s[0] < 0x20 || s[0] == 0x7f) {
        snprintf(esc, 9, "\\x%02X", s[0]);
        return esc;
    }
    if (s[0] == 0xC2 && s[1] >= 0x80 && s[1] <= 0x9F) {
        *n = 2;
        snprintf(esc, 9, "\\xC2\\x%02X", s[1]);
        return esc;
    }
    return NULL;
}

const char *fmt_control(const char *s, size_t *n, char esc[9])
{
    return control_escape((const unsigned char *)s, n, esc);
}

const char *fmt_visible(char *buf, size_t len, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n;
    char esc[9];
    while (*p && !control_escape(p, &n, esc))
        p++;
    if (!*p || len == 0)
        return *p ? "" : s;
    size_t o = 0;
    for (p = (const unsigned char *)s; *p;) {
        const char *e = control_escape(p, &n, esc);
        size_t want = e ? strlen(e) : 1;
        if (o + want + 1 > len)
            break;
        if (e)
            memcpy(buf + o, e, want);
        else
            buf[o] = (char)*p;
        o += want;
        p += n;
    }
    buf[o] = '\0';
    return buf;
}
