/* app.h - the console: its state, its one event loop, and what views, keys and commands
 * share. ui/ never calls libpq and never builds SQL: data arrives through the fetch_*.h
 * structs and the requeue action of backend/.
 *
 * The loop (app.c) polls the terminal, the database socket and a self-pipe that turns
 * SIGWINCH/SIGTERM/SIGINT/SIGHUP into events, with timers for the refresh, the LISTEN
 * debounce and the clock; it redraws only when something changed. */
#ifndef MO_APP_H
#define MO_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/dbasync.h"
#include "backend/fetch_custview.h"
#include "backend/fetch_dashboard.h"
#include "backend/fetch_errors.h"
#include "backend/fetch_files.h"
#include "backend/fetch_health.h"
#include "backend/fetch_jobs.h"
#include "backend/fetch_nodes.h"
#include "ui/screen.h"
#include "ui/theme.h"
#include "ui/view_migration.h"
#include "ui/widget_list.h"

struct console_opts {
    const char *conninfo;
    const char *target_conninfo; /* --target-db: the Migration view's target (NULL: the recorded one) */
    const char *theme;          /* NULL: default */
    int iterations;             /* >0: exit after this many dashboard refreshes */
    int refresh_s;              /* aggregates refresh interval */
    int statement_timeout_ms, lock_timeout_ms;
    int silent_days;
    int retry_max_s;            /* cap of the reconnect backoff */
    bool mouse, ascii;
};

enum view_id { VIEW_DASHBOARD, VIEW_FILES, VIEW_FILE, VIEW_JOBS, VIEW_HEALTH, VIEW_NODES,
               VIEW_CUSTOMER, VIEW_MIGRATION, VIEW_COUNT };
#define VIEW_BIT(v) (1u << (v))
#define VIEWS_ALL ((1u << VIEW_COUNT) - 1)

enum msg_level { MSG_INFO, MSG_OK, MSG_WARN, MSG_ERROR };
enum prompt_kind { PROMPT_NONE, PROMPT_COMMAND, PROMPT_FILTER, PROMPT_SEARCH, PROMPT_REQUEUE, PROMPT_ACK,
                   PROMPT_HEALTH_FILTER, PROMPT_SIGNAL, PROMPT_REBALANCE, PROMPT_CUSTOMER };

/* One dashboard section's own fetch (view_dashboard.c): each asks, answers and retries on
 * its own, so a slow or locked query delays only the section that runs it. */
struct dash_sec {
    struct dashboard *d;        /* its last good answer (NULL: none yet) */
    int64_t at;                 /* Unix time of that answer */
    long long at_ms;            /* ... on dba_now_ms()'s clock */
    bool inflight;
    bool asked;                 /* it has asked for parts (else it judges the others) */
    long long due_ms;           /* when to ask next */
    int fails;                  /* failures in a row; the backoff doubles with each */
    int retry_s;                /* the delay chosen after the last failure */
    bool timed_out;             /* the last failure was a statement or lock timeout */
    char error[512];            /* why the last attempt failed ("" when it did not) */
    int rounds;                 /* answers (or skipped turns), for --iterations */
};

enum { DASH_MAX_SECTIONS = 16, DASH_CONNECTIONS = 2 };

struct dash_state {
    struct dash_sec sec[DASH_MAX_SECTIONS]; /* in dash_sections[] order */
    /* The dashboard's own connections, apart from the views' one (app->db): a section is
     * sent only to an idle one, so a locked query holds one connection, never the rest. */
    struct dba *db[DASH_CONNECTIONS];
    struct dash_rate rate;      /* the load's rate now, between throughput samples */
    struct dash_meters meters;  /* meters refresh on a slower timer; kept between */
    bool have_meters;
    long long meters_due_ms;
    long long sent_ms;          /* when the last refresh was asked for */
    long long due_ms;           /* an early refresh LISTEN asked for (0: none) */
    long long first_paint_ms;   /* from the start to every section's first answer */
    size_t problem_sel;         /* the selected line of "Failed or rejected" (dash_problems.c) */
    int64_t problem_id;         /* its file, kept selected across refreshes */
};

struct files_state {
    struct file_list *rows;
    struct list list;           /* sort_key: enum file_sort; gen bumped when the filter changes */
    struct file_filter filter;
    bool loaded;
    int64_t pending[64];        /* ids named by LISTEN events, fetched together */
    size_t npending;
    bool pending_overflow;
    long long pending_due_ms;
    bool ids_inflight;
};

/* One line of the file detail's error tree. */
struct detail_item {
    int kind;                   /* 0 group, 1 error, 2 "more" note */
    size_t group, row;
};

struct file_state {
    int64_t file_id;
    struct file_list *meta;     /* the file's own row (0 or 1 rows) */
    struct error_list *errors;
    bool *expanded;             /* per group */
    struct detail_item *items;
    size_t nitems;
    struct list list;           /* the items; its gen tags the file's row and its errors */
    int hscroll;
    bool meta_inflight;
    char search[128];
    size_t *matches;            /* error rows matching search */
    size_t nmatches, match;
    int64_t retry_at;           /* app_now() seconds of the next try after a failed fetch */
    int backoff;                /* seconds, doubled per failure up to 60; 0: no failure */
    bool show_attempts;         /* `a`: the attempt history instead of the errors */
};

struct jobs_state {
    struct job_list *rows;
    struct list list;
};

/* The Health view (view_health.c): panes of parts, each part one query on its own timer,
 * asked only while its pane is shown, on the view's own connection. */
enum health_pane { PANE_SESSIONS, PANE_LOCKS, PANE_REPLICATION, PANE_VACUUM, PANE_SIZES, PANE_SERVER,
                   PANE_COUNT };

struct health_part_state {
    struct health_table *t;     /* the last good answer (NULL: none yet) */
    long long at_ms, due_ms;
    bool inflight;
    int fails;
    char err[256];              /* why the last attempt failed ("" when it did not) */
};

struct health_rates {           /* counters of the previous answer, for per-second rates */
    int64_t xact, hit, read, wal;
    long long at_ms;
    double tps, hit_pct, wal_bps;  /* < 0: not known yet */
};

struct health_state {
    struct dba *db;             /* opened when the view is first shown */
    enum health_pane pane;
    struct health_part_state part[HP_COUNT];
    struct list list;           /* the rows of Sessions or Locks */
    size_t *order;              /* filtered and sorted rows of that table */
    size_t norder;
    int sort_col;               /* -1: the query's order */
    char filter[128];
    bool show_query;            /* Enter: the selected session's whole query */
    struct health_rates rates, wal_rates;
    int sig_pid;                /* what the cancel/terminate prompt is about */
    bool sig_terminate;
};

struct nodes_state {
    struct node_list *rows;
    struct list list;
};

/* The Customer view (view_customer.c): a search, its matches, and one customer's card. */
struct customer_state {
    char ref[128];              /* the last search ("" none) */
    char to_day[11];            /* the card's last day ("" yesterday in Europe/London) */
    int days;                   /* 30 or 90 */
    struct customer_matches *matches; /* one page of them (keyset paging) */
    int page_first;             /* the number of the page's first match (1 on the first page) */
    int page_dir;               /* the page asked for: 0 first, 1 next, -1 previous */
    struct list list;           /* the matches; its gen tags the search */
    bool card_open;             /* the card is shown (else the matches) */
    struct customer_ident ident;/* who the card is of (a copy of the match) */
    struct custview_card *card;
    uint64_t card_gen;
    bool card_inflight;
    char card_err[256];
    int meter;                  /* the meter charted */
    char day[11];               /* the day selected (YYYY-MM-DD) */
    bool day_detail;            /* Enter: the day's half-hours instead of the week */
    struct custview_halfhours *hh; /* the charted meter's week around day */
    uint64_t hh_gen;
    bool hh_inflight;
    char hh_asked[48];          /* "mpxn from_day" of the week asked for */
    char hh_err[256];
    int scroll;                 /* the card's first line shown */
    int heat_line, card_h;      /* where the week or day starts on the card; lines shown */
};

struct app {
    struct console_opts opts;
    struct dba *db;
    struct screen scr;
    struct theme_dirs theme_dirs;
    struct theme mono;
    char theme_names[32][64];
    size_t ntheme_names;

    enum view_id view;
    bool help;
    int help_top;               /* first help line shown */
    bool quit;
    bool dirty;                 /* something to draw */
    bool abs_times;             /* `t`: times as clock times instead of "3m ago" */
    int body_h;                 /* rows the current view may use */

    char msg[512];
    enum msg_level msg_level;

    enum prompt_kind prompt;
    int64_t *requeue_ids;       /* what the requeue prompt confirms */
    size_t nrequeue;
    uint64_t requeue_gen;
    int64_t ack_id;             /* the file the :ack prompt asks a reason for */

    long long next_refresh_ms, next_clock_ms;
    int iterations_done;
    int tab_x[VIEW_COUNT][2];   /* header columns of each tab, for the mouse */

    struct dash_state dash;
    struct files_state files;
    struct file_state file;
    struct jobs_state jobs;
    struct health_state health;
    struct nodes_state nodes;
    struct customer_state customer;
    struct migration_state migration;

    /* What the login may see (queries/console/role.sql): a support login sees the Customer
     * view and Health (its own sessions); until the answer, the dashboard holds its
     * queries (3 s at most). */
    bool role_known, role_asked, support_only;
    unsigned views_allowed;
    long long started_ms;
};

/* A view: one file each (view_*.c). */
struct view_ops {
    const char *name;           /* for :view */
    const char *title;          /* for the header */
    void (*enter)(struct app *app);
    void (*tick)(struct app *app);                  /* the refresh timer ticked */
    void (*draw)(struct app *app, WINDOW *w, int top, int h, int width);
    void (*select)(struct app *app, long delta);    /* selection; LONG_MIN/LONG_MAX: ends */
    void (*activate)(struct app *app);              /* Enter */
    void (*click)(struct app *app, int row);        /* a mouse click on body row `row` */
    void (*init)(struct app *app);                  /* once, before the first frame */
};
extern const struct view_ops view_dashboard, view_files, view_file, view_jobs, view_health, view_nodes,
    view_customer, view_migration;
extern const struct view_ops *const app_views[VIEW_COUNT];

int app_run(const struct console_opts *opts);

/* Shared by views, keys and commands. */
void app_message(struct app *app, enum msg_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Shows view v; a view the login may not use is not shown and the status line says why. */
void app_switch(struct app *app, enum view_id v);
bool app_view_allowed(const struct app *app, enum view_id v);
/* Why a view is hidden from a support login, in one line. */
const char *app_view_hidden_why(enum view_id v);
void app_refresh_now(struct app *app);
void app_open_file(struct app *app, int64_t file_id);
void app_prompt(struct app *app, enum prompt_kind kind, const char *prompt);
/* The same with text already typed at the prompt (to edit: refining a search). */
void app_prompt_text(struct app *app, enum prompt_kind kind, const char *prompt, const char *text);
/* Called by cmdline.c when a prompt ends: line is NULL when it was cancelled. */
void app_prompt_done(struct app *app, enum prompt_kind kind, const char *line);
int app_set_theme(struct app *app, const char *name);
/* Requeue: asks for the reason for these ids ("requeue N files?"). */
void app_requeue_confirm(struct app *app, const int64_t *ids, size_t n, const char *what);
/* Requeue what a filter names: finds the files, then confirms. */
void app_requeue_matching(struct app *app, const char *const *statuses, int64_t job_id,
                          const char *path_text, const char *described);
void app_requeue_selected(struct app *app);
int64_t app_now(void); /* Unix seconds */
/* A time as the lists show it: "3m ago", or the clock time once `t` asked for it. */
const char *app_fmt_time(const struct app *app, char *buf, size_t len, int64_t unix_s);

#endif
