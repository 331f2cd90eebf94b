/* cmdline.h - GNU readline inside curses, through readline's callback interface (pspg's
 * way): keys read by the event loop are fed to rl_callback_read_char() through
 * rl_getc_function, readline never touches the terminal (rl_prep_term_function and output
 * disabled), and rl_redisplay_function draws the prompt into the bottom line. `:` commands
 * keep a history in $XDG_STATE_HOME/meterops/history (default
 * ~/.local/state/meterops/history) and complete from the command table; the other prompts
 * (filter, search, requeue reason) share a separate in-memory history. */
#ifndef MO_CMDLINE_H
#define MO_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/app.h"

int cmdline_init(struct app *app);
void cmdline_shutdown(void);
/* Shows the prompt, with text (NULL: none) already typed; the answer comes back through
 * app_prompt_done(). */
void cmdline_open(enum prompt_kind kind, const char *prompt, const char *text);
bool cmdline_active(void);
/* One key (as keymap.h encodes it) for the open prompt. */
void cmdline_key(int key);
/* Ends the prompt as cancelled (Esc, Ctrl-C). */
void cmdline_cancel(void);
/* Draws the prompt and the line into w; returns the cursor column. */
int cmdline_draw(WINDOW *w, attr_t prompt_attr, attr_t text_attr, int width);
/* The history file's path ("" when there is no home to keep it in). */
const char *cmdline_history_path(void);

#endif
