/* screen.h - the terminal: curses set up for the console (newterm, cbreak, keypad, no
 * echo), its four windows (header, body, status line, command line), the theme turned into
 * curses attributes, and the glyph set (UTF-8 line drawing, or ASCII when the locale's
 * charset is not UTF-8). Resizing rebuilds the windows; nothing here clears the terminal
 * per frame: callers draw into windows and screen_flush() sends only what changed. */
#ifndef MO_SCREEN_H
#define MO_SCREEN_H

#include <curses.h>
#include <stdbool.h>

#include "backend/err.h"
#include "ui/theme.h"

struct glyphs {
    bool utf8;
    const char *hline, *vline, *ellipsis, *up, *down, *open, *closed, *dot, *dash, *arrow;
};

struct screen {
    SCREEN *term;
    WINDOW *header, *body, *status, *cmd;
    int rows, cols;
    bool can_colour;          /* the terminal has colours and NO_COLOR is not set */
    bool no_color_env;
    bool mouse;
    struct theme theme;
    attr_t attr[ROLE_COUNT];
    struct glyphs g;
};

/* Starts curses on the terminal. ascii forces the ASCII glyphs. */
int screen_open(struct screen *s, bool ascii, bool mouse, struct mo_err *err);
void screen_close(struct screen *s);
/* Applies a theme; a colour theme on a terminal without colour (or with NO_COLOR set)
 * falls back to mono and says so through err (return 1). */
int screen_set_theme(struct screen *s, const struct theme *t, const struct theme *mono,
                     struct mo_err *err);
/* Re-reads the terminal size and rebuilds the windows (SIGWINCH). */
void screen_resize(struct screen *s);
/* Sends the frame: the windows in order, the command line last so the cursor ends there
 * when it is shown. */
void screen_flush(struct screen *s, bool cursor_in_cmd);
/* Forces the next flush to repaint the whole terminal (Ctrl-L). */
void screen_repaint(struct screen *s);

#endif
