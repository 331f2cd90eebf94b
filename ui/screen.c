/* screen.c - see screen.h. */
#include "ui/screen.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static const struct glyphs utf8_glyphs = {
    true, "\u2500", "\u2502", "\u2026", "\u25b2", "\u25bc", "\u25be", "\u25b8", "\u25cf", "\u2014", "\u2192",
};
static const struct glyphs ascii_glyphs = {
    false, "-", "|", "...", "^", "v", "-", "+", "*", "-", "->",
};

/* The one place that decides whether UTF-8 glyphs may be drawn: only when the locale's
 * charset is UTF-8 and the terminal type is not one of the hardware terminals (vt52, vt100,
 * vt220 ...) or ansi/dumb, which draw a UTF-8 sequence as garbage whatever the locale
 * says. Everything the console draws takes its glyphs from screen.g. */
static bool glyphs_utf8(bool ascii)
{
    const char *cs = nl_langinfo(CODESET);
    if (ascii || !cs || strcmp(cs, "UTF-8") != 0)
        return false;
    const char *term = getenv("TERM");
    if (!term || !*term)
        return false;
    static const char *const no_utf8[] = { "vt", "ansi", "dumb", "cons25", "sun" };
    for (size_t i = 0; i < sizeof no_utf8 / sizeof no_utf8[0]; i++)
        if (strncmp(term, no_utf8[i], strlen(no_utf8[i])) == 0)
            return false;
    return true;
}

static void make_windows(struct screen *s)
{
    s->rows = LINES;
    s->cols = COLS;
    int body_h = s->rows - 3 > 1 ? s->rows - 3 : 1;
    s->header = newwin(1, s->cols, 0, 0);
    s->body = newwin(body_h, s->cols, 1, 0);
    s->status = newwin(1, s->cols, s->rows >= 3 ? s->rows - 2 : 0, 0);
    s->cmd = newwin(1, s->cols, s->rows >= 2 ? s->rows - 1 : 0, 0);
    WINDOW *all[4] = { s->header, s->body, s->status, s->cmd };
    for (int i = 0; i < 4; i++) {
        if (!all[i])
            continue;
        leaveok(all[i], i != 3);
        keypad(all[i], TRUE);
        nodelay(all[i], TRUE);
        wbkgdset(all[i], ' ' | s->attr[ROLE_NORMAL]);
    }
}

static void free_windows(struct screen *s)
{
    WINDOW **all[4] = { &s->header, &s->body, &s->status, &s->cmd };
    for (int i = 0; i < 4; i++) {
        if (*all[i])
            delwin(*all[i]);
        *all[i] = NULL;
    }
}

int screen_open(struct screen *s, bool ascii, bool mouse, struct mo_err *err)
{
    memset(s, 0, sizeof *s);
    s->g = glyphs_utf8(ascii) ? utf8_glyphs : ascii_glyphs;
    const char *nc = getenv("NO_COLOR");
    s->no_color_env = nc && *nc;
    if (!(s->term = newterm(NULL, stdout, stdin)))
        return mo_err_set(err, "terminal", "cannot use terminal '%s'", getenv("TERM") ? getenv("TERM") : "(unset)");
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    /* Terminals and multiplexers disagree on a few keys' sequences, and TERM is often not
     * the terminal's own (xterm-256color inside tmux): accept every common spelling. */
    static const struct { const char *seq; int key; } extra[] = {
        { "\033[1~", KEY_HOME }, { "\033[7~", KEY_HOME }, { "\033[H", KEY_HOME }, { "\033OH", KEY_HOME },
        { "\033[4~", KEY_END }, { "\033[8~", KEY_END }, { "\033[F", KEY_END }, { "\033OF", KEY_END },
        { "\033[5~", KEY_PPAGE }, { "\033[6~", KEY_NPAGE }, { "\033[3~", KEY_DC }, { "\033[Z", KEY_BTAB },
        { "\033[A", KEY_UP }, { "\033[B", KEY_DOWN }, { "\033[C", KEY_RIGHT }, { "\033[D", KEY_LEFT },
        { "\033OA", KEY_UP }, { "\033OB", KEY_DOWN }, { "\033OC", KEY_RIGHT }, { "\033OD", KEY_LEFT },
    };
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
        if (key_defined(extra[i].seq) == 0)
            define_key(extra[i].seq, extra[i].key);
    s->can_colour = has_colors() && !s->no_color_env;
    if (s->can_colour) {
        start_color();
        use_default_colors();
    }
    if (mouse) {
        mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
        mouseinterval(200);
        s->mouse = true;
    }
    for (int r = 0; r < ROLE_COUNT; r++)
        s->attr[r] = A_NORMAL;
    make_windows(s);
    return 0;
}

void screen_close(struct screen *s)
{
    free_windows(s);
    endwin();
    delscreen(s->term);
    s->term = NULL;
}

static short map_colour(short c)
{
    if (c < 0)
        return -1;
    if (c < COLORS)
        return c;
    return c >= 8 && c < 16 ? (short)(c - 8) : -1; /* bright on an 8-colour terminal */
}

static attr_t map_attrs(unsigned a)
{
    attr_t out = A_NORMAL;
    if (a & THEME_BOLD) out |= A_BOLD;
    if (a & THEME_DIM) out |= A_DIM;
    if (a & THEME_REVERSE) out |= A_REVERSE;
    if (a & THEME_UNDERLINE) out |= A_UNDERLINE;
    if (a & THEME_STANDOUT) out |= A_STANDOUT;
#ifdef A_ITALIC
    if (a & THEME_ITALIC) out |= A_ITALIC;
#endif
    return out;
}

int screen_set_theme(struct screen *s, const struct theme *t, const struct theme *mono, struct mo_err *err)
{
    int rc = 0;
    if (t->uses_colour && !s->can_colour) {
        mo_err_set(err, "theme_mono", "%s: using mono", s->no_color_env ? "NO_COLOR is set" : "this terminal has no colours");
        t = mono;
        rc = 1;
    }
    s->theme = *t;
    for (int r = 0; r < ROLE_COUNT; r++) {
        const struct theme_style *st = &t->role[r];
        attr_t a = map_attrs(st->attrs);
        if (s->can_colour && (st->fg >= 0 || st->bg >= 0)) {
            short fg = map_colour(st->fg), bg = map_colour(st->bg);
            /* Bright colours on an 8-colour terminal: the base colour made bold. */
            if (st->fg >= 8 && st->fg < 16 && COLORS < 16)
                a |= A_BOLD;
            init_pair((short)(r + 1), fg, bg);
            a |= COLOR_PAIR(r + 1);
        }
        s->attr[r] = a;
    }
    WINDOW *all[4] = { s->header, s->body, s->status, s->cmd };
    for (int i = 0; i < 4; i++)
        if (all[i])
            wbkgdset(all[i], ' ' | s->attr[ROLE_NORMAL]);
    screen_repaint(s);
    return rc;
}

void screen_resize(struct screen *s)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
        resizeterm(ws.ws_row, ws.ws_col);
    free_windows(s);
    make_windows(s);
    screen_repaint(s);
}

void screen_flush(struct screen *s, bool cursor_in_cmd)
{
    curs_set(cursor_in_cmd ? 1 : 0);
    wnoutrefresh(s->header);
    wnoutrefresh(s->body);
    wnoutrefresh(s->status);
    wnoutrefresh(s->cmd);
    doupdate();
}

void screen_repaint(struct screen *s)
{
    (void)s;
    clearok(curscr, TRUE);
}
