/* theme.c - see theme.h. */
#include "ui/theme.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef MO_THEMEDIR
#define MO_THEMEDIR "/usr/local/share/meterops/themes"
#endif

const char *const theme_role_names[ROLE_COUNT] = {
    "normal", "title", "header", "tab", "tab_active", "status", "prompt", "banner",
    "selection", "dim", "ok", "warn", "error", "bar", "border", "match", "key",
    "chart1", "chart2", "chart3", "chart4",
};

static const struct { const char *name; short n; } colour_names[] = {
    { "default", -1 }, { "black", 0 }, { "red", 1 }, { "green", 2 }, { "yellow", 3 },
    { "blue", 4 }, { "magenta", 5 }, { "cyan", 6 }, { "white", 7 },
    { "bright-black", 8 }, { "bright-red", 9 }, { "bright-green", 10 }, { "bright-yellow", 11 },
    { "bright-blue", 12 }, { "bright-magenta", 13 }, { "bright-cyan", 14 }, { "bright-white", 15 },
};

static const struct { const char *name; unsigned bit; } attr_names[] = {
    { "bold", THEME_BOLD }, { "dim", THEME_DIM }, { "reverse", THEME_REVERSE },
    { "underline", THEME_UNDERLINE }, { "italic", THEME_ITALIC }, { "standout", THEME_STANDOUT },
    { "none", 0 },
};

void theme_dirs_default(struct theme_dirs *d)
{
    memset(d, 0, sizeof *d);
    /* Set to the source tree's themes/ by the tests and scripts/demo, which run the
     * binary from build/ without installing it. */
    const char *override = getenv("METEROPS_THEMEDIR");
    if (override && *override)
        snprintf(d->dir[d->n++], sizeof d->dir[0], "%s", override);
    snprintf(d->dir[d->n++], sizeof d->dir[0], "%s", MO_THEMEDIR);
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(d->dir[d->n++], sizeof d->dir[0], "%s/meterops/themes", xdg);
    else if (home && *home)
        snprintf(d->dir[d->n++], sizeof d->dir[0], "%s/.config/meterops/themes", home);
}

static int parse_colour(const char *w, short *out)
{
    for (size_t i = 0; i < sizeof colour_names / sizeof colour_names[0]; i++) {
        if (strcmp(w, colour_names[i].name) == 0) {
            *out = colour_names[i].n;
            return 0;
        }
    }
    char *end;
    long v = strtol(w, &end, 10);
    if (end != w && *end == '\0' && v >= 0 && v <= 255) {
        *out = (short)v;
        return 0;
    }
    return -1;
}

static int parse_attr(const char *w, unsigned *out)
{
    for (size_t i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++) {
        if (strcmp(w, attr_names[i].name) == 0) {
            *out |= attr_names[i].bit;
            return 0;
        }
    }
    return -1;
}

int theme_parse(const char *text, const char *filename, struct theme *out, struct mo_err *err)
{
    struct theme t;
    memset(&t, 0, sizeof t);
    for (int r = 0; r < ROLE_COUNT; r++)
        t.role[r].fg = t.role[r].bg = THEME_DEFAULT_COLOUR;
    long lineno = 0;
    const char *p = text;
    while (*p) {
        lineno++;
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char line[512];
        if (len >= sizeof line)
            return mo_err_at(err, filename, lineno, 1, "theme_syntax", "line is longer than %zu characters",
                             sizeof line - 1);
        memcpy(line, p, len);
        line[len] = '\0';
        p = eol ? eol + 1 : p + len;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        /* Words with their columns, so an error points at the offending one. */
        char *words[16];
        int cols[16], nw = 0;
        char *s = line;
        while (*s && nw < 16) {
            while (*s && (isspace((unsigned char)*s) || *s == '='))
                s++;
            if (!*s)
                break;
            words[nw] = s;
            cols[nw++] = (int)(s - line) + 1;
            while (*s && !isspace((unsigned char)*s) && *s != '=')
                s++;
            if (*s)
                *s++ = '\0';
        }
        if (nw == 0)
            continue;
        int role = -1;
        for (int r = 0; r < ROLE_COUNT; r++)
            if (strcmp(words[0], theme_role_names[r]) == 0)
                role = r;
        if (role < 0)
            return mo_err_at(err, filename, lineno, cols[0], "theme_role", "unknown role '%s'", words[0]);
        if (t.role[role].set)
            return mo_err_at(err, filename, lineno, cols[0], "theme_role", "role '%s' is set twice", words[0]);
        if (nw < 2)
            return mo_err_at(err, filename, lineno, cols[0], "theme_syntax",
                             "role '%s' needs a foreground colour", words[0]);
        struct theme_style st = { THEME_DEFAULT_COLOUR, THEME_DEFAULT_COLOUR, 0, true };
        if (parse_colour(words[1], &st.fg) < 0)
            return mo_err_at(err, filename, lineno, cols[1], "theme_colour", "unknown colour '%s'", words[1]);
        int w = 2;
        if (nw > 2 && parse_colour(words[2], &st.bg) == 0)
            w = 3;
        for (; w < nw; w++)
            if (parse_attr(words[w], &st.attrs) < 0)
                return mo_err_at(err, filename, lineno, cols[w], "theme_attr",
                                 "'%s' is neither a colour nor an attribute", words[w]);
        t.role[role] = st;
    }
    for (int r = 0; r < ROLE_COUNT; r++) {
        if (!t.role[r].set) {
            t.role[r] = t.role[ROLE_NORMAL];
            t.role[r].set = false;
        }
        if (t.role[r].fg >= 0 || t.role[r].bg >= 0)
            t.uses_colour = true;
    }
    *out = t;
    return 0;
}

static bool name_ok(const char *name)
{
    if (!*name || strlen(name) > 48)
        return false;
    for (const char *c = name; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_')
            return false;
    return true;
}

int theme_load(const char *name, const struct theme_dirs *dirs, struct theme *out, struct mo_err *err)
{
    if (!name_ok(name))
        return mo_err_set(err, "theme_name", "'%s' is not a theme name (letters, digits, - and _)", name);
    for (int i = 0; i < dirs->n; i++) {
        char path[1200];
        snprintf(path, sizeof path, "%s/%s.theme", dirs->dir[i], name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        char text[16384];
        size_t n = fread(text, 1, sizeof text - 1, f);
        fclose(f);
        text[n] = '\0';
        if (theme_parse(text, path, out, err) < 0)
            return -1;
        snprintf(out->name, sizeof out->name, "%s", name);
        return 0;
    }
    return mo_err_set(err, "theme_missing", "no theme '%s' (looked in %s, %s%s%s)", name, dirs->dir[0],
                      dirs->dir[1], dirs->n > 2 ? ", " : "", dirs->n > 2 ? dirs->dir[2] : "");
}

/* The roles both built-in themes draw with attributes alone, so the frame of the screen
 * reads the same with colour and without. */
#define BUILTIN_FRAME_ROLES \
    "normal = default default\n" \
    "title = default default bold\n" \
    "header = default default reverse\n" \
    "tab = default default reverse\n" \
    "tab_active = default default bold underline\n" \
    "status = default default reverse\n" \
    "prompt = default default bold\n" \
    "dim = default default dim\n" \
    "border = default default dim\n" \
    "key = default default bold\n"

/* The shipped default.theme's roles, for a binary run without its data files. */
static const char builtin_colour[] = BUILTIN_FRAME_ROLES
    "banner = white red bold\n"
    "selection = default default reverse bold\n"
    "ok = green default\n"
    "warn = black yellow\n"
    "error = red default bold\n"
    "bar = cyan default\n"
    "match = black yellow bold\n"
    "chart1 = green default\n"
    "chart2 = cyan default\n"
    "chart3 = magenta default\n"
    "chart4 = red default\n";

/* The shipped mono.theme's roles. */
static const char builtin_mono[] = BUILTIN_FRAME_ROLES
    "banner = default default reverse bold\n"
    "selection = default default reverse\n"
    "ok = default default\n"
    "warn = default default bold\n"
    "error = default default bold underline\n"
    "bar = default default bold\n"
    "match = default default underline bold\n"
    "chart1 = default default\n"
    "chart2 = default default bold\n"
    "chart3 = default default underline\n"
    "chart4 = default default reverse\n";

void theme_builtin(struct theme *t, bool colour)
{
    struct mo_err err;
    theme_parse(colour ? builtin_colour : builtin_mono, "builtin", t, &err);
    snprintf(t->name, sizeof t->name, "%s", colour ? "default" : "mono");
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

size_t theme_list(const struct theme_dirs *dirs, char names[][64], size_t max)
{
    size_t n = 0;
    for (int i = 0; i < dirs->n; i++) {
        DIR *d = opendir(dirs->dir[i]);
        if (!d)
            continue;
        struct dirent *e;
        while ((e = readdir(d)) != NULL && n < max) {
            size_t len = strlen(e->d_name);
            if (len <= 6 || len - 6 >= 64 || strcmp(e->d_name + len - 6, ".theme") != 0)
                continue;
            char name[64];
            memcpy(name, e->d_name, len - 6);
            name[len - 6] = '\0';
            if (!name_ok(name))
                continue;
            bool dup = false;
            for (size_t k = 0; k < n && !dup; k++)
                dup = strcmp(names[k], name) == 0;
            if (!dup)
                memcpy(names[n++], name, sizeof name);
        }
        closedir(d);
    }
    qsort(names, n, sizeof names[0], cmp_names);
    return n;
}
