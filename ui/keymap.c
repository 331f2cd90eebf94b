/* keymap.c - see keymap.h. The actions are small: they name what a key does and leave
 * the doing to the views (views.h) and the app (app.h). */
#include "ui/keymap.h"

#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "ui/app.h"
#include "ui/views.h"

static void act_dashboard(struct app *app) { app_switch(app, VIEW_DASHBOARD); }
static void act_files(struct app *app) { app_switch(app, VIEW_FILES); }
static void act_file(struct app *app) { app_switch(app, VIEW_FILE); }
static void act_jobs(struct app *app) { app_switch(app, VIEW_JOBS); }
static void act_health(struct app *app) { app_switch(app, VIEW_HEALTH); }
static void act_nodes(struct app *app) { app_switch(app, VIEW_NODES); }
static void act_customer(struct app *app) { app_switch(app, VIEW_CUSTOMER); }
static void act_migration(struct app *app) { app_switch(app, VIEW_MIGRATION); }
static void act_mig_count(struct app *app) { migration_count_exact(app); }
/* Tab and Shift-Tab pass over the views this login may not use. */
static void step_view(struct app *app, int d)
{
    int v = (int)app->view;
    for (int i = 0; i < VIEW_COUNT; i++) {
        v = (v + d + VIEW_COUNT) % VIEW_COUNT;
        if (app_view_allowed(app, (enum view_id)v))
            break;
    }
    app_switch(app, (enum view_id)v);
}
static void act_next_view(struct app *app) { step_view(app, 1); }
static void act_prev_view(struct app *app) { step_view(app, -1); }
static void act_help(struct app *app) { app->help = !app->help; app->dirty = true; }
static void act_command(struct app *app) { app_prompt(app, PROMPT_COMMAND, ":"); }
static void act_quit(struct app *app) { app->quit = true; }
static void act_refresh(struct app *app)
{
    app_refresh_now(app);
    app_message(app, MSG_INFO, "refreshing");
}
static void act_times(struct app *app)
{
    app->abs_times = !app->abs_times;
    app_message(app, MSG_INFO, "times: %s", app->abs_times ? "absolute (14:02:31)" : "relative (3m ago)");
}
static void act_redraw(struct app *app) { screen_repaint(&app->scr); app->dirty = true; }

static void select_by(struct app *app, long d)
{
    if (app_views[app->view]->select)
        app_views[app->view]->select(app, d);
    app->dirty = true;
}
static void act_down(struct app *app) { select_by(app, 1); }
static void act_up(struct app *app) { select_by(app, -1); }
static void act_page_down(struct app *app) { select_by(app, app->body_h > 4 ? app->body_h - 3 : 1); }
static void act_page_up(struct app *app) { select_by(app, -(app->body_h > 4 ? app->body_h - 3 : 1)); }
static void act_home(struct app *app) { select_by(app, LONG_MIN); }
static void act_end(struct app *app) { select_by(app, LONG_MAX); }
static void act_open(struct app *app)
{
    if (app_views[app->view]->activate)
        app_views[app->view]->activate(app);
    app->dirty = true;
}

static void act_sort(struct app *app) { files_sort_next(app); }
static void act_sort_reverse(struct app *app) { files_sort_reverse(app); }
static void act_filter_text(struct app *app) { app_prompt(app, PROMPT_FILTER, "filter path: "); }
static void act_filter_status(struct app *app) { files_status_cycle(app); }
static void act_filter_clear(struct app *app) { files_filter_clear(app); }
static void act_requeue(struct app *app) { app_requeue_selected(app); }
static void act_back(struct app *app) { app_switch(app, VIEW_FILES); }
static void act_expand_all(struct app *app) { file_expand_all(app, 1); }
static void act_collapse_all(struct app *app) { file_expand_all(app, 0); }
static void act_left(struct app *app) { file_hscroll(app, -8); }
static void act_right(struct app *app) { file_hscroll(app, 8); }
static void act_search(struct app *app) { app_prompt(app, PROMPT_SEARCH, "search errors: "); }
static void act_attempts(struct app *app) { file_toggle_attempts(app); }
static void act_search_next(struct app *app) { file_search_next(app, 1); }
static void act_search_prev(struct app *app) { file_search_next(app, -1); }
static void act_job_requeue(struct app *app) { jobs_requeue_selected(app); }
static void act_pane_next(struct app *app) { health_pane_step(app, 1); }
static void act_pane_prev(struct app *app) { health_pane_step(app, -1); }
static void act_health_sort(struct app *app) { health_sort_next(app); }
static void act_health_sort_reverse(struct app *app) { health_sort_reverse(app); }
static void act_health_filter(struct app *app) { app_prompt(app, PROMPT_HEALTH_FILTER, "filter sessions: "); }
static void act_health_filter_clear(struct app *app) { health_set_filter(app, ""); }
static void act_cust_search(struct app *app) { customer_prompt(app); }
static void act_cust_back(struct app *app) { customer_back(app); }
static void act_cust_prev_day(struct app *app) { customer_step_day(app, -1); }
static void act_cust_next_day(struct app *app) { customer_step_day(app, 1); }
static void act_cust_prev_week(struct app *app) { customer_step_day(app, -7); }
static void act_cust_next_week(struct app *app) { customer_step_day(app, 7); }
static void act_cust_days(struct app *app) { customer_toggle_days(app); }
static void act_cust_meter(struct app *app) { customer_next_meter(app); }
static void act_cust_reload(struct app *app) { customer_reload(app); }
static void act_cust_page_down(struct app *app)
{
    if (app->customer.card_open)
        customer_scroll(app, app->body_h > 4 ? app->body_h - 3 : 1);
    else
        customer_page(app, 1);
}
static void act_cust_page_up(struct app *app)
{
    if (app->customer.card_open)
        customer_scroll(app, -(app->body_h > 4 ? app->body_h - 3 : 1));
    else
        customer_page(app, -1);
}
static void act_cust_next_page(struct app *app) { customer_page(app, 1); }
static void act_cust_prev_page(struct app *app) { customer_page(app, -1); }
static void act_cust_refine(struct app *app) { customer_refine(app); }
static void act_cancel(struct app *app) { health_signal_ask(app, false); }
static void act_terminate(struct app *app) { health_signal_ask(app, true); }
static void act_rebalance(struct app *app) { nodes_rebalance_ask(app); }

#define V(x) VIEW_BIT(VIEW_##x)
#define LISTS (V(FILES) | V(FILE) | V(JOBS) | V(HEALTH) | V(NODES) | V(MIGRATION))

const struct key_binding keymap[] = {
    /* Lists */
    { LISTS, { 'j', KEY_FN(KEY_DOWN), 0 }, "j Down", "next line", NULL, act_down },
    { LISTS, { 'k', KEY_FN(KEY_UP), 0 }, "k Up", "previous line", NULL, act_up },
    { LISTS, { KEY_FN(KEY_NPAGE), 6, ' ', 0 }, "PgDn ^F Space", "next page", NULL, act_page_down },
    { LISTS, { KEY_FN(KEY_PPAGE), 2, 0 }, "PgUp ^B", "previous page", NULL, act_page_up },
    { LISTS, { KEY_FN(KEY_HOME), 'g', 0 }, "Home g", "first line", NULL, act_home },
    { LISTS, { KEY_FN(KEY_END), 'G', 0 }, "End G", "last line", NULL, act_end },
    /* Dashboard: its "Failed or rejected" section */
    { V(DASHBOARD), { 'j', KEY_FN(KEY_DOWN), 0 }, "j Down", "select the next failed or rejected file", NULL, act_down },
    { V(DASHBOARD), { 'k', KEY_FN(KEY_UP), 0 }, "k Up", "select the previous failed or rejected file", NULL, act_up },
    { V(DASHBOARD), { '\r', '\n', KEY_FN(KEY_ENTER), 0 }, "Enter", "open the selected failed or rejected file", "Enter open", act_open },
    { V(DASHBOARD), { 'H', 0 }, "H", "the Health view: who holds the locks, replication, vacuum, sizes", "H health", act_health },
    /* Files */
    { V(FILES), { '\r', '\n', KEY_FN(KEY_ENTER), 0 }, "Enter", "open the file: details and errors", "Enter open", act_open },
    { V(FILES), { '/', 0 }, "/", "filter by text in the path", "/ filter", act_filter_text },
    { V(FILES), { 'f', 0 }, "f", "status filter: all, queued, loading, loaded, rejected, failed", "f status", act_filter_status },
    { V(FILES), { 'c', 0 }, "c", "clear the filters", NULL, act_filter_clear },
    { V(FILES), { 's', 0 }, "s", "sort by the next column", "s sort", act_sort },
    { V(FILES), { 'S', 0 }, "S", "reverse the sort order", NULL, act_sort_reverse },
    { V(FILES) | V(FILE), { 'r', 0 }, "r", "requeue this file (asks for a reason)", "r requeue", act_requeue },
    /* File detail */
    { V(FILE), { '\r', '\n', KEY_FN(KEY_ENTER), 0 }, "Enter", "expand or collapse the error group", "Enter expand", act_open },
    { V(FILE), { 'e', 0 }, "e", "expand every error group", "e all", act_expand_all },
    { V(FILE), { 'E', 0 }, "E", "collapse every error group", NULL, act_collapse_all },
    { V(FILE), { 'h', KEY_FN(KEY_LEFT), 0 }, "h Left", "scroll messages and raw lines left", NULL, act_left },
    { V(FILE), { 'l', KEY_FN(KEY_RIGHT), 0 }, "l Right", "scroll messages and raw lines right", NULL, act_right },
    { V(FILE), { '/', 0 }, "/", "search the errors (line, column, code, message, raw)", "/ search", act_search },
    { V(FILE), { 'a', 0 }, "a", "the file's attempts: when, who, outcome, counts (again: errors)", NULL, act_attempts },
    { V(FILE), { 'n', 0 }, "n", "next match", "n next", act_search_next },
    { V(FILE), { 'N', 0 }, "N", "previous match", NULL, act_search_prev },
    { V(FILE), { 27, KEY_FN(KEY_BACKSPACE), 127, 0 }, "Esc Backspace", "back to the file list", "Esc back", act_back },
    /* Jobs */
    { V(JOBS), { '\r', '\n', KEY_FN(KEY_ENTER), 0 }, "Enter", "list this job's files", "Enter files", act_open },
    { V(JOBS), { 'r', 0 }, "r", "requeue this job's rejected and failed files", "r requeue", act_job_requeue },
    /* Health */
    { V(HEALTH), { 'l', KEY_FN(KEY_RIGHT), ']', 0 }, "l Right ]", "next pane: Sessions, Locks, Replication, Vacuum, Sizes, Server", "Right pane", act_pane_next },
    { V(HEALTH), { 'h', KEY_FN(KEY_LEFT), '[', 0 }, "h Left [", "previous pane", NULL, act_pane_prev },
    { V(HEALTH), { '\r', '\n', KEY_FN(KEY_ENTER), 0 }, "Enter", "show or hide the selected session's whole query", "Enter query", act_open },
    { V(HEALTH), { '/', 0 }, "/", "filter Sessions and Locks by text in any column", "/ filter", act_health_filter },
    { V(HEALTH), { 'c', 0 }, "c", "clear the filter", NULL, act_health_filter_clear },
    { V(HEALTH), { 's', 0 }, "s", "sort Sessions by the next column", "s sort", act_health_sort },
    { V(HEALTH), { 'S', 0 }, "S", "reverse the sort order", NULL, act_health_sort_reverse },
    { V(HEALTH), { 'C', 0 }, "C", "cancel the selected session's query (asks for a reason; audited)", "C cancel", act_cancel },
    { V(HEALTH), { 'K', 0 }, "K", "terminate the selected session (asks for a reason; audited)", "K terminate", act_terminate },
    { V(NODES), { 'r', 0 }, "r", "rebalance the cluster's shards onto every worker (asks for a reason; audited)", "r rebalance", act_rebalance },
    { V(MIGRATION), { 'c', 0 }, "c", "count every relation's rows exactly on both sides (a scan of each)", "c count", act_mig_count },
    /* Customer: the matches are a list, the card moves by day and week */
    { V(CUSTOMER), { '/', 0 }, "/", "find a customer: account number, MPAN/MPRN, postcode or name (then a date: the last day)", "/ find", act_cust_search },
    { V(CUSTOMER), { '\r', '\n', KEY_FN(KEY_ENTER), 0 }, "Enter", "open the selected customer; on the card, the selected day's half-hours (again: the week)", "Enter open", act_open },
    { V(CUSTOMER), { 27, KEY_FN(KEY_BACKSPACE), 127, 0 }, "Esc Backspace", "back: the day's half-hours, the card, the matches", "Esc back", act_cust_back },
    { V(CUSTOMER), { 'h', KEY_FN(KEY_LEFT), 0 }, "h Left", "card: the previous day", NULL, act_cust_prev_day },
    { V(CUSTOMER), { 'l', KEY_FN(KEY_RIGHT), 0 }, "l Right", "card: the next day", NULL, act_cust_next_day },
    { V(CUSTOMER), { 'k', KEY_FN(KEY_UP), 0 }, "k Up", "card: a week back; matches: the previous one", NULL, act_cust_prev_week },
    { V(CUSTOMER), { 'j', KEY_FN(KEY_DOWN), 0 }, "j Down", "card: a week on; matches: the next one", NULL, act_cust_next_week },
    { V(CUSTOMER), { KEY_FN(KEY_NPAGE), 6, ' ', 0 }, "PgDn ^F Space", "the next page of matches, or of the card", NULL, act_cust_page_down },
    { V(CUSTOMER), { KEY_FN(KEY_PPAGE), 2, 0 }, "PgUp ^B", "the previous page of matches, or of the card", NULL, act_cust_page_up },
    { V(CUSTOMER), { 'n', 0 }, "n", "matches: the next page", "n/p page", act_cust_next_page },
    { V(CUSTOMER), { 'p', 0 }, "p", "matches: the previous page", NULL, act_cust_prev_page },
    { V(CUSTOMER), { 'r', 0 }, "r", "refine the search: the search prompt with the last search typed in", "r refine", act_cust_refine },
    { V(CUSTOMER), { KEY_FN(KEY_HOME), 'g', 0 }, "Home g", "the first match, or the card's first day", NULL, act_home },
    { V(CUSTOMER), { KEY_FN(KEY_END), 'G', 0 }, "End G", "the last match, or the card's last day", NULL, act_end },
    { V(CUSTOMER), { 'd', 0 }, "d", "card: 30 or 90 days", "d 30/90", act_cust_days },
    { V(CUSTOMER), { 'm', 0 }, "m", "card: chart the next meter (import, export, gas)", "m meter", act_cust_meter },
    { V(CUSTOMER), { 'R', KEY_FN(KEY_F(5)), 0 }, "R F5", "fetch the card, or the matches, again", NULL, act_cust_reload },
    /* Everywhere */
    { VIEWS_ALL, { '1', 0 }, "1", "dashboard", NULL, act_dashboard },
    { VIEWS_ALL, { '2', 0 }, "2", "files", NULL, act_files },
    { VIEWS_ALL, { '3', 0 }, "3", "file detail (the file last opened)", NULL, act_file },
    { VIEWS_ALL, { '4', 0 }, "4", "load jobs", NULL, act_jobs },
    { VIEWS_ALL, { '5', 0 }, "5", "database health: sessions, locks, replication, vacuum, sizes, server", NULL, act_health },
    { VIEWS_ALL, { '6', 0 }, "6", "cluster nodes (Citus)", NULL, act_nodes },
    { VIEWS_ALL, { '7', 0 }, "7", "a customer: search, usage, half-hours, costs (the support desk's view)", NULL, act_customer },
    { VIEWS_ALL, { '8', 0 }, "8", "a move to another server: both sides per table and partition, copy, lag", NULL, act_migration },
    { VIEWS_ALL, { '\t', 0 }, "Tab", "next view", NULL, act_next_view },
    { VIEWS_ALL, { KEY_FN(KEY_BTAB), 0 }, "Shift-Tab", "previous view", NULL, act_prev_view },
    { VIEWS_ALL, { '?', KEY_FN(KEY_F(1)), 0 }, "? F1", "this help (any key closes it)", "? help", act_help },
    { VIEWS_ALL, { ':', 0 }, ":", "command line (Tab completes, Up recalls)", ": command", act_command },
    { VIEWS_ALL, { 'R', KEY_FN(KEY_F(5)), 0 }, "R F5", "refresh now", NULL, act_refresh },
    { VIEWS_ALL, { 12, 0 }, "^L", "redraw the screen", NULL, act_redraw },
    { VIEWS_ALL, { 't', 0 }, "t", "times relative (3m ago) or absolute (14:02:31)", NULL, act_times },
    { VIEWS_ALL, { 'q', 3, 0 }, "q ^C", "quit", "q quit", act_quit },
};
const size_t keymap_count = sizeof keymap / sizeof keymap[0];

const struct key_binding *keymap_find(unsigned view_bit, int key)
{
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < keymap_count; i++) {
            const struct key_binding *b = &keymap[i];
            bool global = b->views == VIEWS_ALL;
            if (global != (pass == 1) || !(b->views & view_bit))
                continue;
            for (int k = 0; k < 4 && b->keys[k]; k++)
                if (b->keys[k] == key)
                    return b;
        }
    }
    return NULL;
}

size_t keymap_help(unsigned view_bit, char lines[][96], size_t max)
{
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < keymap_count && n < max; i++) {
            const struct key_binding *b = &keymap[i];
            bool global = b->views == VIEWS_ALL;
            if (global != (pass == 1) || !(b->views & view_bit))
                continue;
            snprintf(lines[n++], 96, "%-14s %s", b->label, b->help);
        }
    }
    return n;
}

void keymap_hints(unsigned view_bit, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < keymap_count; i++) {
            const struct key_binding *b = &keymap[i];
            bool global = b->views == VIEWS_ALL;
            if (!b->hint || global != (pass == 1) || !(b->views & view_bit))
                continue;
            int w = snprintf(buf + o, len - o, "%s%s", o ? "  " : "", b->hint);
            if (w < 0 || (size_t)w >= len - o) {
                buf[o] = '\0';
                return;
            }
            o += (size_t)w;
        }
    }
}
