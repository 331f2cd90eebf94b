/* app.c - see app.h: the event loop, the frame (header, banner, view or help, status line,
 * command line) and what views, keys and commands share. */
#include "ui/app.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend/notify.h"
#include "backend/textfmt.h"
#include "ui/cmdline.h"
#include "ui/cmdtab.h"
#include "ui/draw.h"
#include "ui/keymap.h"
#include "ui/views.h"

const struct view_ops *const app_views[VIEW_COUNT] = { &view_dashboard, &view_files, &view_file, &view_jobs, &view_health, &view_nodes,
                                                  &view_customer, &view_migration };

/* --- shared helpers ------------------------------------------------------------------ */

int64_t app_now(void)
{
    return (int64_t)time(NULL);
}

const char *app_fmt_time(const struct app *app, char *buf, size_t len, int64_t t)
{
    int64_t now = app_now();
    if (t <= 0 || app->abs_times)
        return fmt_when(buf, len, t, now);
    return fmt_ago(buf, len, now - t);
}

void app_message(struct app *app, enum msg_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(app->msg, sizeof app->msg, fmt, ap);
    va_end(ap);
    app->msg_level = level;
    app->dirty = true;
}

bool app_view_allowed(const struct app *app, enum view_id v)
{
    return (app->views_allowed & VIEW_BIT(v)) != 0;
}

const char *app_view_hidden_why(enum view_id v)
{
    static const char *const why[VIEW_COUNT] = {
        [VIEW_DASHBOARD] = "load progress and server health (meterops_operator)",
        [VIEW_FILES] = "loaded files and their errors (meterops_operator)",
        [VIEW_FILE] = "a loaded file's errors and raw lines (meterops_operator)",
        [VIEW_JOBS] = "load jobs and requeueing (meterops_operator)",
        [VIEW_NODES] = "the cluster's nodes and shards (meterops_operator)",
        [VIEW_MIGRATION] = "a move to another server (meterops_operator)",
    };
    return why[v] ? why[v] : "not for this login";
}

void app_switch(struct app *app, enum view_id v)
{
    if (!app_view_allowed(app, v)) {
        app_message(app, MSG_INFO, "%s is hidden for the support desk: %s", app_views[v]->title,
                    app_view_hidden_why(v));
        return;
    }
    app->view = v;
    app->help = false;
    if (app_views[v]->enter)
        app_views[v]->enter(app);
    app->dirty = true;
}

void app_refresh_now(struct app *app)
{
    dba_retry_now(app->db);
    dashboard_tick(app);
    if (app_views[app->view]->tick)
        app_views[app->view]->tick(app);
    app->next_refresh_ms = dba_now_ms() + (long long)app->opts.refresh_s * 1000;
}

void app_open_file(struct app *app, int64_t file_id)
{
    file_detail_open(app, file_id);
    app->view = VIEW_FILE;
    app->help = false;
    app->dirty = true;
}

void app_prompt(struct app *app, enum prompt_kind kind, const char *prompt)
{
    app_prompt_text(app, kind, prompt, NULL);
}

void app_prompt_text(struct app *app, enum prompt_kind kind, const char *prompt, const char *text)
{
    if (cmdline_active())
        return;
    app->prompt = kind;
    app->help = false;
    cmdline_open(kind, prompt, text);
    app->dirty = true;
}

int app_set_theme(struct app *app, const char *name)
{
    struct theme t;
    struct mo_err err;
    if (theme_load(name, &app->theme_dirs, &t, &err) < 0) {
        char m[600];
        mo_err_format(&err, m, sizeof m);
        app_message(app, MSG_ERROR, "theme: %s", m);
        return -1;
    }
    if (screen_set_theme(&app->scr, &t, &app->mono, &err) == 1)
        app_message(app, MSG_WARN, "theme %s: %s", name, err.message);
    else
        app_message(app, MSG_OK, "theme %s", name);
    app->dirty = true;
    return 0;
}

/* --- database events ----------------------------------------------------------------- */

static void on_notify(void *ctx, const char *channel, const char *payload)
{
    struct app *app = ctx;
    struct load_event ev;
    if (strcmp(channel, NOTIFY_LOAD_CHANNEL) != 0 || notify_parse_load(payload, &ev) < 0)
        return;
    if (app->support_only)
        return; /* files and the dashboard are not this login's */
    files_on_event(app, ev.file_id, ev.status, ev.progress_rows);
    file_on_event(app, ev.file_id, ev.status, ev.progress_rows);
    /* The dashboard counts files: bring its refresh forward, but a loader reporting
     * progress many times a second must not turn that into a query storm. */
    long long soon = dba_now_ms() + 300;
    if (soon < app->dash.sent_ms + 1000)
        soon = app->dash.sent_ms + 1000;
    if (app->dash.due_ms == 0 || soon < app->dash.due_ms)
        app->dash.due_ms = soon;
}

/* The login's role: a support login sees the Customer view alone, and starts there. */
static void on_role(void *ctx, uint64_t tag, bool operator_, bool support, const struct mo_err *err)
{
    struct app *app = ctx;
    (void)tag;
    if (err && strcmp(err->code, "connection") == 0) {
        app->role_asked = false; /* lost on the way: asked again once connected */
        return;
    }
    app->role_known = true;
    app->dirty = true;
    if (err || operator_ || !support)
        return; /* an operator, a superuser, or roles this database lacks: everything */
    app->support_only = true;
    /* Health reads statistics views anyone may read: support sees its own sessions and
     * locks there, and PostgreSQL refuses it the rest (cancel, terminate, sizes) */
    app->views_allowed = VIEW_BIT(VIEW_CUSTOMER) | VIEW_BIT(VIEW_HEALTH);
    if (app->view != VIEW_CUSTOMER)
        app_switch(app, VIEW_CUSTOMER);
}

static void on_state(void *ctx, enum dba_state st)
{
    struct app *app = ctx;
    app->dirty = true;
    if (st == DBA_READY && !app->role_asked) {
        struct mo_err err;
        app->role_asked = custview_role_fetch(app->db, on_role, app, 0, &err) == 0;
    }
    if (st == DBA_READY) {
        if (strstr(app->msg, "connection lost"))
            app->msg[0] = '\0';
        /* Whatever changed while away: fetch it all again. */
        app->files.npending = 0;
        app->next_refresh_ms = 0;
    }
}

/* A dashboard connection came or went: the loop sends what is due to it. */
static void on_dash_state(void *ctx, enum dba_state st)
{
    (void)st;
    ((struct app *)ctx)->dirty = true;
}

/* --- signals -------------------------------------------------------------------------- */

static int sig_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
    int saved = errno;
    unsigned char c = (unsigned char)sig;
    if (write(sig_pipe[1], &c, 1) < 0) {
        /* the pipe is full: enough wake-ups are already waiting */
    }
    errno = saved;
}

static int signals_install(void)
{
    if (pipe(sig_pipe) < 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(sig_pipe[i], F_SETFL, fcntl(sig_pipe[i], F_GETFL) | O_NONBLOCK);
        fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    int sigs[] = { SIGWINCH, SIGTERM, SIGINT, SIGHUP };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    return 0;
}

static void signals_remove(void)
{
    int sigs[] = { SIGWINCH, SIGTERM, SIGINT, SIGHUP };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        signal(sigs[i], SIG_DFL);
    for (int i = 0; i < 2; i++)
        if (sig_pipe[i] >= 0)
            close(sig_pipe[i]);
    sig_pipe[0] = sig_pipe[1] = -1;
}

/* --- drawing -------------------------------------------------------------------------- */

static bool banner_text(struct app *app, char *buf, size_t len)
{
    struct dba_info info;
    dba_info(app->db, dba_now_ms(), &info);
    const char *dash = app->scr.g.dash;
    if (info.state == DBA_WAITING) {
        snprintf(buf, len, " %s %s retrying in %ds  (%s)", info.ever_connected ? "connection lost" : "cannot connect",
                 dash, info.retry_in_s, info.error);
        return true;
    }
    if (info.state == DBA_CONNECTING && (info.ever_connected || info.attempts > 0)) {
        snprintf(buf, len, " %s %s reconnecting%s  (%s)", info.ever_connected ? "connection lost" : "cannot connect",
                 dash, app->scr.g.ellipsis, info.error);
        return true;
    }
    return false;
}

static void draw_header(struct app *app)
{
    struct screen *s = &app->scr;
    WINDOW *w = s->header;
    int width = s->cols;
    int x = draw_text(w, 0, 0, width, s->attr[ROLE_HEADER] | A_BOLD, " meterops ", NULL);
    struct dba_info info;
    long long now = dba_now_ms();
    dba_info(app->db, now, &info);
    char right[96], clock[16];
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(clock, sizeof clock, "%H:%M:%S", &tm);
    int role = ROLE_HEADER;
    if (info.state == DBA_READY && info.busy_ms >= 1000) {
        snprintf(right, sizeof right, " waiting for the server %llds ", info.busy_ms / 1000);
        role = ROLE_WARN;
    } else if (info.state == DBA_READY) {
        snprintf(right, sizeof right, " %s connected ", s->g.dot);
    } else if (info.state == DBA_CONNECTING) {
        snprintf(right, sizeof right, " connecting%s ", s->g.ellipsis);
        role = ROLE_WARN;
    } else {
        snprintf(right, sizeof right, " offline ");
        role = ROLE_ERROR;
    }
    int rw = text_width(right) + text_width(clock) + 1;
    /* the right side's room (the connection state and the clock) is kept: when every tab
     * named does not fit, the tabs from 5 on other than the current one show their number
     * alone, or nothing when even that does not fit (their keys still work) */
    int room = width - rw, full = x, act = (int)app->view;
    char tab[32];
    for (int v = 0; v < VIEW_COUNT; v++)
        if (app_view_allowed(app, (enum view_id)v))
            full += snprintf(tab, sizeof tab, " %d %s ", v + 1, app_views[v]->title);
    for (int v = 0; v < VIEW_COUNT && x < width; v++) {
        app->tab_x[v][0] = app->tab_x[v][1] = x;
        if (!app_view_allowed(app, (enum view_id)v))
            continue; /* hidden for this login: the help says why */
        int tight = full > room && v >= 4 && v != act;
        int n = tight ? snprintf(tab, sizeof tab, " %d ", v + 1)
                      : snprintf(tab, sizeof tab, " %d %s ", v + 1, app_views[v]->title);
        int later = act > v ? (int)strlen(app_views[act]->title) + 4 : 0;
        app->tab_x[v][0] = app->tab_x[v][1] = x;
        if (tight && x + n > room - later)
            continue;
        x += draw_text(w, 0, x, width - x, s->attr[v == act ? ROLE_TAB_ACTIVE : ROLE_TAB], tab, NULL);
        app->tab_x[v][1] = x;
    }
    if (x <= width - rw) {
        draw_fill(w, 0, x, width - rw - x, s->attr[ROLE_HEADER]);
        x = width - rw;
        x += draw_text(w, 0, x, width - x, s->attr[role], right, NULL);
        x += draw_text(w, 0, x, width - x, s->attr[ROLE_HEADER], clock, NULL);
    }
    draw_fill(w, 0, x, width - x, s->attr[ROLE_HEADER]);
}

/* The help screen: this view's keys and the global ones, then the commands. */
static int help_lines(struct app *app, char lines[][200], int max)
{
    int n = 0;
    char keys[64][96];
    size_t nk = keymap_help(VIEW_BIT(app->view), keys, 64);
    snprintf(lines[n++], 200, "Keys in %s (any other key closes this help; j/k scroll it)", app_views[app->view]->title);
    for (size_t i = 0; i < nk && n < max; i++)
        snprintf(lines[n++], 200, "  %.190s", keys[i]);
    if (n < max)
        lines[n++][0] = '\0';
    if (n < max)
        snprintf(lines[n++], 200, "Commands (: then the name; Tab completes; history in %.120s)",
                 cmdline_history_path()[0] ? cmdline_history_path() : "memory only");
    for (size_t i = 0; i < console_ncmds && n < max; i++)
        snprintf(lines[n++], 200, "  :%s %s  %s %s", console_cmds[i].name, console_cmds[i].args, app->scr.g.dash,
                 console_cmds[i].help);
    if (app->support_only && n + 2 < max) {
        lines[n++][0] = '\0';
        snprintf(lines[n++], 200, "Views hidden for the support desk (meterops_support)");
        for (int v = 0; v < VIEW_COUNT && n < max; v++)
            if (!app_view_allowed(app, (enum view_id)v))
                snprintf(lines[n++], 200, "  %d %-10s %s", v + 1, app_views[v]->title, app_view_hidden_why((enum view_id)v));
    }
    return n;
}

static void draw_help(struct app *app, WINDOW *w, int top, int h, int width)
{
    const struct screen *s = &app->scr;
    static char lines[128][200];
    int n = help_lines(app, lines, 128);
    if (app->help_top > n - h)
        app->help_top = n - h > 0 ? n - h : 0;
    for (int i = 0; i < h; i++) {
        int k = app->help_top + i, x = 0;
        if (k < n) {
            int role = (k == 0 || (lines[k][0] && lines[k][0] != ' ')) ? ROLE_TITLE : ROLE_NORMAL;
            x = draw_text(w, top + i, 1, width - 1, s->attr[role], lines[k], s->g.ellipsis) + 1;
            draw_fill(w, top + i, 0, 1, s->attr[ROLE_NORMAL]);
        }
        draw_fill(w, top + i, x, width - x, s->attr[ROLE_NORMAL]);
    }
}

static void draw_frame(struct app *app)
{
    struct screen *s = &app->scr;
    int width = s->cols;
    draw_header(app);

    WINDOW *b = s->body;
    int h = getmaxy(b), top = 0;
    char banner[400];
    if (banner_text(app, banner, sizeof banner)) {
        int x = draw_text(b, 0, 0, width, s->attr[ROLE_BANNER], banner, s->g.ellipsis);
        draw_fill(b, 0, x, width - x, s->attr[ROLE_BANNER]);
        top = 1;
    }
    app->body_h = h - top;
    if (s->rows < 10 || s->cols < 40) {
        int x = draw_text(b, top, 0, width, s->attr[ROLE_WARN], "terminal too small: 80x24 or more, please", NULL);
        draw_fill(b, top, x, width - x, s->attr[ROLE_NORMAL]);
        for (int y = top + 1; y < h; y++)
            draw_fill(b, y, 0, width, s->attr[ROLE_NORMAL]);
    } else if (app->help) {
        draw_help(app, b, top, h - top, width);
    } else {
        app_views[app->view]->draw(app, b, top, h - top, width);
    }

    /* Status line: the last message, or this view's keys. */
    WINDOW *st = s->status;
    int x;
    if (app->msg[0]) {
        static const int roles[] = { ROLE_STATUS, ROLE_OK, ROLE_WARN, ROLE_ERROR };
        x = draw_text(st, 0, 0, width, s->attr[roles[app->msg_level]], " ", NULL);
        x += draw_text(st, 0, x, width - x, s->attr[roles[app->msg_level]], app->msg, s->g.ellipsis);
        draw_fill(st, 0, x, width - x, s->attr[roles[app->msg_level]]);
    } else {
        char hints[300];
        keymap_hints(VIEW_BIT(app->view), hints, sizeof hints);
        x = draw_text(st, 0, 0, width, s->attr[ROLE_STATUS], " ", NULL);
        x += draw_text(st, 0, x, width - x, s->attr[ROLE_STATUS], hints, s->g.ellipsis);
        draw_fill(st, 0, x, width - x, s->attr[ROLE_STATUS]);
    }

    /* Bottom line: the prompt, or where to start. */
    WINDOW *c = s->cmd;
    if (cmdline_active()) {
        cmdline_draw(c, s->attr[ROLE_PROMPT], s->attr[ROLE_NORMAL], width);
    } else {
        char left[160];
        snprintf(left, sizeof left, " theme %s  refresh %ds", s->theme.name, app->opts.refresh_s);
        x = draw_text(c, 0, 0, width, s->attr[ROLE_DIM], left, NULL);
        draw_fill(c, 0, x, width - x, s->attr[ROLE_NORMAL]);
    }
    screen_flush(s, cmdline_active());
}

/* --- input ---------------------------------------------------------------------------- */

static void handle_mouse(struct app *app)
{
    MEVENT ev;
    if (getmouse(&ev) != OK)
        return;
    if (ev.y == 0) {
        for (int v = 0; v < VIEW_COUNT; v++)
            if (ev.x >= app->tab_x[v][0] && ev.x < app->tab_x[v][1])
                app_switch(app, (enum view_id)v);
        return;
    }
    const struct view_ops *v = app_views[app->view];
    if (ev.bstate & BUTTON4_PRESSED) {
        if (v->select)
            v->select(app, -3);
    } else if (ev.bstate & BUTTON5_PRESSED) {
        if (v->select)
            v->select(app, 3);
    } else if (ev.bstate & (BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED)) {
        char banner[8];
        int row = ev.y - 1 - (banner_text(app, banner, sizeof banner) ? 1 : 0);
        if (v->click && row >= 0)
            v->click(app, row);
        if ((ev.bstate & BUTTON1_DOUBLE_CLICKED) && v->activate)
            v->activate(app);
    }
    app->dirty = true;
}

static void handle_key(struct app *app, int key)
{
    app->dirty = true;
    if (key == KEY_FN(KEY_RESIZE))
        return; /* SIGWINCH reaches us through the self-pipe */
    if (key == KEY_FN(KEY_MOUSE)) {
        handle_mouse(app);
        return;
    }
    if (cmdline_active()) {
        cmdline_key(key);
        return;
    }
    if (app->help) {
        if (key == 'j' || key == KEY_FN(KEY_DOWN))
            app->help_top++;
        else if ((key == 'k' || key == KEY_FN(KEY_UP)) && app->help_top > 0)
            app->help_top--;
        else if (key == ' ' || key == KEY_FN(KEY_NPAGE))
            app->help_top += app->body_h - 2;
        else if (key == KEY_FN(KEY_PPAGE))
            app->help_top = app->help_top > app->body_h - 2 ? app->help_top - (app->body_h - 2) : 0;
        else
            app->help = false;
        return;
    }
    const struct key_binding *b = keymap_find(VIEW_BIT(app->view), key);
    if (b) {
        b->action(app);
        return;
    }
    if (key == 27)
        return; /* Esc where it has no meaning: nothing to say */
    char name[32];
    if (key & 0x1000000)
        snprintf(name, sizeof name, "%s", keyname(key & 0xFFFFFF) ? keyname(key & 0xFFFFFF) : "?");
    else if (key < 32)
        snprintf(name, sizeof name, "^%c", key + 64);
    else
        snprintf(name, sizeof name, "%lc", (wint_t)key);
    app_message(app, MSG_INFO, "%s does nothing in %s (? lists the keys)", name, app_views[app->view]->title);
}

static void read_keys(struct app *app)
{
    wint_t ch;
    int r;
    while ((r = wget_wch(app->scr.cmd, &ch)) != ERR) {
        int key = r == KEY_CODE_YES ? KEY_FN((int)ch) : (int)ch;
        handle_key(app, key);
        if (app->quit)
            return;
    }
}

static void handle_signals(struct app *app)
{
    unsigned char sigs[16];
    ssize_t n;
    while ((n = read(sig_pipe[0], sigs, sizeof sigs)) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            if (sigs[i] == SIGWINCH) {
                screen_resize(&app->scr);
                app->dirty = true;
            } else if (sigs[i] == SIGINT && cmdline_active()) {
                cmdline_cancel();
            } else {
                app->quit = true;
            }
        }
    }
}

/* --- the loop ------------------------------------------------------------------------- */

static void app_free(struct app *app)
{
    dashboard_free_all(app);
    file_list_free(app->files.rows);
    file_list_free(app->file.meta);
    error_list_free(app->file.errors);
    free(app->file.expanded);
    free(app->file.items);
    free(app->file.matches);
    job_list_free(app->jobs.rows);
    health_free_all(app);
    node_list_free(app->nodes.rows);
    customer_free_all(app);
    migration_free_all(app);
    free(app->requeue_ids);
}

static long long min_due(long long a, long long b)
{
    if (a <= 0)
        return b;
    if (b <= 0)
        return a;
    return a < b ? a : b;
}

static int loop(struct app *app)
{
    bool stdin_tty = isatty(STDIN_FILENO);
    app->next_refresh_ms = 0;
    for (;;) {
        long long now = dba_now_ms();
        if (now >= app->next_refresh_ms) {
            app_refresh_now(app);
            now = dba_now_ms();
        }
        if (app->dash.due_ms && now >= app->dash.due_ms)
            dashboard_tick(app); /* clears due_ms */
        dashboard_poll(app, now);
        health_poll(app, now);
        migration_poll(app, now);
        if (app->files.pending_due_ms && now >= app->files.pending_due_ms) {
            app->files.pending_due_ms = 0;
            files_flush_events(app);
            if (app->files.npending)
                app->files.pending_due_ms = now + 150;
        }
        if (now >= app->next_clock_ms) {
            app->dirty = true; /* the clock, the banner's countdown, "waiting for the server" */
            app->next_clock_ms = now + 1000 - now % 1000;
        }
        if (app->dirty) {
            draw_frame(app);
            app->dirty = false;
        }
        if (app->quit)
            break;
        if (app->opts.iterations > 0 && app->iterations_done >= app->opts.iterations)
            break;

        long long due = min_due(app->next_refresh_ms, app->next_clock_ms);
        due = min_due(due, app->files.pending_due_ms);
        due = min_due(due, app->dash.due_ms);
        due = min_due(due, dashboard_due_ms(app));
        due = min_due(due, health_due_ms(app));
        long long dbt = dba_timeout_ms(app->db, now);
        if (dbt >= 0)
            due = min_due(due, now + dbt);
        if (health_db(app) && (dbt = dba_timeout_ms(health_db(app), now)) >= 0)
            due = min_due(due, now + dbt);
        if (migration_db(app) && (dbt = dba_timeout_ms(migration_db(app), now)) >= 0)
            due = min_due(due, now + dbt);
        for (int k = 0; k < DASH_CONNECTIONS; k++)
            if ((dbt = dba_timeout_ms(app->dash.db[k], now)) >= 0)
                due = min_due(due, now + dbt);
        int timeout = due > now ? (int)(due - now) : 0;

        struct pollfd fds[5 + DASH_CONNECTIONS];
        int dash_i[DASH_CONNECTIONS];
        int nfds = 0, in_i = -1, sig_i, db_i = -1, health_i = -1, target_i = -1;
        if (stdin_tty) {
            in_i = nfds;
            fds[nfds++] = (struct pollfd){ STDIN_FILENO, POLLIN, 0 };
        }
        sig_i = nfds;
        fds[nfds++] = (struct pollfd){ sig_pipe[0], POLLIN, 0 };
        short ev = 0;
        int dbfd = dba_poll_fd(app->db, &ev);
        if (dbfd >= 0) {
            db_i = nfds;
            fds[nfds++] = (struct pollfd){ dbfd, ev, 0 };
        }
        if (health_db(app) && (dbfd = dba_poll_fd(health_db(app), &ev)) >= 0) {
            health_i = nfds;
            fds[nfds++] = (struct pollfd){ dbfd, ev, 0 };
        }
        if (migration_db(app) && (dbfd = dba_poll_fd(migration_db(app), &ev)) >= 0) {
            target_i = nfds;
            fds[nfds++] = (struct pollfd){ dbfd, ev, 0 };
        }
        for (int k = 0; k < DASH_CONNECTIONS; k++) {
            dash_i[k] = -1;
            if ((dbfd = dba_poll_fd(app->dash.db[k], &ev)) >= 0) {
                dash_i[k] = nfds;
                fds[nfds++] = (struct pollfd){ dbfd, ev, 0 };
            }
        }
        int r = poll(fds, (nfds_t)nfds, timeout);
        if (r < 0 && errno != EINTR)
            return -1;
        now = dba_now_ms();
        if (r > 0 && (fds[sig_i].revents & POLLIN))
            handle_signals(app);
        if (in_i >= 0 && r > 0 && fds[in_i].revents)
            read_keys(app);
        dba_step(app->db, db_i >= 0 && r > 0 ? fds[db_i].revents : 0, now);
        for (int k = 0; k < DASH_CONNECTIONS; k++)
            dba_step(app->dash.db[k], dash_i[k] >= 0 && r > 0 ? fds[dash_i[k]].revents : 0, now);
        if (health_db(app))
            dba_step(health_db(app), health_i >= 0 && r > 0 ? fds[health_i].revents : 0, now);
        if (migration_db(app))
            dba_step(migration_db(app), target_i >= 0 && r > 0 ? fds[target_i].revents : 0, now);
    }
    return 0;
}

int app_run(const struct console_opts *opts)
{
    static struct app the_app; /* large (help buffers, names); one per process */
    struct app *app = &the_app;
    memset(app, 0, sizeof *app);
    app->opts = *opts;
    app->views_allowed = VIEWS_ALL;
    app->started_ms = dba_now_ms();
    setlocale(LC_ALL, "");
    theme_dirs_default(&app->theme_dirs);
    app->ntheme_names = theme_list(&app->theme_dirs, app->theme_names, 32);
    struct mo_err err;
    mo_err_clear(&err);
    struct theme t;
    bool theme_failed = false;
    char theme_msg[600] = "";
    if (theme_load("mono", &app->theme_dirs, &app->mono, &err) < 0)
        theme_builtin(&app->mono, false);
    const char *want = opts->theme ? opts->theme : "default";
    if (theme_load(want, &app->theme_dirs, &t, &err) < 0) {
        mo_err_format(&err, theme_msg, sizeof theme_msg);
        theme_builtin(&t, true);
        theme_failed = true;
    }

    if (signals_install() < 0) {
        fprintf(stderr, "meterops console: cannot create the signal pipe: %s\n", strerror(errno));
        return 2;
    }
    struct dba_options dopts = {
        .conninfo = opts->conninfo,
        .app_name = "meterops console",
        .limits = { opts->statement_timeout_ms, opts->lock_timeout_ms },
        .listen = NOTIFY_LOAD_CHANNEL,
        .connect_timeout_s = 10,
        .max_backoff_s = opts->retry_max_s,
    };
    app->db = dba_open(&dopts);
    struct dba_options dash_opts = dopts;
    dash_opts.app_name = "meterops console dashboard";
    dash_opts.listen = NULL;
    bool dash_ok = true;
    for (int k = 0; k < DASH_CONNECTIONS; k++)
        dash_ok &= (app->dash.db[k] = dba_open(&dash_opts)) != NULL;
    if (!app->db || !dash_ok) {
        for (int k = 0; k < DASH_CONNECTIONS; k++)
            dba_close(app->dash.db[k]);
        signals_remove();
        fprintf(stderr, "meterops console: out of memory\n");
        return 2;
    }
    dba_set_callbacks(app->db, on_notify, on_state, app);
    for (int k = 0; k < DASH_CONNECTIONS; k++)
        dba_set_callbacks(app->dash.db[k], NULL, on_dash_state, app);
    if (screen_open(&app->scr, opts->ascii, opts->mouse, &err) < 0) {
        for (int k = 0; k < DASH_CONNECTIONS; k++)
            dba_close(app->dash.db[k]);
        dba_close(app->db);
        signals_remove();
        fprintf(stderr, "meterops console: %s\n", err.message);
        return 2;
    }
    if (screen_set_theme(&app->scr, &t, &app->mono, &err) == 1)
        app_message(app, MSG_WARN, "%s", err.message);
    if (theme_failed)
        app_message(app, MSG_ERROR, "theme: using the built-in default; %s", theme_msg);
    if (cmdline_init(app) < 0)
        app_message(app, MSG_WARN, "command history unavailable");
    app->view = VIEW_DASHBOARD;
    for (int v = 0; v < VIEW_COUNT; v++)
        if (app_views[v]->init)
            app_views[v]->init(app);
    app->dirty = true;
    int rc = loop(app);

    cmdline_shutdown();
    screen_close(&app->scr);
    for (int k = 0; k < DASH_CONNECTIONS; k++)
        dba_close(app->dash.db[k]);
    dba_close(app->db);
    signals_remove();
    app_free(app);
    return rc < 0 ? 2 : 0;
}
