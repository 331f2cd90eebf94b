/* view_customer.c - the Customer view, the support desk's way in: a search (account
 * number, MPAN/MPRN, postcode or name, as `meterops customer`), its matches as a list that
 * tells masked customers apart (postcode district, meters, fuels, account), and one
 * customer's card: the meters with tariff and direction, daily usage bars over 30 or 90
 * days, a week's half-hours as a heatmap in the theme's four chart levels, a day's
 * half-hours (46 or 50 on clock-change days), the cost by month and the insights. Export is
 * shown beside import and never counted as use. Everything arrives through
 * fetch_custview.h on the views' connection; nothing here waits for the server. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/app.h"
#include "ui/chart.h"
#include "ui/draw.h"
#include "ui/views.h"
#include "ui/widget_table.h"

enum { BAR_ROWS = 6, AXIS_W = 10, HEAT_LABEL_W = 12 };

/* --- the matches ------------------------------------------------------------------------- */

static size_t matches_count(const void *ctx)
{
    const struct app *app = ctx;
    return app->customer.matches ? (size_t)app->customer.matches->n : 0;
}

static const struct list_ops matches_ops = { .count = matches_count };

static void customer_init(struct app *app)
{
    struct customer_state *c = &app->customer;
    list_init(&c->list, &matches_ops, app);
    c->days = 30;
}

static void ident_clear(struct customer_ident *i)
{
    free(i->account_no);
    free(i->name);
    free(i->postcode);
    free(i->email);
    free(i->phone);
    free(i->matched_by);
    free(i->fuels);
    memset(i, 0, sizeof *i);
}

static char *dup_opt(const char *s)
{
    return s ? strdup(s) : NULL;
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

void customer_free_all(struct app *app)
{
    struct customer_state *c = &app->customer;
    if (c->matches)
        customer_matches_free(c->matches);
    free(c->matches);
    c->matches = NULL;
    ident_clear(&c->ident);
    custview_card_free(c->card);
    c->card = NULL;
    custview_halfhours_free(c->hh);
    c->hh = NULL;
}

/* --- fetching ------------------------------------------------------------------------------ */

static const struct customer_meter *charted(const struct customer_state *c)
{
    if (!c->card || c->card->v.nmeters == 0)
        return NULL;
    return &c->card->v.meters[c->meter < c->card->v.nmeters ? c->meter : 0];
}

static void hh_done(void *ctx, uint64_t tag, struct custview_halfhours *h, const struct mo_err *err)
{
    struct app *app = ctx;
    struct customer_state *c = &app->customer;
    if (tag != c->hh_gen) {
        custview_halfhours_free(h);
        return;
    }
    c->hh_inflight = false;
    app->dirty = true;
    if (!h) {
        snprintf(c->hh_err, sizeof c->hh_err, "%.250s", err->message);
        return;
    }
    c->hh_err[0] = '\0';
    /* the latest request (tag) was for the charted meter and the selected day's week */
    const struct customer_meter *m = charted(c);
    long monday = chart_week_start(chart_day_parse(c->day));
    snprintf(h->mpxn, sizeof h->mpxn, "%s", m && m->mpxn ? m->mpxn : "");
    chart_day_format(monday, h->from_day, sizeof h->from_day);
    chart_day_format(monday + 6, h->to_day, sizeof h->to_day);
    custview_halfhours_free(c->hh);
    c->hh = h;
}

/* The charted meter's half-hours of the week (Monday to Sunday) holding the selected day. */
static void fetch_week(struct app *app)
{
    struct customer_state *c = &app->customer;
    const struct customer_meter *m = charted(c);
    long day = chart_day_parse(c->day);
    if (!m || !m->mpxn || day < 0)
        return;
    char from[11], to[11];
    chart_day_format(chart_week_start(day), from, sizeof from);
    chart_day_format(chart_week_start(day) + 6, to, sizeof to);
    char asked[sizeof c->hh_asked];
    snprintf(asked, sizeof asked, "%.31s %s", m->mpxn, from);
    if ((c->hh || c->hh_inflight) && strcmp(asked, c->hh_asked) == 0)
        return; /* that week is here, or on its way */
    memcpy(c->hh_asked, asked, sizeof asked);
    custview_halfhours_free(c->hh);
    c->hh = NULL;
    c->hh_gen++;
    struct mo_err err;
    /* the answer carries the request's own copy of these */
    if (custview_halfhours_fetch(app->db, m->mpxn, from, to, hh_done, app, c->hh_gen, &err) == 0) {
        c->hh_inflight = true;
        c->hh_err[0] = '\0';
    } else {
        snprintf(c->hh_err, sizeof c->hh_err, "%.250s", err.message);
    }
    app->dirty = true;
}

static void card_done(void *ctx, uint64_t tag, struct custview_card *card, const struct mo_err *err)
{
    struct app *app = ctx;
    struct customer_state *c = &app->customer;
    if (tag != c->card_gen) {
        custview_card_free(card);
        return;
    }
    c->card_inflight = false;
    app->dirty = true;
    if (!card) {
        snprintf(c->card_err, sizeof c->card_err, "%.250s", err->message);
        return;
    }
    c->card_err[0] = '\0';
    custview_card_free(c->card);
    c->card = card;
    if (c->meter >= card->v.nmeters)
        c->meter = 0;
    long day = chart_day_parse(c->day), from = chart_day_parse(card->v.from_day), to = chart_day_parse(card->v.to_day);
    if (day < from || day > to)
        snprintf(c->day, sizeof c->day, "%s", card->v.to_day ? card->v.to_day : "");
    /* the half-hours were of the meter and week asked before */
    custview_halfhours_free(c->hh);
    c->hh = NULL;
    c->hh_asked[0] = '\0';
    fetch_week(app);
}

static void fetch_card(struct app *app)
{
    struct customer_state *c = &app->customer;
    if (!c->ident.account_no)
        return;
    c->card_gen++;
    struct mo_err err;
    if (custview_card_fetch(app->db, c->ident.account_no, c->to_day[0] ? c->to_day : NULL, c->days, card_done, app,
                            c->card_gen, &err) == 0) {
        c->card_inflight = true;
        c->card_err[0] = '\0';
    } else {
        c->card_inflight = false;
        snprintf(c->card_err, sizeof c->card_err, "%.250s", err.message);
    }
    app->dirty = true;
}

static void open_card(struct app *app, size_t i)
{
    struct customer_state *c = &app->customer;
    const struct customer_ident *m = &c->matches->items[i];
    ident_clear(&c->ident);
    c->ident.account_no = dup_opt(m->account_no);
    c->ident.name = dup_opt(m->name);
    c->ident.postcode = dup_opt(m->postcode);
    c->ident.email = dup_opt(m->email);
    c->ident.phone = dup_opt(m->phone);
    c->ident.fuels = dup_opt(m->fuels);
    c->ident.meters = m->meters;
    c->ident.masked = m->masked;
    c->card_open = true;
    c->day_detail = false;
    c->meter = 0;
    c->scroll = 0;
    c->day[0] = '\0';
    custview_card_free(c->card);
    c->card = NULL;
    custview_halfhours_free(c->hh);
    c->hh = NULL;
    c->hh_asked[0] = '\0';
    fetch_card(app);
}

static void find_done(void *ctx, uint64_t tag, struct customer_matches *m, const struct mo_err *err)
{
    struct app *app = ctx;
    struct customer_state *c = &app->customer;
    if (!list_answer(&c->list, tag)) {
        if (m)
            customer_matches_free(m);
        free(m);
        return;
    }
    app->dirty = true;
    if (!m) {
        list_fail(&c->list, err->message);
        return;
    }
    /* the number of the page's first match, counted from the page before (kept on screen
     * until now) */
    int first = 1;
    if (c->page_dir > 0 && c->matches)
        first = c->page_first + c->matches->n;
    else if (c->page_dir < 0 && m->more_before)
        first = c->page_first - m->n > 1 ? c->page_first - m->n : 2;
    c->page_first = first;
    if (c->matches)
        customer_matches_free(c->matches);
    free(c->matches);
    c->matches = m;
    list_ok(&c->list);
    list_rows_changed(&c->list, 0);
    if (c->page_dir != 0) {
        app->msg[0] = '\0';
    } else if (m->n == 1 && !m->more_after) {
        open_card(app, 0);
    } else if (m->n == 0 && app->support_only) {
        /* customer_find: names and postcodes, masked for support, would be an oracle */
        app_message(app, MSG_WARN, "no customer matches '%s': the support desk finds by account number or MPAN/MPRN",
                    c->ref);
    } else if (m->n == 0) {
        app_message(app, MSG_WARN, "no customer matches '%s'", c->ref);
    } else if (m->capped) {
        app_message(app, MSG_WARN, "more than %d customers match '%s': r refines the search; PgDn or n pages through them",
                    CUSTOMER_FIND_CAP, c->ref);
    } else if (m->more_after) {
        app_message(app, MSG_INFO, "%d customers match '%s': PgDn or n for the next page; r refines the search",
                    m->total, c->ref);
    }
}

/* Matches a page: the rows the list has room for (below the title and the table's header),
 * so that PgDn brings the next screenful from the server. */
static int page_size(const struct app *app)
{
    int n = app->body_h - 2;
    if (app->body_h <= 0 || n > CUSTOMER_FIND_PAGE)
        return CUSTOMER_FIND_PAGE;
    return n < 3 ? 3 : n;
}

/* Asks for a page of c->ref's matches: the first (dir 0; after and before NULL), or the
 * one after or before a row shown (keyset: the server pages by the sort key, never by an
 * offset). The page shown stays until the answer replaces it. */
static void fetch_matches(struct app *app, const char *after, const char *before, int dir)
{
    struct customer_state *c = &app->customer;
    c->page_dir = dir;
    list_restart(&c->list);
    struct mo_err err;
    if (custview_find(app->db, c->ref, after, before, page_size(app), find_done, app, c->list.gen, &err) == 0)
        list_sent(&c->list);
    else
        list_fail(&c->list, err.message);
    app->dirty = true;
}

void customer_page(struct app *app, int dir)
{
    struct customer_state *c = &app->customer;
    const struct customer_matches *m = c->matches;
    if (c->card_open || !m || m->n == 0)
        return;
    if (dir > 0 && !m->more_after) {
        app_message(app, MSG_INFO, "the last page of matches");
        return;
    }
    if (dir < 0 && !m->more_before) {
        app_message(app, MSG_INFO, "the first page of matches");
        return;
    }
    char cursor[128];
    snprintf(cursor, sizeof cursor, "%s", or_empty(m->items[dir > 0 ? m->n - 1 : 0].account_no));
    fetch_matches(app, dir > 0 ? cursor : NULL, dir < 0 ? cursor : NULL, dir);
}

void customer_search(struct app *app, const char *line)
{
    struct customer_state *c = &app->customer;
    char ref[sizeof c->ref];
    snprintf(ref, sizeof ref, "%s", line);
    /* a trailing YYYY-MM-DD is the card's last day */
    char *sp = strrchr(ref, ' ');
    if (sp && chart_day_parse(sp + 1) >= 0) {
        snprintf(c->to_day, sizeof c->to_day, "%s", sp + 1);
        *sp = '\0';
    }
    size_t n = strlen(ref);
    while (n && ref[n - 1] == ' ')
        ref[--n] = '\0';
    char *start = ref;
    while (*start == ' ')
        start++;
    if (!*start) {
        app_message(app, MSG_INFO, "find a customer: an account number, MPAN/MPRN, postcode or name");
        return;
    }
    snprintf(c->ref, sizeof c->ref, "%s", start);
    c->card_open = false;
    c->day_detail = false;
    list_restart(&c->list);
    if (c->matches)
        customer_matches_free(c->matches);
    free(c->matches);
    c->matches = NULL;
    c->page_first = 1;
    fetch_matches(app, NULL, NULL, 0);
}

static const char *search_prompt(const struct app *app)
{
    return app->support_only ? "find customer (account or MPAN/MPRN [last day]): "
                             : "find customer (account, MPAN/MPRN, postcode or name [last day]): ";
}

void customer_prompt(struct app *app)
{
    app_prompt(app, PROMPT_CUSTOMER, search_prompt(app));
}

void customer_refine(struct app *app)
{
    app_prompt_text(app, PROMPT_CUSTOMER, search_prompt(app), app->customer.ref);
}

void customer_back(struct app *app)
{
    struct customer_state *c = &app->customer;
    if (c->card_open && c->day_detail)
        c->day_detail = false;
    else if (c->card_open && c->matches
             && (c->matches->n > 1 || c->matches->more_before || c->matches->more_after))
        c->card_open = false;
    else if (c->card_open)
        customer_prompt(app);
    app->dirty = true;
}

/* --- moving ---------------------------------------------------------------------------------- */

static void set_day(struct app *app, long day)
{
    struct customer_state *c = &app->customer;
    if (!c->card || !c->card->v.from_day)
        return;
    long from = chart_day_parse(c->card->v.from_day), to = chart_day_parse(c->card->v.to_day);
    if (day < from)
        day = from;
    if (day > to)
        day = to;
    chart_day_format(day, c->day, sizeof c->day);
    fetch_week(app);
    app->dirty = true;
}

void customer_step_day(struct app *app, int delta)
{
    struct customer_state *c = &app->customer;
    if (!c->card_open) {
        if (delta == 7 || delta == -7)
            list_move(&c->list, delta > 0 ? 1 : -1);
        return;
    }
    long day = chart_day_parse(c->day);
    if (day >= 0)
        set_day(app, day + delta);
}

void customer_scroll(struct app *app, int delta)
{
    struct customer_state *c = &app->customer;
    if (!c->card_open) {
        list_move(&c->list, delta);
        return;
    }
    c->scroll += delta;
    if (c->scroll < 0)
        c->scroll = 0;
    app->dirty = true;
}

void customer_toggle_days(struct app *app)
{
    struct customer_state *c = &app->customer;
    c->days = c->days == 30 ? 90 : 30;
    app_message(app, MSG_INFO, "the card shows %d days", c->days);
    if (c->card_open)
        fetch_card(app);
}

/* R: the card (or the search) again, as the server has it now. The refresh timer does
 * not do this: a customer's past days change only when a load brings late readings. */
void customer_reload(struct app *app)
{
    struct customer_state *c = &app->customer;
    dba_retry_now(app->db);
    if (c->card_open) {
        c->hh_asked[0] = '\0';
        fetch_card(app);
        app_message(app, MSG_INFO, "fetching %s again", c->ident.account_no ? c->ident.account_no : "the card");
    } else if (c->ref[0]) {
        char ref[sizeof c->ref];
        snprintf(ref, sizeof ref, "%s", c->ref);
        customer_search(app, ref);
    }
}

void customer_next_meter(struct app *app)
{
    struct customer_state *c = &app->customer;
    if (!c->card || c->card->v.nmeters < 2)
        return;
    c->meter = (c->meter + 1) % c->card->v.nmeters;
    fetch_week(app);
    app->dirty = true;
}

static void customer_select(struct app *app, long delta)
{
    struct customer_state *c = &app->customer;
    if (!c->card_open) {
        list_move(&c->list, delta);
        return;
    }
    if (!c->card || !c->card->v.from_day)
        return;
    if (delta == LONG_MIN)
        set_day(app, chart_day_parse(c->card->v.from_day));
    else if (delta == LONG_MAX)
        set_day(app, chart_day_parse(c->card->v.to_day));
    else
        customer_step_day(app, (int)delta);
}

static void customer_activate(struct app *app)
{
    struct customer_state *c = &app->customer;
    if (!c->card_open) {
        size_t i = list_selected(&c->list);
        if (i != (size_t)-1)
            open_card(app, i);
        return;
    }
    if (!c->card)
        return;
    c->day_detail = !c->day_detail;
    /* the half-hours, or the week again, come into sight */
    if (c->heat_line < c->scroll || c->heat_line > c->scroll + c->card_h / 2)
        c->scroll = c->heat_line;
}

static void customer_click(struct app *app, int row)
{
    if (!app->customer.card_open)
        table_click(&app->customer.list, 1, row);
}

static void customer_enter(struct app *app)
{
    if (!app->customer.ref[0] && !app->msg[0])
        app_message(app, MSG_INFO, "/ finds a customer by account number, MPAN/MPRN, postcode or name");
}

/* --- the matches, drawn ---------------------------------------------------------------------- */

/* One column marking the selected line: the arrow, or '>' where the ASCII arrow is wider. */
static const char *marker(const struct screen *s)
{
    return s->g.utf8 ? s->g.arrow : ">";
}

static const char *or_dash(const char *s)
{
    return s && *s ? s : "-";
}

static void match_cell(void *ctx, size_t r, int col, int width, char *buf, size_t len, int *role)
{
    (void)width;
    struct app *app = ctx;
    const struct customer_ident *m = &app->customer.matches->items[r];
    switch (col) {
    case 0: snprintf(buf, len, "%s", or_dash(m->account_no)); break;
    case 1:
        snprintf(buf, len, "%s", or_dash(m->name));
        if (m->masked)
            *role = ROLE_DIM;
        break;
    case 2: { /* the outward code: what tells customers apart when the rest is masked */
        const char *p = m->postcode ? m->postcode : "";
        size_t n = strcspn(p, " ");
        snprintf(buf, len, "%.*s", (int)n, n ? p : "-");
        break;
    }
    case 3: snprintf(buf, len, "%s", or_dash(m->postcode)); break;
    case 4: snprintf(buf, len, "%d", m->meters); break;
    case 5: snprintf(buf, len, "%s", or_dash(m->fuels)); break;
    case 6: snprintf(buf, len, "%s", or_dash(m->matched_by)); break;
    }
}

static void draw_matches(struct app *app, WINDOW *w, int top, int h, int width)
{
    struct customer_state *c = &app->customer;
    const struct screen *s = &app->scr;
    char line[400];
    const struct customer_matches *m = c->matches;
    if (!c->ref[0] && app->support_only)
        snprintf(line, sizeof line, " Customer  / finds one by account number or MPAN/MPRN (:customer REF [last day])");
    else if (!c->ref[0])
        snprintf(line, sizeof line, " Customer  / finds one by account number, MPAN/MPRN, postcode or name "
                                    "(:customer REF [last day])");
    else if (!m)
        snprintf(line, sizeof line, " Customers matching '%s'  %s", c->ref, c->list.err[0] ? "" : "searching...");
    else if (m->capped)
        snprintf(line, sizeof line, " Customers matching '%s'  %d+ matches, refine (r)  %s  %d-%d listed, strongest first; "
                                    "PgDn/PgUp pages", c->ref, m->total, s->g.dash, c->page_first,
                 c->page_first + m->n - 1);
    else if (m->more_before || m->more_after)
        snprintf(line, sizeof line, " Customers matching '%s'  %d matches  %s  %d-%d listed, strongest first; "
                                    "PgDn/PgUp pages, r refines", c->ref, m->total, s->g.dash, c->page_first,
                 c->page_first + m->n - 1);
    else if (m->n == 0 && app->support_only)
        snprintf(line, sizeof line, " Customers matching '%s'  none (the support desk finds by account number or "
                                    "MPAN/MPRN: names and postcodes are masked)", c->ref);
    else
        snprintf(line, sizeof line, " Customers matching '%s'  %d, strongest first%s", c->ref, m->n,
                 m->n == 0 ? " (none: try a postcode or an account number)" : "");
    int x = draw_text(w, top, 0, width, s->attr[ROLE_TITLE], line, s->g.ellipsis);
    if (c->list.err[0]) {
        x += draw_text(w, top, x, width - x, s->attr[ROLE_NORMAL], "   ", NULL);
        x += draw_text(w, top, x, width - x, s->attr[ROLE_ERROR], c->list.err, s->g.ellipsis);
    }
    draw_fill(w, top, x, width - x, s->attr[ROLE_NORMAL]);
    static const struct table_col cols[] = {
        { "Account", 12, 0 }, { "Name", 0, 0 }, { "District", 8, 0 }, { "Postcode", 9, 0 },
        { "Meters", 6, 1 }, { "Fuel", 17, 0 }, { "Matched by", 10, 0 },
    };
    table_draw(app, w, top + 1, h - 1, width, cols, 7, &c->list, match_cell, app, -1);
}

/* --- the card, drawn ---------------------------------------------------------------------------- */

/* Lines of the card below its two fixed lines, scrolled: row() is the window row of the
 * next line, or -1 when that line is scrolled out of sight. */
struct canvas {
    struct app *app;
    WINDOW *w;
    int top, h, width, y;
    const struct screen *s;
};

static int row(struct canvas *cv)
{
    int r = cv->y++ - cv->app->customer.scroll;
    return r >= 0 && r < cv->h ? cv->top + r : -1;
}

static void put_line(struct canvas *cv, int role, const char *text)
{
    int y = row(cv);
    if (y < 0)
        return;
    int x = draw_text(cv->w, y, 0, cv->width, cv->s->attr[role], text, cv->s->g.ellipsis);
    draw_fill(cv->w, y, x, cv->width - x, cv->s->attr[ROLE_NORMAL]);
}

/* Words of text over as many lines as it takes, the first after lead, the rest indented.
 * Without UTF-8, '£' in the database's sentences becomes "GBP " (as `meterops customer`). */
static void put_wrapped(struct canvas *cv, int role, const char *lead, const char *utf8_text)
{
    char text[1024];
    size_t o = 0;
    for (const char *q = utf8_text; *q && o + 5 < sizeof text; q++) {
        if (!cv->s->g.utf8 && strncmp(q, "\u00a3", 2) == 0) {
            memcpy(text + o, "GBP ", 4);
            o += 4;
            q++;
        } else {
            text[o++] = *q;
        }
    }
    text[o] = '\0';
    int indent = text_width(lead), room = cv->width - indent - 1;
    if (room < 20)
        room = 20;
    const char *p = text;
    bool first = true;
    while (*p) {
        /* take words while they fit */
        const char *end = p, *cut = NULL;
        int wdt = 0;
        while (*end) {
            const char *word_end = end;
            while (*word_end && *word_end != ' ')
                word_end++;
            char word[512];
            snprintf(word, sizeof word, "%.*s", (int)(word_end - end), end);
            int ww = text_width(word) + (cut ? 1 : 0);
            if (cut && wdt + ww > room)
                break;
            wdt += ww;
            cut = word_end;
            end = *word_end ? word_end + 1 : word_end;
        }
        if (!cut)
            cut = end;
        char out[600];
        snprintf(out, sizeof out, "%*s%s%.*s", first ? 0 : indent, "", first ? lead : "", (int)(cut - p), p);
        put_line(cv, role, out);
        first = false;
        p = cut;
        while (*p == ' ')
            p++;
    }
}

static double wh_of(const char *kwh)
{
    return kwh ? llround(strtod(kwh, NULL) * 1000) : 0;
}

static const struct customer_day *day_of(const struct customer_meter *m, const char *date)
{
    for (int i = 0; i < m->ndays; i++)
        if (m->days[i].date && strcmp(m->days[i].date, date) == 0)
            return &m->days[i];
    return NULL;
}

/* Pounds with the locale's sign: "£12.34", "-£0.45", "GBP 12.34" without UTF-8. */
static void money(const struct screen *s, const char *gbp, char *buf, size_t len)
{
    if (!gbp) {
        snprintf(buf, len, "not priced");
        return;
    }
    bool neg = gbp[0] == '-';
    snprintf(buf, len, "%s%s%s", neg ? "-" : "", s->g.utf8 ? "\u00a3" : "GBP ", gbp + (neg ? 1 : 0));
}

static const char *fuel_name(const char *fuel)
{
    return fuel && strcmp(fuel, "elec") == 0 ? "electricity" : fuel ? fuel : "?";
}

static void draw_meters(struct canvas *cv)
{
    const struct customer_state *c = &cv->app->customer;
    const struct customer_view *v = &c->card->v;
    char line[400], cost[48];
    snprintf(line, sizeof line, "   %-15s %-5s %-9s %-24s %12s %12s %11s", "MPAN/MPRN", "Fuel", "Direction", "Tariff", "kWh",
             "Cost", "Readings");
    put_line(cv, ROLE_TITLE, line);
    for (int i = 0; i < v->nmeters; i++) {
        const struct customer_meter *m = &v->meters[i];
        char tariff[64], data[32];
        snprintf(tariff, sizeof tariff, "%s%s%s", or_dash(m->tariff_code), m->tariff_name ? " " : "",
                 m->tariff_name ? m->tariff_name : "");
        money(cv->s, m->cost_gbp, cost, sizeof cost);
        snprintf(data, sizeof data, "%ld/%ld", m->intervals, m->expected);
        snprintf(line, sizeof line, " %s %-15s %-5s %-9s %-24.24s %12s %12s %11s%s", i == c->meter ? marker(cv->s) : " ",
                 or_dash(m->mpxn), or_dash(m->fuel), m->export ? "export" : "import", tariff, or_dash(m->kwh), cost, data,
                 m->export ? "  not use" : "");
        put_line(cv, m->intervals < m->expected ? ROLE_WARN : ROLE_NORMAL, line);
    }
    money(cv->s, v->cost_gbp, cost, sizeof cost);
    if (v->elec_export_kwh && wh_of(v->elec_export_kwh) != 0)
        snprintf(line, sizeof line, "   Electricity used %s kWh, exported %s kWh (not counted as use), net %s kWh.  Total cost %s",
                 or_dash(v->elec_import_kwh), v->elec_export_kwh, or_dash(v->elec_net_kwh), cost);
    else
        snprintf(line, sizeof line, "   Electricity used %s kWh.  Total cost %s", or_dash(v->elec_import_kwh), cost);
    put_line(cv, ROLE_NORMAL, line);
}

/* Export of the same fuel as m on date, over the customer's export meters (Wh). */
static double export_wh(const struct customer_view *v, const struct customer_meter *m, const char *date, bool *any)
{
    double wh = 0;
    *any = false;
    for (int i = 0; i < v->nmeters; i++) {
        const struct customer_meter *x = &v->meters[i];
        if (!x->export || !x->fuel || !m->fuel || strcmp(x->fuel, m->fuel) != 0)
            continue;
        const struct customer_day *d = day_of(x, date);
        *any = true;
        if (d)
            wh += wh_of(d->kwh);
    }
    return wh;
}

static void draw_bars(struct canvas *cv)
{
    const struct customer_state *c = &cv->app->customer;
    const struct customer_view *v = &c->card->v;
    const struct customer_meter *m = charted(c);
    const struct screen *s = cv->s;
    char line[400];
    if (!m) {
        put_line(cv, ROLE_WARN, " This customer has no meters.");
        return;
    }
    double max = 0;
    for (int i = 0; i < m->ndays; i++)
        if (m->days[i].kwh_value > max)
            max = m->days[i].kwh_value;
    snprintf(line, sizeof line, " Daily kWh of %s, %s %s%s   largest day %.3f kWh", or_dash(m->mpxn), fuel_name(m->fuel),
             m->export ? "EXPORT" : "import", m->export ? " (not use)" : "", max);
    put_line(cv, ROLE_TITLE, line);
    int avail = cv->width - AXIS_W - 1, n = m->ndays, first = 0;
    int cw = n > 0 ? avail / n : 1;
    if (cw > 3)
        cw = 3;
    if (cw < 1) {
        cw = 1;
        first = n - avail; /* too narrow for every day: the latest ones */
    }
    int bw = cw > 1 ? cw - 1 : 1, sel = -1;
    for (int i = 0; i < n; i++)
        if (m->days[i].date && strcmp(m->days[i].date, c->day) == 0)
            sel = i;
    for (int r = BAR_ROWS - 1; r >= 0; r--) {
        int y = row(cv);
        if (y < 0)
            continue;
        char axis[32] = "";
        if (r == BAR_ROWS - 1)
            snprintf(axis, sizeof axis, "%9.3f", max);
        else if (r == 0)
            snprintf(axis, sizeof axis, "%9s", "0");
        int x = draw_text(cv->w, y, 0, AXIS_W, s->attr[ROLE_DIM], axis, NULL);
        draw_fill(cv->w, y, x, AXIS_W + 1 - x, s->attr[ROLE_NORMAL]);
        x = AXIS_W + 1;
        for (int i = first; i < n && x + cw <= cv->width; i++) {
            const struct customer_day *d = &m->days[i];
            int role = i == sel ? ROLE_MATCH : d->intervals < d->expected ? ROLE_WARN : m->export ? ROLE_CHART2 : ROLE_BAR;
            const char *g = chart_bar_glyph(d->kwh_value, max, BAR_ROWS, r, s->g.utf8);
            if (i == sel && strcmp(g, " ") == 0)
                role = ROLE_NORMAL;
            for (int k = 0; k < bw; k++)
                x += draw_text(cv->w, y, x, 1, s->attr[role], g, NULL);
            if (cw > bw) {
                draw_fill(cv->w, y, x, cw - bw, s->attr[ROLE_NORMAL]);
                x += cw - bw;
            }
        }
        draw_fill(cv->w, y, x, cv->width - x, s->attr[ROLE_NORMAL]);
    }
    /* the selected day marked under its bar, then the first and last dates */
    int y = row(cv);
    if (y >= 0) {
        draw_fill(cv->w, y, 0, cv->width, s->attr[ROLE_NORMAL]);
        if (sel >= first)
            draw_text(cv->w, y, AXIS_W + 1 + (sel - first) * cw, 1, s->attr[ROLE_MATCH], "^", NULL);
    }
    y = row(cv);
    if (y >= 0) {
        draw_fill(cv->w, y, 0, cv->width, s->attr[ROLE_NORMAL]);
        if (n > 0) {
            draw_text(cv->w, y, AXIS_W + 1, 10, s->attr[ROLE_DIM], m->days[first].date ? m->days[first].date : "", NULL);
            int lx = AXIS_W + 1 + (n - first) * cw - 10;
            if (lx > AXIS_W + 12)
                draw_text(cv->w, y, lx, 10, s->attr[ROLE_DIM], m->days[n - 1].date ? m->days[n - 1].date : "", NULL);
        }
    }
    const struct customer_day *d = sel >= 0 ? &m->days[sel] : NULL;
    if (!d) {
        put_line(cv, ROLE_DIM, " no day selected");
        return;
    }
    long day = chart_day_parse(d->date);
    char cost[48], exp[160] = "";
    money(s, d->cost_gbp, cost, sizeof cost);
    bool any = false;
    double xwh = m->export ? 0 : export_wh(v, m, d->date, &any);
    if (any)
        snprintf(exp, sizeof exp, "   beside it: export %.3f kWh (not use), net %.3f kWh", xwh / 1000,
                 (wh_of(d->kwh) - xwh) / 1000);
    snprintf(line, sizeof line, " %s %s  %s %s kWh  %s  %d/%d half-hours%s%s", chart_weekday_names[chart_weekday(day)],
             d->date, m->export ? "exported" : "used", or_dash(d->kwh), cost, d->intervals, d->expected,
             d->intervals < d->expected ? " (readings missing)" : "", exp);
    put_line(cv, ROLE_KEY, line);
}

/* The half-hours of one day within the fetched week: first index and count. */
static int hh_day(const struct custview_halfhours *h, const char *date, int *count)
{
    int first = -1;
    *count = 0;
    for (int i = 0; h && i < h->n; i++) {
        if (strcmp(h->hh[i].day, date) == 0) {
            if (first < 0)
                first = i;
            (*count)++;
        }
    }
    return first;
}

static void draw_heatmap(struct canvas *cv)
{
    const struct customer_state *c = &cv->app->customer;
    const struct screen *s = cv->s;
    const struct custview_halfhours *h = c->hh;
    char line[400];
    long sel = chart_day_parse(c->day), monday = chart_week_start(sel);
    char mon[11];
    chart_day_format(monday, mon, sizeof mon);
    if (!h) {
        snprintf(line, sizeof line, " Half-hours, week of Mon %s  %s", mon, c->hh_err[0] ? c->hh_err : "loading...");
        put_line(cv, c->hh_err[0] ? ROLE_ERROR : ROLE_DIM, line);
        return;
    }
    int max = 0;
    for (int i = 0; i < h->n; i++)
        if (!h->hh[i].missing && h->hh[i].wh > max)
            max = h->hh[i].wh;
    snprintf(line, sizeof line, " Half-hours, week of Mon %s (%s; darker is more, the largest %.3f kWh)", mon, h->mpxn,
             max / 1000.0);
    put_line(cv, ROLE_TITLE, line);
    int y = row(cv);
    if (y >= 0) { /* hours along the top, every 3 hours of a 48-slot day */
        draw_fill(cv->w, y, 0, cv->width, s->attr[ROLE_NORMAL]);
        for (int hr = 0; hr < 24; hr += 3) {
            char lab[12];
            snprintf(lab, sizeof lab, "%02d", hr);
            if (HEAT_LABEL_W + hr * 2 + 2 <= cv->width)
                draw_text(cv->w, y, HEAT_LABEL_W + hr * 2, 2, s->attr[ROLE_DIM], lab, NULL);
        }
    }
    for (long day = monday; day < monday + 7; day++) {
        char date[11];
        chart_day_format(day, date, sizeof date);
        int n, i0 = hh_day(h, date, &n);
        y = row(cv);
        if (y < 0)
            continue;
        int month = atoi(date + 5) - 1;
        snprintf(line, sizeof line, "%s%s %s %s", day == sel ? marker(s) : " ", chart_weekday_names[chart_weekday(day)],
                 date + 8, chart_month_names[month >= 0 && month < 12 ? month : 0]);
        int x = draw_text(cv->w, y, 0, HEAT_LABEL_W, s->attr[day == sel ? ROLE_SELECTION : ROLE_NORMAL], line, NULL);
        draw_fill(cv->w, y, x, HEAT_LABEL_W - x, s->attr[ROLE_NORMAL]);
        x = HEAT_LABEL_W;
        int missing = 0;
        long total = 0;
        for (int k = 0; k < n && x < cv->width; k++) {
            const struct custview_halfhour *hh = &h->hh[i0 + k];
            int level = hh->missing ? -1 : chart_level(hh->wh, max);
            missing += hh->missing;
            total += hh->missing ? 0 : hh->wh;
            int role = level < 0 ? ROLE_NORMAL : level == 0 ? ROLE_DIM : ROLE_CHART1 + level - 1;
            x += draw_text(cv->w, y, x, 1, s->attr[role], chart_heat_glyph(level, s->g.utf8), NULL);
        }
        x += draw_text(cv->w, y, x, cv->width - x, s->attr[ROLE_NORMAL], " ", NULL);
        if (n == 0 || missing == n)
            snprintf(line, sizeof line, "%s", n == 0 ? "" : "no readings");
        else
            snprintf(line, sizeof line, "%2d hh %7.3f kWh%s", n, total / 1000.0, missing ? "" : "");
        if (n && missing && missing < n)
            snprintf(line + strlen(line), sizeof line - strlen(line), ", %d missing", missing);
        x += draw_text(cv->w, y, x, cv->width - x, s->attr[missing ? ROLE_WARN : ROLE_DIM], line, NULL);
        draw_fill(cv->w, y, x, cv->width - x, s->attr[ROLE_NORMAL]);
    }
    snprintf(line, sizeof line, "   %s nothing  %s %s %s %s quarters of the week's largest half-hour   blank: missing   Enter: the day",
             chart_heat_glyph(0, s->g.utf8), chart_heat_glyph(1, s->g.utf8), chart_heat_glyph(2, s->g.utf8),
             chart_heat_glyph(3, s->g.utf8), chart_heat_glyph(4, s->g.utf8));
    put_line(cv, ROLE_DIM, line);
}

static void draw_day(struct canvas *cv)
{
    const struct customer_state *c = &cv->app->customer;
    const struct screen *s = cv->s;
    const struct custview_halfhours *h = c->hh;
    char line[400];
    int n, i0 = hh_day(h, c->day, &n);
    if (!h || i0 < 0) {
        snprintf(line, sizeof line, " Half-hours of %s  %s", c->day, c->hh_err[0] ? c->hh_err : "loading...");
        put_line(cv, c->hh_err[0] ? ROLE_ERROR : ROLE_DIM, line);
        return;
    }
    int max = 0, missing = 0;
    long total = 0;
    for (int k = 0; k < n; k++) {
        const struct custview_halfhour *x = &h->hh[i0 + k];
        missing += x->missing;
        total += x->missing ? 0 : x->wh;
        if (!x->missing && x->wh > max)
            max = x->wh;
    }
    const char *why = n == 46 ? " (the clocks went forward: no 01:00 or 01:30)"
                    : n == 50 ? " (the clocks went back: 01:00 and 01:30 come twice)" : "";
    snprintf(line, sizeof line, " %s %s, %s: %d half-hours%s  %.3f kWh%s", chart_weekday_names[chart_weekday(chart_day_parse(c->day))],
             c->day, h->mpxn, n, why, total / 1000.0, missing ? "" : "");
    put_line(cv, ROLE_TITLE, line);
    if (missing) {
        snprintf(line, sizeof line, "   %d of %d half-hours missing", missing, n);
        put_line(cv, ROLE_WARN, line);
    }
    enum { CELL = 24 };
    int ncols = (cv->width - 1) / CELL;
    if (ncols < 1)
        ncols = 1;
    int rows = (n + ncols - 1) / ncols;
    for (int r = 0; r < rows; r++) {
        int y = row(cv);
        if (y < 0)
            continue;
        draw_fill(cv->w, y, 0, cv->width, s->attr[ROLE_NORMAL]);
        for (int col = 0; col < ncols; col++) {
            int k = col * rows + r;
            if (k >= n)
                break;
            const struct custview_halfhour *x = &h->hh[i0 + k];
            int at = 1 + col * CELL;
            char cell[64], bar[48];
            if (x->missing) {
                snprintf(cell, sizeof cell, "%s      - missing", x->local_start);
                draw_text(cv->w, y, at, CELL - 1, s->attr[ROLE_WARN], cell, NULL);
                continue;
            }
            snprintf(cell, sizeof cell, "%s %6.3f ", x->local_start, x->wh / 1000.0);
            int cx = at + draw_text(cv->w, y, at, CELL - 1, s->attr[ROLE_NORMAL], cell, NULL);
            chart_hbar(x->wh, max, CELL - 1 - (cx - at), s->g.utf8, bar, sizeof bar);
            draw_text(cv->w, y, cx, CELL - 1 - (cx - at), s->attr[ROLE_CHART1 + chart_level(x->wh, max) - (x->wh > 0 ? 1 : 0)],
                      bar, NULL);
        }
    }
    put_line(cv, ROLE_DIM, "   Esc or Enter: back to the week");
}

static void draw_months(struct canvas *cv)
{
    const struct custview_card *card = cv->app->customer.card;
    char line[400], cost[48];
    snprintf(line, sizeof line, "   %-9s %5s %14s %14s %12s %14s", "Month", "Days", "Used kWh", "Exported kWh", "Gas kWh",
             "Cost");
    put_line(cv, ROLE_TITLE, line);
    for (int i = 0; i < card->nmonths; i++) {
        const struct custview_month *m = &card->months[i];
        int mo = atoi(m->month + 5) - 1;
        char label[16];
        snprintf(label, sizeof label, "%s %.4s", chart_month_names[mo >= 0 && mo < 12 ? mo : 0], m->month);
        money(cv->s, m->cost_gbp, cost, sizeof cost);
        snprintf(line, sizeof line, "   %-9s %5d %14s %14s %12s %14s", label, m->days, or_dash(m->elec_import_kwh),
                 or_dash(m->elec_export_kwh), or_dash(m->gas_kwh), cost);
        put_line(cv, ROLE_NORMAL, line);
    }
}

static void draw_card(struct app *app, WINDOW *w, int top, int h, int width)
{
    struct customer_state *c = &app->customer;
    const struct screen *s = &app->scr;
    const struct customer_ident *id = &c->ident;
    char line[600];
    snprintf(line, sizeof line, " %s  %s  %s  %s  %s%s", or_dash(id->account_no), or_dash(id->name), or_dash(id->postcode),
             or_dash(id->email), or_dash(id->phone), id->masked ? "   (personal data masked for the support desk)" : "");
    int x = draw_text(w, top, 0, width, s->attr[ROLE_TITLE], line, s->g.ellipsis);
    draw_fill(w, top, x, width - x, s->attr[ROLE_NORMAL]);
    const struct custview_card *card = c->card;
    if (card && card->v.from_day)
        snprintf(line, sizeof line, " %d days, %s to %s (Europe/London days)%s%s", c->days, card->v.from_day,
                 card->v.to_day, c->card_inflight ? "   loading..." : "", c->card_err[0] ? "   " : "");
    else
        snprintf(line, sizeof line, " %s", c->card_err[0] ? "" : "loading...");
    x = draw_text(w, top + 1, 0, width, s->attr[ROLE_DIM], line, NULL);
    if (c->card_err[0])
        x += draw_text(w, top + 1, x, width - x, s->attr[ROLE_ERROR], c->card_err, s->g.ellipsis);
    draw_fill(w, top + 1, x, width - x, s->attr[ROLE_NORMAL]);
    struct canvas cv = { .app = app, .w = w, .top = top + 2, .h = h - 2, .width = width, .y = 0, .s = s };
    if (card) {
        draw_meters(&cv);
        put_line(&cv, ROLE_NORMAL, "");
        draw_bars(&cv);
        put_line(&cv, ROLE_NORMAL, "");
        c->heat_line = cv.y;
        if (c->day_detail)
            draw_day(&cv);
        else
            draw_heatmap(&cv);
        put_line(&cv, ROLE_NORMAL, "");
        draw_months(&cv);
        put_line(&cv, ROLE_NORMAL, "");
        put_line(&cv, ROLE_TITLE, " Insights");
        for (int i = 0; i < card->v.ninsights; i++)
            put_wrapped(&cv, ROLE_NORMAL, s->g.utf8 ? "   \u2022 " : "   - ", or_dash(card->v.insights[i].message));
        if (card->v.ninsights == 0)
            put_line(&cv, ROLE_DIM, "   none for this period");
    }
    /* the card ends where its lines end: nothing scrolls past the last one */
    int total = cv.y;
    c->card_h = cv.h;
    if (c->scroll > 0 && c->scroll > total - cv.h) {
        c->scroll = total - cv.h > 0 ? total - cv.h : 0;
        app->dirty = true;
    }
    int used = cv.y - c->scroll;
    for (int y = used < 0 ? 0 : used; y < cv.h; y++)
        draw_fill(w, cv.top + y, 0, width, s->attr[ROLE_NORMAL]);
}

static void customer_draw(struct app *app, WINDOW *w, int top, int h, int width)
{
    if (app->customer.card_open)
        draw_card(app, w, top, h, width);
    else
        draw_matches(app, w, top, h, width);
}

const struct view_ops view_customer = {
    .name = "customer", .title = "Customer", .enter = customer_enter, .draw = customer_draw,
    .select = customer_select, .activate = customer_activate, .click = customer_click, .init = customer_init,
};
