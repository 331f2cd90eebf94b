/* cmdline.c - see cmdline.h. */
#include "ui/cmdline.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "ui/cmdtab.h"
#include "ui/draw.h"
#include "ui/keymap.h"

static struct app *the_app;
static enum prompt_kind active = PROMPT_NONE;
static char history_file[1024];
static HISTORY_STATE *cmd_history, *other_history;

/* Bytes waiting for readline: what one key expands to. */
static unsigned char pending[64];
static size_t npending, pos;

static int cl_getc(FILE *f)
{
    (void)f;
    if (pos < npending)
        return pending[pos++];
    return EOF; /* never asked for more than was queued */
}

static int cl_input_available(void)
{
    return pos < npending;
}

static void cl_redisplay(void)
{
    if (the_app)
        the_app->dirty = true;
}

static void cl_prep(int meta)
{
    (void)meta;
}

static void cl_deprep(void)
{
}

/* Readline's own listing of matches would write to the terminal; show them instead. */
static void cl_show_matches(char **matches, int n, int maxlen)
{
    (void)maxlen;
    char buf[400];
    size_t o = 0;
    for (int i = 1; i <= n && o < sizeof buf - 1; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i > 1 ? "  " : "", matches[i]);
    app_message(the_app, MSG_INFO, "%s", buf);
}

static char **candidates;
static size_t next_candidate;

static char *generator(const char *text, int state)
{
    (void)text;
    if (!candidates)
        return NULL;
    if (state == 0)
        next_candidate = 0;
    char *c = candidates[next_candidate];
    if (c)
        next_candidate++;
    return c; /* readline frees each returned string */
}

static char **cl_complete(const char *text, int start, int end)
{
    (void)text;
    rl_attempted_completion_over = 1;
    if (active != PROMPT_COMMAND)
        return NULL;
    char line[1024];
    size_t n = (size_t)end < sizeof line - 1 ? (size_t)end : sizeof line - 1;
    memcpy(line, rl_line_buffer, n);
    line[n] = '\0';
    struct complete_src src = { (const char (*)[64])the_app->theme_names, the_app->ntheme_names };
    candidates = cmdtab_complete(line, (size_t)start, &src);
    if (!candidates)
        return NULL;
    /* Arguments that take a value ("job=") should not get a space after them. */
    rl_completion_append_character = ' ';
    if (candidates[0] && !candidates[1]) {
        size_t l = strlen(candidates[0]);
        if (l && candidates[0][l - 1] == '=')
            rl_completion_append_character = '\0';
    }
    char **m = rl_completion_matches(text, generator);
    free(candidates); /* the strings now belong to readline */
    candidates = NULL;
    return m;
}

/* Ends the prompt of this kind: readline lets go of the line and the prompt's history is
 * kept for the next prompt of the same kind. */
static void leave_prompt(enum prompt_kind kind)
{
    rl_callback_handler_remove();
    active = PROMPT_NONE;
    HISTORY_STATE *mine = history_get_history_state();
    if (kind == PROMPT_COMMAND) {
        free(cmd_history);
        cmd_history = mine;
    } else {
        free(other_history);
        other_history = mine;
    }
}

static void line_done(char *line)
{
    enum prompt_kind kind = active;
    /* Completion leaves a space after the last word; history keeps the command as meant. */
    for (size_t n = line ? strlen(line) : 0; n > 0 && line[n - 1] == ' '; n--)
        line[n - 1] = '\0';
    if (line && *line) {
        add_history(line);
        if (kind == PROMPT_COMMAND && history_file[0])
            append_history(1, history_file);
    }
    /* Leave readline before acting: the command may open another prompt. */
    leave_prompt(kind);
    app_prompt_done(the_app, kind, line);
    free(line);
}

static int make_dirs(const char *path)
{
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return 0;
}

int cmdline_init(struct app *app)
{
    the_app = app;
    /* Readline must leave the terminal, the signals and LINES/COLUMNS to curses. */
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_change_environment = 0;
    rl_getc_function = cl_getc;
    rl_input_available_hook = cl_input_available;
    rl_redisplay_function = cl_redisplay;
    rl_prep_term_function = cl_prep;
    rl_deprep_term_function = cl_deprep;
    rl_completion_display_matches_hook = cl_show_matches;
    rl_attempted_completion_function = cl_complete;
    rl_completer_word_break_characters = " \t";
    rl_readline_name = "meterops";
    rl_outstream = fopen("/dev/null", "w");
    rl_instream = stdin;
    rl_variable_bind("enable-bracketed-paste", "off");
    rl_variable_bind("bell-style", "none");
    rl_initialize();

    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    if (state && *state)
        snprintf(history_file, sizeof history_file, "%s/meterops/history", state);
    else if (home && *home)
        snprintf(history_file, sizeof history_file, "%s/.local/state/meterops/history", home);
    else
        history_file[0] = '\0';
    using_history();
    if (history_file[0]) {
        /* append_history() only appends: the file must exist first. */
        int fd = make_dirs(history_file) < 0 ? -1 : open(history_file, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd < 0) {
            history_file[0] = '\0';
        } else {
            close(fd);
            read_history(history_file);
        }
    }
    cmd_history = history_get_history_state();
    other_history = calloc(1, sizeof *other_history); /* empty: readline allocates on first add */
    if (!cmd_history || !other_history)
        return -1;
    return 0;
}

void cmdline_shutdown(void)
{
    if (active != PROMPT_NONE)
        rl_callback_handler_remove();
    active = PROMPT_NONE;
    /* Free both histories' entries and arrays; readline keeps none of them afterwards. */
    HISTORY_STATE *states[2] = { other_history, cmd_history };
    for (int i = 0; i < 2; i++) {
        if (!states[i])
            continue;
        history_set_history_state(states[i]);
        clear_history();
        free(history_list());
        free(states[i]);
    }
    HISTORY_STATE empty;
    memset(&empty, 0, sizeof empty);
    history_set_history_state(&empty);
    if (history_file[0])
        history_truncate_file(history_file, 1000);
    cmd_history = other_history = NULL;
    if (rl_outstream) {
        fclose(rl_outstream);
        rl_outstream = NULL;
    }
    the_app = NULL;
}

const char *cmdline_history_path(void)
{
    return history_file;
}

void cmdline_open(enum prompt_kind kind, const char *prompt, const char *text)
{
    if (active != PROMPT_NONE)
        return;
    active = kind;
    history_set_history_state(kind == PROMPT_COMMAND ? cmd_history : other_history);
    npending = pos = 0;
    rl_callback_handler_install(prompt, line_done);
    if (text && *text)
        rl_insert_text(text); /* the cursor after it, ready to edit */
}

bool cmdline_active(void)
{
    return active != PROMPT_NONE;
}

void cmdline_cancel(void)
{
    if (active == PROMPT_NONE)
        return;
    enum prompt_kind kind = active;
    rl_replace_line("", 0);
    rl_callback_sigcleanup();
    leave_prompt(kind);
    app_prompt_done(the_app, kind, NULL);
}

/* What readline should read for a key: escape sequences for the curses keys it knows by
 * their ANSI spelling, UTF-8 for characters. */
static size_t key_bytes(int key, unsigned char *out)
{
    if (key & 0x1000000) {
        static const struct { int k; const char *seq; } map[] = {
            { KEY_LEFT, "\033[D" }, { KEY_RIGHT, "\033[C" }, { KEY_UP, "\033[A" }, { KEY_DOWN, "\033[B" },
            { KEY_HOME, "\033[H" }, { KEY_END, "\033[F" }, { KEY_DC, "\033[3~" }, { KEY_BACKSPACE, "\177" },
            { KEY_ENTER, "\r" },
        };
        int k = key & 0xFFFFFF;
        for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
            if (map[i].k == k) {
                size_t n = strlen(map[i].seq);
                memcpy(out, map[i].seq, n);
                return n;
            }
        }
        return 0;
    }
    if (key < 0x80) {
        out[0] = (unsigned char)key;
        return 1;
    }
    mbstate_t st;
    memset(&st, 0, sizeof st);
    char mb[8];
    size_t n = wcrtomb(mb, (wchar_t)key, &st);
    if (n == (size_t)-1)
        return 0;
    memcpy(out, mb, n);
    return n;
}

void cmdline_key(int key)
{
    if (active == PROMPT_NONE)
        return;
    if (key == 27 || key == 7 || key == 3) { /* Esc, ^G, ^C */
        cmdline_cancel();
        return;
    }
    npending = key_bytes(key, pending);
    pos = 0;
    while (active != PROMPT_NONE && pos < npending)
        rl_callback_read_char();
    npending = pos = 0;
}

int cmdline_draw(WINDOW *w, attr_t prompt_attr, attr_t text_attr, int width)
{
    const char *prompt = rl_display_prompt ? rl_display_prompt : (rl_prompt ? rl_prompt : "");
    const char *line = rl_line_buffer ? rl_line_buffer : "";
    int pw = text_width(prompt);
    char before[2048];
    size_t point = rl_point > 0 ? (size_t)rl_point : 0;
    if (point >= sizeof before)
        point = sizeof before - 1;
    memcpy(before, line, point);
    before[point] = '\0';
    int cursor = pw + text_width(before);
    /* Scroll the line so the cursor stays on screen. */
    int skip = cursor >= width - 1 ? cursor - (width - 1) + 1 : 0;
    int x = 0;
    if (skip < pw) {
        x = draw_text_from(w, 0, 0, width, prompt_attr, prompt, skip);
        x += draw_text_from(w, 0, x, width - x, text_attr, line, 0);
    } else {
        x = draw_text_from(w, 0, 0, width, text_attr, line, skip - pw);
    }
    draw_fill(w, 0, x, width - x, text_attr);
    int col = cursor - skip;
    wmove(w, 0, col < width ? col : width - 1);
    return col;
}
