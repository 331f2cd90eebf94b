/* keymap.h - the one table of keys (tmux's pattern): dispatch, the `?` help screen and the
 * status-line hints all come from it, so they cannot disagree. */
#ifndef MO_KEYMAP_H
#define MO_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

struct app;

/* A key as read: characters as themselves, curses function keys (KEY_*) marked. */
#define KEY_FN(k) (0x1000000 | (k))

struct key_binding {
    unsigned views;             /* VIEW_BIT()s it applies in; VIEWS_ALL for everywhere */
    int keys[4];                /* 0-terminated */
    const char *label;          /* how help writes the keys, e.g. "j Down" */
    const char *help;
    const char *hint;           /* short status-line hint, or NULL */
    void (*action)(struct app *app);
};

extern const struct key_binding keymap[];
extern const size_t keymap_count;

/* The binding for key in view (view-specific bindings before global ones), or NULL. */
const struct key_binding *keymap_find(unsigned view_bit, int key);
/* Help lines for a view: "label  help", global keys last. Returns how many were written. */
size_t keymap_help(unsigned view_bit, char lines[][96], size_t max);
/* "Enter open  / filter  ..." from the view's hints, fitted into len bytes. */
void keymap_hints(unsigned view_bit, char *buf, size_t len);

#endif
