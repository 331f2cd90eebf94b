/* theme.h - themes as semantic roles (ok, warn, error, header, selection ...), read from
 * themes/NAME.theme files. Pure: parsing and finding files, no curses (screen.c turns a
 * theme into colour pairs).
 *
 * File format, one role per line, '#' starts a comment:
 *     role = FG [BG] [ATTR ...]
 * FG and BG: default (the terminal's own colour), black, red, green, yellow, blue, magenta,
 * cyan, white, bright-black ... bright-white, or a number 0-255. ATTR: bold, dim, reverse,
 * underline, italic, standout, none. A role a file leaves out looks like `normal`. */
#ifndef MO_THEME_H
#define MO_THEME_H

#include <stdbool.h>
#include <stddef.h>

#include "backend/err.h"

enum theme_role {
    ROLE_NORMAL, ROLE_TITLE, ROLE_HEADER, ROLE_TAB, ROLE_TAB_ACTIVE, ROLE_STATUS,
    ROLE_PROMPT, ROLE_BANNER, ROLE_SELECTION, ROLE_DIM, ROLE_OK, ROLE_WARN, ROLE_ERROR,
    ROLE_BAR, ROLE_BORDER, ROLE_MATCH, ROLE_KEY, ROLE_CHART1, ROLE_CHART2, ROLE_CHART3,
    ROLE_CHART4, ROLE_COUNT
};

enum {
    THEME_BOLD = 1 << 0, THEME_DIM = 1 << 1, THEME_REVERSE = 1 << 2, THEME_UNDERLINE = 1 << 3,
    THEME_ITALIC = 1 << 4, THEME_STANDOUT = 1 << 5,
};

#define THEME_DEFAULT_COLOUR (-1)

struct theme_style {
    short fg, bg;            /* -1: the terminal's default; 0-255 */
    unsigned attrs;          /* THEME_* */
    bool set;                /* named in the file */
};

struct theme {
    char name[64];
    bool uses_colour;        /* any role has a colour other than default */
    struct theme_style role[ROLE_COUNT];
};

extern const char *const theme_role_names[ROLE_COUNT];

/* Where theme files are looked for, in this order: $METEROPS_THEMEDIR when set (the
 * source tree's themes/ for a binary run from build/), the installed data dir, then
 * $XDG_CONFIG_HOME/meterops/themes. */
struct theme_dirs {
    char dir[3][1024];
    int n;
};
void theme_dirs_default(struct theme_dirs *d);

/* Parses a theme's text; filename only labels errors (err has file, line and column). */
int theme_parse(const char *text, const char *filename, struct theme *out, struct mo_err *err);
/* Finds NAME.theme in the dirs and parses it. Names are letters, digits, '-' and '_'. */
int theme_load(const char *name, const struct theme_dirs *dirs, struct theme *out,
               struct mo_err *err);
/* The theme used when no file can be read: the shipped default's roles. */
void theme_builtin(struct theme *t, bool colour);
/* Theme names found in the dirs, sorted, without duplicates; returns how many (<= max). */
size_t theme_list(const struct theme_dirs *dirs, char names[][64], size_t max);

#endif
