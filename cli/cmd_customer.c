/* meterops customer REF [--db C] [--days N] [--to DATE] [--json] [--after ACCOUNT |
 * --before ACCOUNT] [--page N]: the support desk's view of one customer
 * (backend/fetch_customer.h): masked identity, meters, a daily table per meter with cost and
 * bars, totals and plain-language insights, as text for an 80-column terminal or as JSON.
 * Several matches are listed a page at a time (keyset: --after the last account shown,
 * --before the first). Exit 0 shown, 1 no customer or several (listed), 2 could not run. */
#include <ctype.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/fetch_customer.h"
#include "backend/halfhour.h"
#include "backend/jsonw.h"
#include "cli/cmd.h"
#include "cli/text.h"

enum { BAR_WIDTH = 32, WRAP_WIDTH = 78, DEFAULT_DAYS = 14, MAX_DAYS = 366 };

enum { O_DB, O_DAYS, O_TO, O_JSON, O_AFTER, O_BEFORE, O_PAGE, O_END };

static const struct cli_opt customer_opts[] = {
    [O_DB] = { "db", 'd', CLI_STRING, "CONNINFO", "connection (keyword string or URI); else PG* variables" },
    [O_DAYS] = { "days", 'n', CLI_INT, "N", "local (Europe/London) days to show, 1 to %d (default %d)",
                 1, MAX_DAYS },
    [O_TO] = { "to", 't', CLI_STRING, "DATE", "last day shown, YYYY-MM-DD (default yesterday)" },
    [O_JSON] = { "json", 'j', CLI_FLAG, NULL, "the same as JSON" },
    [O_AFTER] = { "after", 'A', CLI_STRING, "ACCOUNT", "list the page of matches after this account (the last shown)" },
    [O_BEFORE] = { "before", 'B', CLI_STRING, "ACCOUNT", "list the page of matches before this account (the first shown)" },
    [O_PAGE] = { "page", 'p', CLI_INT, "N", "matches listed a page, 1 to 200 (default 50)", 1, CUSTOMER_FIND_CAP },
    [O_END] = { 0 },
};

static const struct cli_spec customer_spec = {
    "customer",
    "Usage: meterops customer REF [--db CONNINFO] [--days N] [--to DATE] [--json]\n"
    "                         [--after ACCOUNT | --before ACCOUNT] [--page N]\n"
    "Shows one customer as the support desk sees it: identity (personal data masked\n"
    "unless you are an operator), meters, daily usage and cost, and insights.\n"
    "REF is an account number, MPAN or MPRN, postcode, or part of the name (at least\n"
    "3 characters); postcodes ignore case and spaces. The support desk searches by\n"
    "account number or MPAN/MPRN only (postcodes and names would unmask them).\n"
    "Several matches are listed a page at a time, strongest match first, then by name\n"
    "and account; more than 200 are counted as \"200+\": refine the search, or page\n"
    "with --after (the last account listed) and --before (the first).\n\n",
    customer_opts,
    "Exit status: 0 shown, 1 no customer or several match (they are listed),\n"
    "2 could not run (bad usage, no database, database error).\n",
};

static void customer_usage(FILE *out)
{
    cli_usage(out, &customer_spec, MAX_DAYS, DEFAULT_DAYS);
}

/* How text output may look: UTF-8 (block bars, "£") and colour. */
struct look {
    int unicode;
    int colour;
};

static struct look look_detect(void)
{
    struct look l = { 0, 0 };
    if (setlocale(LC_CTYPE, "")) {
        const char *cs = nl_langinfo(CODESET);
        l.unicode = cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
    }
    const char *no_colour = getenv("NO_COLOR"), *term = getenv("TERM");
    l.colour = isatty(STDOUT_FILENO) && !(no_colour && *no_colour) && !(term && strcmp(term, "dumb") == 0);
    return l;
}

enum style { PLAIN, HEADING, DIM, WARN, BAR };

static void style_on(const struct look *l, enum style s)
{
    static const char *const codes[] = { "", "\033[1m", "\033[2m", "\033[33m", "\033[36m" };
    if (l->colour && s != PLAIN)
        fputs(codes[s], stdout);
}

static void style_off(const struct look *l, enum style s)
{
    if (l->colour && s != PLAIN)
        fputs("\033[0m", stdout);
}

/* Database text for the terminal (see text_terminal). */
static void put(const struct look *l, const char *s)
{
    if (!s)
        return;
    size_t n = strlen(s) * 3 + 1;
    char *buf = malloc(n);
    if (!buf)
        return;
    text_terminal(buf, n, s, l->unicode);
    fputs(buf, stdout);
    free(buf);
}

/* s made safe and fitted to width columns (see text_fit), ready to print. */
static void put_fit(const struct look *l, const char *s, int width)
{
    char buf[512];
    char safe[512];
    text_terminal(safe, sizeof safe, s ? s : "", l->unicode);
    text_fit(buf, sizeof buf, safe, width, l->unicode);
    fputs(buf, stdout);
}

/* Columns s takes once made safe, as put_fit prints it: measured after text_terminal, as
 * without UTF-8 "£" prints as "GBP" and the locale gives other non-ASCII bytes no width. */
static int safe_width(const struct look *l, const char *s)
{
    char safe[512];
    text_terminal(safe, sizeof safe, s ? s : "", l->unicode);
    return text_width(safe);
}

/* Characters in s, as PostgreSQL's length() counts them (a name search needs 3). */
static int utf8_chars(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static const char *fuel_name(const char *fuel)
{
    return fuel && strcmp(fuel, "elec") == 0 ? "electricity" : fuel ? fuel : "";
}

static const char *matched_name(const char *by)
{
    if (!by)
        return "";
    if (strcmp(by, "account_no") == 0)
        return "account";
    if (strcmp(by, "mpxn") == 0)
        return "MPAN/MPRN";
    return by;
}

/* ---- text ------------------------------------------------------------------------------ */

/* How to ask for the page after or before this one, for the hint lines. */
static void print_page_hint(const struct look *l, const char *ref, const char *what, const char *opt,
                            const char *account)
{
    printf("%s: meterops customer '", what);
    put(l, ref);
    printf("' %s ", opt);
    put(l, account);
    printf("\n");
}

static void print_matches(const struct look *l, const char *ref, const struct customer_matches *m)
{
    printf("'");
    put(l, ref);
    if (m->capped)
        printf("' matches %d+ customers (more than %d: refine the search):\n", m->total, CUSTOMER_FIND_CAP);
    else
        printf("' matches %d customers:\n", m->total);
    style_on(l, HEADING);
    printf("  %-12s  %-28s  %-9s  %6s  %s\n", "ACCOUNT", "NAME", "POSTCODE", "METERS", "MATCHED BY");
    style_off(l, HEADING);
    for (int i = 0; i < m->n; i++) {
        const struct customer_ident *c = &m->items[i];
        fputs("  ", stdout);
        put_fit(l, c->account_no, 12);
        fputs("  ", stdout);
        put_fit(l, c->name, 28);
        fputs("  ", stdout);
        put_fit(l, c->postcode, 9);
        printf("  %6d  %s\n", c->meters, matched_name(c->matched_by));
    }
    if (m->n > 0 && m->more_before)
        print_page_hint(l, ref, "Previous page", "--before", m->items[0].account_no);
    if (m->n > 0 && m->more_after)
        print_page_hint(l, ref, "Next page", "--after", m->items[m->n - 1].account_no);
    printf("Run `meterops customer ACCOUNT` for one of them.\n");
}

/* The identity, wrapped so that no line passes WRAP_WIDTH: the account, then each known
 * field (two spaces apart), a field that would pass the edge starting a new indented line;
 * a field too long for a line of its own is cut. */
static void print_identity(const struct look *l, const struct customer_ident *c)
{
    enum { INDENT = 9, FIELD_MAX = WRAP_WIDTH - INDENT };
    style_on(l, HEADING);
    fputs("Customer ", stdout);
    int acct_w = safe_width(l, c->account_no);
    if (acct_w > FIELD_MAX)
        acct_w = FIELD_MAX;
    put_fit(l, c->account_no, acct_w);
    style_off(l, HEADING);
    int col = INDENT + acct_w;
    const char *fields[4] = { c->name, c->postcode, c->email, c->phone };
    for (int i = 0; i < 4; i++) {
        if (!fields[i] || !*fields[i])
            continue;
        int w = safe_width(l, fields[i]);
        if (w > FIELD_MAX)
            w = FIELD_MAX;
        if (col + 2 + w > WRAP_WIDTH) {
            printf("\n%*s", INDENT, "");
            col = INDENT;
        } else {
            fputs("  ", stdout);
            col += 2;
        }
        put_fit(l, fields[i], w);
        col += w;
    }
    fputc('\n', stdout);
    if (c->masked) {
        style_on(l, DIM);
        printf("(personal data masked: sign in as an operator to see it in full)\n");
        style_off(l, DIM);
    }
}

/* A meter that changed tariff in the days shown: each tariff with its days and its part of
 * the cost (the parts add up to the meter's total, each rounded once from its exact sum). */
static void print_tariff_periods(const struct look *l, const struct customer_meter *m)
{
    if (m->ntariffs < 2)
        return;
    for (int i = 0; i < m->ntariffs; i++) {
        const struct customer_tariff_period *t = &m->tariffs[i];
        printf("    %s to %s  ", t->from_day ? t->from_day : "-", t->to_day ? t->to_day : "-");
        put_fit(l, t->tariff_name ? t->tariff_name : "(no tariff)", 24);
        printf("  %s kWh  cost %s\n", t->kwh ? t->kwh : "0",
               t->cost_gbp ? t->cost_gbp : "not known");
    }
}

static void print_meters(const struct look *l, const struct customer_view *v)
{
    style_on(l, HEADING);
    printf("\nMeters\n");
    style_off(l, HEADING);
    if (v->nmeters == 0) {
        printf("  none registered to this account\n");
        return;
    }
    style_on(l, HEADING);
    printf("  %-13s  %-4s  %-6s  %-24s  %-10s  %s\n", "MPXN", "FUEL", "READS", "TARIFF", "FROM", "TO");
    style_off(l, HEADING);
    for (int i = 0; i < v->nmeters; i++) {
        const struct customer_meter *m = &v->meters[i];
        fputs("  ", stdout);
        put_fit(l, m->mpxn, 13);
        fputs("  ", stdout);
        put_fit(l, m->export ? "exp" : m->fuel, 4);
        printf("  %2d min  ", m->interval_minutes);
        put_fit(l, m->tariff_name ? m->tariff_name : "(no tariff)", 24);
        printf("  %-10s", m->installed_on ? m->installed_on : "-");
        if (m->removed_on)
            printf("  %s", m->removed_on);
        fputc('\n', stdout);
        print_tariff_periods(l, m);
    }
}

static double meter_max_kwh(const struct customer_meter *m)
{
    double max = 0;
    for (int i = 0; i < m->ndays; i++)
        if (m->days[i].kwh_value > max)
            max = m->days[i].kwh_value;
    return max;
}

static void print_data_cell(const struct look *l, long present, long expected)
{
    char cell[48];
    snprintf(cell, sizeof cell, "%ld/%ld", present, expected);
    int short_of = present < expected;
    if (short_of)
        style_on(l, WARN);
    printf(" %9s", cell);
    if (short_of)
        style_off(l, WARN);
}

static void print_meter_days(const struct look *l, const struct customer_view *v, const struct customer_meter *m)
{
    const char *fuel = fuel_name(m->fuel);
    style_on(l, HEADING);
    printf("\n%c%s %s%s, %s to %s (Europe/London days)\n", toupper((unsigned char)fuel[0]), fuel[0] ? fuel + 1 : "",
           m->export ? "export " : "", m->mpxn, v->from_day, v->to_day);
    /* "COST £" is 6 columns but 7 bytes: padded by hand, not by printf. */
    printf("  %-10s  %-3s %8s %s  %-*s %9s\n", "DATE", "DAY", "kWh", l->unicode ? "  COST \xc2\xa3" : "COST GBP",
           BAR_WIDTH, m->export ? "EXPORT" : "USE", "DATA");
    style_off(l, HEADING);
    double max = meter_max_kwh(m);
    for (int i = 0; i < m->ndays; i++) {
        const struct customer_day *d = &m->days[i];
        char bar[BAR_WIDTH * 3 + 8];
        int cols = bar_draw(bar, sizeof bar, d->kwh_value, max, BAR_WIDTH, l->unicode);
        printf("  %-10s  %-3s %8s %8s  ", d->date, d->weekday, d->kwh, d->cost_gbp ? d->cost_gbp : "-");
        style_on(l, BAR);
        fputs(bar, stdout);
        style_off(l, BAR);
        printf("%*s", BAR_WIDTH - cols, "");
        print_data_cell(l, d->intervals, d->expected);
        fputc('\n', stdout);
    }
    printf("  %-15s %8s %8s  %*s", "Total", m->kwh ? m->kwh : "0.000", m->cost_gbp ? m->cost_gbp : "-", BAR_WIDTH, "");
    print_data_cell(l, m->intervals, m->expected);
    fputc('\n', stdout);
}

static int insight_is_warning(const char *kind)
{
    static const char *const warn[] = { "no_data", "missing", "estimated", "no_tariff", "no_meters" };
    for (size_t i = 0; i < sizeof warn / sizeof warn[0]; i++)
        if (kind && strcmp(kind, warn[i]) == 0)
            return 1;
    return 0;
}

/* "  - " then the message wrapped at WRAP_WIDTH with a hanging indent. */
static void print_insight(const struct look *l, const struct customer_insight *in)
{
    size_t n = strlen(in->message ? in->message : "") * 3 + 1;
    char *text = malloc(n);
    if (!text)
        return;
    text_terminal(text, n, in->message ? in->message : "", l->unicode);
    enum style s = insight_is_warning(in->kind) ? WARN : PLAIN;
    const char *p = text;
    int first = 1;
    while (*p) {
        size_t k = text_wrap(p, WRAP_WIDTH - 4);
        fputs(first ? "  - " : "    ", stdout);
        style_on(l, s);
        fwrite(p, 1, k, stdout);
        style_off(l, s);
        fputc('\n', stdout);
        p += k;
        while (*p == ' ')
            p++;
        first = 0;
    }
    free(text);
}

static int has_export(const struct customer_view *v)
{
    for (int i = 0; i < v->nmeters; i++)
        if (v->meters[i].export)
            return 1;
    return 0;
}

/* The latest read of each register of the meters that have register reads (D0010). */
static void print_register_reads(const struct look *l, const struct customer_view *v)
{
    int any = 0;
    for (int i = 0; i < v->nmeters; i++)
        any += v->meters[i].nregister_reads;
    if (!any)
        return;
    style_on(l, HEADING);
    printf("\nRegister reads, latest of each register (UK clock time)\n");
    style_off(l, HEADING);
    printf("  %-13s  %-12s  %-3s  %-19s  %14s  %-4s  %s\n", "MPXN", "METER", "REG", "READ AT",
           "READING", "TYPE", "FLAG");
    for (int i = 0; i < v->nmeters; i++) {
        const struct customer_meter *m = &v->meters[i];
        for (int k = 0; k < m->nregister_reads; k++) {
            const struct customer_register_read *r = &m->register_reads[k];
            printf("  %-13s  ", m->mpxn);
            put_fit(l, r->meter_serial, 12);
            printf("  %-3s  %-19s  %14s  %-4s  %s\n", r->register_id, r->read_at, r->reading,
                   r->reading_type ? r->reading_type : "-", r->reading_flag ? r->reading_flag : "-");
        }
    }
}

static void print_view(const struct look *l, const struct customer_ident *c, const struct customer_view *v, int days)
{
    print_identity(l, c);
    print_meters(l, v);
    for (int i = 0; i < v->nmeters; i++)
        print_meter_days(l, v, &v->meters[i]);
    print_register_reads(l, v);
    if (v->nmeters > 0) {
        if (v->cost_gbp)
            printf("\nCost of the %d day%s, all meters, standing charges included: %s%s\n", days,
                   days == 1 ? "" : "s", l->unicode ? "\xc2\xa3" : "GBP ", v->cost_gbp);
        else
            printf("\nCost of the %d day%s: not known (some days have no tariff)\n", days, days == 1 ? "" : "s");
        if (has_export(v) && v->elec_net_kwh)
            printf("Electricity: %s kWh used, %s kWh exported, net %s kWh (export is not use;\n"
                   "its earnings are in the cost as a credit)\n", v->elec_import_kwh,
                   v->elec_export_kwh, v->elec_net_kwh);
    }
    style_on(l, HEADING);
    printf("\nInsights\n");
    style_off(l, HEADING);
    if (v->ninsights == 0)
        printf("  none: no readings in this period\n");
    for (int i = 0; i < v->ninsights; i++)
        print_insight(l, &v->insights[i]);
}

/* ---- JSON ------------------------------------------------------------------------------ */

static void json_ident(struct jsonw *w, const struct customer_ident *c)
{
    jsonw_object_begin(w);
    jsonw_member_string(w, "account_no", c->account_no);
    jsonw_member_string(w, "name", c->name);
    jsonw_member_string(w, "postcode", c->postcode);
    jsonw_member_string(w, "email", c->email);
    jsonw_member_string(w, "phone", c->phone);
    jsonw_key(w, "masked"); jsonw_bool(w, c->masked);
    jsonw_member_string(w, "matched_by", c->matched_by);
    jsonw_member_int(w, "meters", c->meters);
    jsonw_object_end(w);
}

static void json_matches(const char *ref, const struct customer_matches *m)
{
    struct jsonw w;
    jsonw_init(&w, stdout, 2);
    jsonw_object_begin(&w);
    jsonw_member_string(&w, "ref", ref);
    jsonw_member_string(&w, "error", m->total == 0 ? "not_found" : "ambiguous");
    jsonw_member_int(&w, "count", m->total);
    jsonw_key(&w, "capped"); jsonw_bool(&w, m->capped);
    jsonw_member_string(&w, "before", m->n > 0 && m->more_before ? m->items[0].account_no : NULL);
    jsonw_member_string(&w, "after", m->n > 0 && m->more_after ? m->items[m->n - 1].account_no : NULL);
    jsonw_key(&w, "matches");
    jsonw_array_begin(&w);
    for (int i = 0; i < m->n; i++)
        json_ident(&w, &m->items[i]);
    jsonw_array_end(&w);
    jsonw_object_end(&w);
}

static void json_view(const struct customer_ident *c, const struct customer_view *v, int days)
{
    struct jsonw w;
    jsonw_init(&w, stdout, 2);
    jsonw_object_begin(&w);
    jsonw_key(&w, "customer");
    json_ident(&w, c);
    jsonw_member_string(&w, "from", v->from_day);
    jsonw_member_string(&w, "to", v->to_day);
    jsonw_member_int(&w, "days", days);
    jsonw_member_string(&w, "timezone", "Europe/London");
    jsonw_key(&w, "meters");
    jsonw_array_begin(&w);
    for (int i = 0; i < v->nmeters; i++) {
        const struct customer_meter *m = &v->meters[i];
        jsonw_object_begin(&w);
        jsonw_member_string(&w, "mpxn", m->mpxn);
        jsonw_member_string(&w, "fuel", m->fuel);
        jsonw_member_string(&w, "direction", m->direction);
        jsonw_member_int(&w, "interval_minutes", m->interval_minutes);
        jsonw_member_string(&w, "tariff_code", m->tariff_code);
        jsonw_member_string(&w, "tariff_name", m->tariff_name);
        jsonw_member_string(&w, "installed_on", m->installed_on);
        jsonw_member_string(&w, "removed_on", m->removed_on);
        jsonw_key(&w, "tariffs");
        jsonw_array_begin(&w);
        for (int k = 0; k < m->ntariffs; k++) {
            const struct customer_tariff_period *t = &m->tariffs[k];
            jsonw_object_begin(&w);
            jsonw_member_string(&w, "tariff_code", t->tariff_code);
            jsonw_member_string(&w, "tariff_name", t->tariff_name);
            jsonw_member_string(&w, "from", t->from_day);
            jsonw_member_string(&w, "to", t->to_day);
            jsonw_member_number(&w, "kwh", t->kwh);
            jsonw_member_number(&w, "cost_p", t->cost_p);
            jsonw_object_end(&w);
        }
        jsonw_array_end(&w);
        jsonw_key(&w, "days");
        jsonw_array_begin(&w);
        for (int k = 0; k < m->ndays; k++) {
            const struct customer_day *d = &m->days[k];
            jsonw_object_begin(&w);
            jsonw_member_string(&w, "date", d->date);
            jsonw_member_number(&w, "kwh", d->kwh);
            jsonw_member_number(&w, "cost_p", d->cost_p);
            jsonw_member_number(&w, "standing_p", d->standing_p);
            jsonw_member_int(&w, "intervals", d->intervals);
            jsonw_member_int(&w, "expected", d->expected);
            jsonw_object_end(&w);
        }
        jsonw_array_end(&w);
        jsonw_key(&w, "total");
        jsonw_object_begin(&w);
        jsonw_member_number(&w, "kwh", m->kwh);
        jsonw_member_number(&w, "cost_p", m->cost_p);
        jsonw_member_int(&w, "intervals", m->intervals);
        jsonw_member_int(&w, "expected", m->expected);
        jsonw_object_end(&w);
        jsonw_key(&w, "register_reads");
        jsonw_array_begin(&w);
        for (int k = 0; k < m->nregister_reads; k++) {
            const struct customer_register_read *r = &m->register_reads[k];
            jsonw_object_begin(&w);
            jsonw_member_string(&w, "meter_serial", r->meter_serial);
            jsonw_member_string(&w, "register_id", r->register_id);
            jsonw_member_string(&w, "read_at", r->read_at);
            jsonw_member_number(&w, "reading", r->reading);
            jsonw_member_string(&w, "reading_type", r->reading_type);
            jsonw_member_string(&w, "reading_flag", r->reading_flag);
            jsonw_member_string(&w, "reading_method", r->reading_method);
            jsonw_object_end(&w);
        }
        jsonw_array_end(&w);
        jsonw_object_end(&w);
    }
    jsonw_array_end(&w);
    jsonw_member_number(&w, "total_cost_p", v->cost_p);
    jsonw_key(&w, "electricity");
    jsonw_object_begin(&w);
    jsonw_member_number(&w, "import_kwh", v->elec_import_kwh);
    jsonw_member_number(&w, "export_kwh", v->elec_export_kwh);
    jsonw_member_number(&w, "net_kwh", v->elec_net_kwh);
    jsonw_object_end(&w);
    jsonw_key(&w, "insights");
    jsonw_array_begin(&w);
    for (int i = 0; i < v->ninsights; i++) {
        jsonw_object_begin(&w);
        jsonw_member_string(&w, "kind", v->insights[i].kind);
        jsonw_member_string(&w, "message", v->insights[i].message);
        jsonw_object_end(&w);
    }
    jsonw_array_end(&w);
    jsonw_object_end(&w);
}

/* ---- command --------------------------------------------------------------------------- */

static int customer_run(int argc, char **argv)
{
    const char *conninfo = NULL, *to_day = NULL, *after = NULL, *before = NULL;
    int days = DEFAULT_DAYS, json = 0, page = CUSTOMER_FIND_PAGE, k;
    struct cli_parser p;
    cli_parser_init(&p, &customer_spec, argc, argv);
    while ((k = cli_next(&p)) >= 0) {
        int64_t day;
        switch (k) {
        case O_DB: conninfo = p.arg; break;
        case O_DAYS: days = p.ival; break;
        case O_TO:
            if (date_parse(p.arg, strlen(p.arg), &day) < 0) {
                cli_error("customer", "--to '%s' is not a date YYYY-MM-DD", p.arg);
                return EXIT_FAIL;
            }
            to_day = p.arg;
            break;
        case O_JSON: json = 1; break;
        case O_AFTER: after = p.arg; break;
        case O_BEFORE: before = p.arg; break;
        case O_PAGE: page = p.ival; break;
        }
    }
    if (k == CLI_BAD)
        return EXIT_FAIL;
    if (k != CLI_DONE) {
        customer_usage(k == CLI_HELP ? stdout : stderr);
        return k == CLI_HELP ? EXIT_OK : EXIT_FAIL;
    }
    if (optind != argc - 1 || argv[optind][0] == '\0') {
        cli_error("customer", optind >= argc ? "which customer? give an account number, MPAN/MPRN, postcode or name"
                                             : "give exactly one REF (quote a name with spaces)");
        customer_usage(stderr);
        return EXIT_FAIL;
    }
    if (after && before) {
        cli_error("customer", "give --after or --before, not both");
        return EXIT_FAIL;
    }
    const char *ref = argv[optind];
    struct look look = look_detect();

    struct mo_err err;
    mo_err_clear(&err);
    struct customer_db *db = customer_open(conninfo, &err);
    if (!db) {
        cli_error("customer", "%s", err.message);
        return EXIT_FAIL;
    }
    struct customer_matches found = { 0 };
    struct customer_view view = { 0 };
    int rc = EXIT_FAIL;
    if (customer_find(db, ref, after, before, page, &found, &err) < 0) {
        cli_error("customer", "%s", err.message);
        goto done;
    }
    if (found.total != 1 || found.n != 1 || after || before) {
        if (json)
            json_matches(ref, &found);
        else if (found.n > 0)
            print_matches(&look, ref, &found);
        if (found.total == 0)
            cli_error("customer", "no customer matches '%s' (searched account numbers, MPAN/MPRN, postcodes%s;"
                      " the support desk searches by account number or MPAN/MPRN only)", ref,
                      utf8_chars(ref) >= 3 ? " and names" : "; names need at least 3 characters");
        rc = EXIT_PARTIAL;
        goto done;
    }
    if (customer_fetch(db, found.items[0].account_no, to_day, days, &view, &err) < 0) {
        cli_error("customer", "%s", err.message);
        goto done;
    }
    if (json)
        json_view(&found.items[0], &view, days);
    else
        print_view(&look, &found.items[0], &view, days);
    rc = fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
done:
    customer_view_free(&view);
    customer_matches_free(&found);
    customer_close(db);
    return rc;
}

const struct mo_cmd cmd_customer_entry = {
    "customer", "one customer's meters, usage, cost and insights (support desk)", customer_run,
    &customer_spec,
};
