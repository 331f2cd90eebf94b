/* views.h - what each view offers the key table and the commands beyond struct view_ops. */
#ifndef MO_VIEWS_H
#define MO_VIEWS_H

#include <stdint.h>

#include "ui/app.h"

/* view_dashboard.c */
void dashboard_tick(struct app *app);            /* every section not backing off: due now */
void dashboard_poll(struct app *app, long long now_ms); /* send the sections that are due */
long long dashboard_due_ms(const struct app *app); /* the next section timer (0: none) */
void dashboard_free_all(struct app *app);
int64_t dash_selected_problem(const struct app *app); /* "Failed or rejected": 0 none */
void dash_problems_keep_selection(struct app *app, const struct dashboard *d);
const struct dashboard *dash_loaders_answer(const struct app *app); /* NULL: none yet */

/* view_files.c */
void files_sort_next(struct app *app);
void files_sort_reverse(struct app *app);
int files_sort_by(struct app *app, const char *column, int desc /* -1 keep */);
void files_status_cycle(struct app *app);
void files_filter_clear(struct app *app);
void files_set_filter(struct app *app, const struct file_filter *f);
void files_on_event(struct app *app, int64_t file_id, const char *status, int64_t progress_rows);
void files_flush_events(struct app *app);       /* fetch the files LISTEN named */
const struct file_row *files_selected(struct app *app);
int file_status_role(const char *status);      /* the colour role of a file status */

/* view_file.c */
void file_detail_open(struct app *app, int64_t file_id);
void file_toggle(struct app *app);
void file_expand_all(struct app *app, int expand);
void file_hscroll(struct app *app, int delta);
void file_toggle_attempts(struct app *app);
void file_search(struct app *app, const char *text);
void file_search_next(struct app *app, int dir);
void file_on_event(struct app *app, int64_t file_id, const char *status, int64_t progress_rows);
const struct file_row *file_current(struct app *app);

/* view_jobs.c */
const struct job_row *jobs_selected(struct app *app);
void jobs_requeue_selected(struct app *app);

/* view_health.c */
void health_poll(struct app *app, long long now_ms);  /* send the parts that are due */
long long health_due_ms(const struct app *app);       /* the next part timer (0: none) */
struct dba *health_db(const struct app *app);         /* its connection, NULL before use */
void health_free_all(struct app *app);
int health_show_pane(struct app *app, const char *name); /* -1: no such pane */
void health_pane_step(struct app *app, int delta);
void health_sort_next(struct app *app);
void health_sort_reverse(struct app *app);
void health_set_filter(struct app *app, const char *text);
void health_signal_ask(struct app *app, bool terminate); /* asks for the reason */
void health_signal_reason(struct app *app, const char *reason); /* the prompt's answer */

/* view_nodes.c */
void nodes_rebalance_ask(struct app *app);                       /* asks for the reason */
void nodes_rebalance_reason(struct app *app, const char *reason); /* the prompt's answer */

/* view_customer.c */
void customer_search(struct app *app, const char *line); /* "REF [YYYY-MM-DD]" */
void customer_prompt(struct app *app);                   /* asks for REF */
void customer_refine(struct app *app);                   /* asks again, the last REF typed in */
void customer_page(struct app *app, int dir);            /* matches: the next (1) or previous (-1) page */
void customer_back(struct app *app);                     /* card -> matches -> search */
void customer_step_day(struct app *app, int delta);      /* days; 7 a week */
void customer_scroll(struct app *app, int delta);        /* the card's lines */
void customer_toggle_days(struct app *app);              /* 30 or 90 */
void customer_next_meter(struct app *app);
void customer_reload(struct app *app);                   /* R: the card or search again */
void customer_free_all(struct app *app);

/* view_migration.c */
void migration_poll(struct app *app, long long now_ms); /* closes the target off the view */
struct dba *migration_db(const struct app *app);        /* the target's connection, or NULL */
void migration_free_all(struct app *app);
void migration_count_exact(struct app *app);           /* `c`: exact counts on both sides */

#endif
