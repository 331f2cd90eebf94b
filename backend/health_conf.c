/* health_conf.c - see health_conf.h. */
#include "backend/health_conf.h"

#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* The units a value of each kind may carry, and what each is worth in the check's own. */
struct unit_factor {
    enum health_unit kind;
    const char *suffix;
    double factor;
};
static const struct unit_factor units[] = {
    { HU_BYTES, "B", 1 }, { HU_BYTES, "kB", 1024.0 }, { HU_BYTES, "MB", 1024.0 * 1024 },
    { HU_BYTES, "GB", 1024.0 * 1024 * 1024 }, { HU_BYTES, "TB", 1024.0 * 1024 * 1024 * 1024 },
    { HU_SECONDS, "ms", 0.001 }, { HU_SECONDS, "s", 1 }, { HU_SECONDS, "min", 60 },
    { HU_SECONDS, "h", 3600 }, { HU_SECONDS, "d", 86400 },
    { HU_MINUTES, "s", 1.0 / 60 }, { HU_MINUTES, "min", 1 }, { HU_MINUTES, "h", 60 },
    { HU_MINUTES, "d", 1440 },
    { HU_PERCENT, "%", 1 }, { HU_PER_HOUR, "/h", 1 },
};

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* "off", or a number >= 0 with a unit the check's kind allows. 0, or -1 with why. */
static int parse_value(const char *s, enum health_unit kind, double *out, const char **why)
{
    if (strcasecmp(s, "off") == 0) {
        *out = HEALTH_OFF;
        return 0;
    }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || !isfinite(v) || v < 0 || !(isdigit((unsigned char)*s) || *s == '.')) {
        *why = "not a number from 0 up, nor off";
        return -1;
    }
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end == '\0') {
        *out = v;
        return 0;
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (units[i].kind == kind && strcasecmp(end, units[i].suffix) == 0) {
            *out = v * units[i].factor;
            return 0;
        }
    static const char *const allowed[] = {
        [HU_COUNT] = "a count takes no unit", [HU_SECONDS] = "a time takes ms, s, min, h or d",
        [HU_MINUTES] = "a time takes s, min, h or d", [HU_BYTES] = "a size takes B, kB, MB, GB or TB",
        [HU_PERCENT] = "a percentage takes only %", [HU_PER_HOUR] = "a rate takes only /h",
    };
    *why = allowed[kind];
    return -1;
}

/* One "CHECK.LEVEL = VALUE" line (comments and blanks already gone). */
static int parse_line(char *line, struct health_thresholds *t, const char **why)
{
    char *eq = strchr(line, '=');
    if (!eq) {
        *why = "expected CHECK.warning = VALUE or CHECK.critical = VALUE";
        return -1;
    }
    *eq = '\0';
    char *key = trim(line), *value = trim(eq + 1);
    char *dot = strrchr(key, '.');
    if (!dot) {
        *why = "the key is CHECK.warning or CHECK.critical";
        return -1;
    }
    *dot = '\0';
    const char *level = dot + 1;
    int id = -1;
    for (int i = 0; i < HC_COUNT; i++)
        if (strcmp(key, health_defs[i].name) == 0)
            id = i;
    if (id < 0) {
        *why = "unknown check (meterops status --help lists them)";
        return -1;
    }
    bool warning = strcmp(level, "warning") == 0;
    if (!warning && strcmp(level, "critical") != 0) {
        *why = "unknown key: a check has .warning and .critical";
        return -1;
    }
    if (!*value) {
        *why = "no value";
        return -1;
    }
    double v;
    if (parse_value(value, health_defs[id].unit, &v, why) < 0)
        return -1;
    (warning ? t->warning : t->critical)[id] = v;
    return 0;
}

int health_conf_load(const char *path, struct health_thresholds *t, struct mo_err *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return mo_err_at(err, path, 0, 0, "config", "cannot read %s: %s", path, strerror(errno));
    char buf[1024];
    long lineno = 0;
    int rc = 0;
    while (rc == 0 && fgets(buf, sizeof buf, f)) {
        lineno++;
        size_t n = strlen(buf);
        if (n == sizeof buf - 1 && buf[n - 1] != '\n' && !feof(f)) {
            rc = mo_err_at(err, path, lineno, 0, "config", "%s:%ld: line too long", path, lineno);
            break;
        }
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = '\0';
        char *line = trim(buf);
        const char *why = NULL;
        if (*line && parse_line(line, t, &why) < 0)
            rc = mo_err_at(err, path, lineno, 0, "config", "%s:%ld: %s", path, lineno, why);
    }
    if (rc == 0 && ferror(f))
        rc = mo_err_at(err, path, lineno, 0, "config", "cannot read %s: %s", path, strerror(errno));
    fclose(f);
    return rc;
}

const char *health_conf_default(char *buf, size_t len)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    int n = -1;
    if (xdg && *xdg == '/')
        n = snprintf(buf, len, "%s/meterops/status.conf", xdg);
    else if (home && *home)
        n = snprintf(buf, len, "%s/.config/meterops/status.conf", home);
    if (n > 0 && (size_t)n < len && access(buf, F_OK) == 0)
        return buf;
    n = snprintf(buf, len, "/etc/meterops/status.conf");
    if (n > 0 && (size_t)n < len && access(buf, F_OK) == 0)
        return buf;
    return NULL;
}
