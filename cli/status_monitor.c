/* status_monitor.c - see status_monitor.h. */
#include "cli/status_monitor.h"

#include <stdbool.h>
#include <string.h>

/* --- Nagios ---------------------------------------------------------------------------- */

/* Text for the status line: no newline, no '|' (it starts the performance data). */
static void nagios_text(FILE *out, const char *s, size_t max)
{
    for (size_t i = 0; s[i] && i < max; i++) {
        unsigned char c = (unsigned char)s[i];
        fputc(c < 0x20 || c == 0x7f ? ' ' : c == '|' ? '/' : c, out);
    }
}

/* A number as performance data allows it: [-0-9.], no exponent, no trailing zeros. */
static void nagios_number(FILE *out, double v)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.3f", v);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *e = buf + strlen(buf) - 1;
        while (e > dot && *e == '0')
            *e-- = '\0';
        if (e == dot)
            *e = '\0';
    }
    fputs(buf, out);
}

static void nagios_threshold(FILE *out, double v)
{
    fputc(';', out);
    if (v != HEALTH_OFF)
        nagios_number(out, v);
}

/* 'label'=value[UOM];warn;crit;min;max. A label may hold anything but '=' and "'". */
static void nagios_perf(FILE *out, const struct health_check *c, const struct health_thresholds *t)
{
    fputs(" '", out);
    char label[160];
    snprintf(label, sizeof label, "%s%s%s", c->name, c->subject ? ":" : "", c->subject ? c->subject : "");
    for (char *p = label; *p; p++)
        fputc(*p == '=' || *p == '\'' || (unsigned char)*p < 0x20 ? '_' : *p, out);
    fputs("'=", out);
    nagios_number(out, c->value);
    enum health_unit u = c->id >= 0 ? health_defs[c->id].unit : HU_COUNT;
    fputs(u == HU_SECONDS ? "s" : u == HU_PERCENT ? "%" : u == HU_BYTES ? "B" : "", out);
    nagios_threshold(out, c->id >= 0 ? t->warning[c->id] : HEALTH_OFF);
    nagios_threshold(out, c->id >= 0 ? t->critical[c->id] : HEALTH_OFF);
    fputs(u == HU_PERCENT ? ";0;100" : ";0;", out);
}

int nagios_unknown(FILE *out, const char *why)
{
    fputs("METEROPS UNKNOWN - ", out);
    nagios_text(out, why, 400);
    fputc('\n', out);
    return NAGIOS_UNKNOWN;
}

int nagios_print(FILE *out, const struct dashboard *d, const struct health_check *checks, int n,
                 const struct health_thresholds *t, const char *why)
{
    static const char *const names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
    if (!d) {
        fputs("METEROPS CRITICAL - ", out);
        nagios_text(out, why, 400);
        fputc('\n', out);
        return NAGIOS_CRITICAL;
    }
    unsigned unknown = d->parts_asked & ~d->parts_ok;
    int worst = NAGIOS_OK;
    for (int i = 0; i < n; i++)
        if (strcmp(checks[i].name, "unreadable") != 0 && (int)checks[i].level > worst)
            worst = (int)checks[i].level;
    int state = worst == NAGIOS_CRITICAL ? NAGIOS_CRITICAL : unknown ? NAGIOS_UNKNOWN : worst;
    fprintf(out, "METEROPS %s - ", names[state]);
    /* The raised checks, critical first (the first ten: the line stays short of the 8 KB
     * Nagios reads); then what is unknown. */
    bool first = true;
    int shown = 0;
    for (int level = HEALTH_CRITICAL; level > HEALTH_OK; level--)
        for (int i = 0; i < n; i++)
            if ((int)checks[i].level == level && strcmp(checks[i].name, "unreadable") != 0) {
                if (shown++ >= 10)
                    continue;
                fprintf(out, "%s%s %s: ", first ? "" : "; ", names[level], checks[i].name);
                nagios_text(out, checks[i].message, 160);
                first = false;
            }
    if (shown > 10)
        fprintf(out, "; %d more", shown - 10);
    if (unknown) {
        fprintf(out, "%sunknown:", first ? "" : "; ");
        for (unsigned bit = 1; bit & DASH_ALL; bit <<= 1)
            if (unknown & bit)
                fprintf(out, " %s", dash_part_name(bit));
        fputs(" (", out);
        nagios_text(out, d->err.message, 200);
        fputc(')', out);
        first = false;
    }
    if (first)
        fprintf(out, "%d checks OK", n);
    fputs(" |", out);
    for (int i = 0; i < n; i++)
        if (strcmp(checks[i].name, "unreadable") != 0)
            nagios_perf(out, &checks[i], t);
    fputc('\n', out);
    return state;
}

/* --- Prometheus ------------------------------------------------------------------------ */

/* A label value: backslash, double quote and newline escaped (the exposition format). */
static void prom_label(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\' || *s == '"')
            fputc('\\', out), fputc(*s, out);
        else if (*s == '\n')
            fputs("\\n", out);
        else
            fputc(*s, out);
    }
}

static void prom_family(FILE *out, const char *name, const char *help)
{
    fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static void prom_check_sample(FILE *out, const char *metric, const struct health_check *c, double v)
{
    fprintf(out, "%s{check=\"", metric);
    prom_label(out, c->name);
    fputs("\",subject=\"", out);
    prom_label(out, c->subject ? c->subject : "");
    fprintf(out, "\"} %.17g\n", v);
}

static void prom_thresholds(FILE *out, const char *metric, const char *help, const double *v)
{
    prom_family(out, metric, help);
    for (int i = 0; i < HC_COUNT; i++)
        if (v[i] != HEALTH_OFF)
            fprintf(out, "%s{check=\"%s\"} %.17g\n", metric, health_defs[i].name, v[i]);
}

void prometheus_print(FILE *out, const struct dashboard *d, const struct health_check *checks, int n,
                      const struct health_thresholds *t, enum health_level overall, double seconds)
{
    prom_family(out, "meterops_up", "1 when meterops status reached the database, else 0.");
    fprintf(out, "meterops_up %d\n", d != NULL);
    prom_family(out, "meterops_status_duration_seconds", "How long meterops status ran.");
    fprintf(out, "meterops_status_duration_seconds %.3f\n", seconds);
    if (!d)
        return;
    prom_family(out, "meterops_status_level", "The worst check: 0 ok, 1 warning, 2 critical.");
    fprintf(out, "meterops_status_level %d\n", (int)overall);
    prom_family(out, "meterops_part_up",
                "1 for a part of the facts that answered within the budget, 0 for one that did not "
                "(its checks are absent).");
    for (unsigned bit = 1; bit & DASH_ALL; bit <<= 1)
        if (d->parts_asked & bit)
            fprintf(out, "meterops_part_up{part=\"%s\"} %d\n", dash_part_name(bit), (d->parts_ok & bit) != 0);
    prom_family(out, "meterops_check_level", "A check's level: 0 ok, 1 warning, 2 critical.");
    for (int i = 0; i < n; i++)
        prom_check_sample(out, "meterops_check_level", &checks[i], (double)checks[i].level);
    prom_family(out, "meterops_check_value",
                "The value a check judged, in its unit (meterops(1), STATUS CHECKS).");
    for (int i = 0; i < n; i++)
        prom_check_sample(out, "meterops_check_value", &checks[i], checks[i].value);
    prom_thresholds(out, "meterops_check_warning_threshold", "Above this value a check warns.", t->warning);
    prom_thresholds(out, "meterops_check_critical_threshold", "Above this value a check is critical.",
                    t->critical);
}
