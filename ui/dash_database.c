/* dash_database.c - the dashboard's Database section: connections, cache hits, the longest
 * transaction, lock waits, replicas and size. */
#include "backend/textfmt.h"
#include "ui/dash_section.h"

static unsigned database_section_fetch(struct app *app, long long now_ms)
{
    (void)app, (void)now_ms;
    return DASH_HEALTH;
}

/* The labels, and the shorter ones used when the section has one line that the long
 * ones would overflow (80x24 with every section shown): the line's end (replicas, size)
 * must not be cut off. */
static const char *const long_labels[] = { "connections", "cache hit", "longest xact", "lock waits", "replicas", "size" };
static const char *const short_labels[] = { "conns", "hit", "xact", "locks", "repl", "size" };

static void health_line(struct dash_line *l, const struct dash_health *hh)
{
    char a[48], b[48];
    const char *const *k = l->limit - l->y <= 1 && l->width < 104 ? short_labels : long_labels;
    int pct = hh->max_connections ? 100 * hh->connections / hh->max_connections : 0;
    dash_pair(l, k[0], pct > 90 ? ROLE_ERROR : pct > 75 ? ROLE_WARN : ROLE_NORMAL, "%d/%d",
              hh->connections, hh->max_connections);
    if (hh->cache_hit_pct >= 0)
        dash_pair(l, k[1], hh->cache_hit_pct < 90 ? ROLE_WARN : ROLE_NORMAL, "%.1f%%", hh->cache_hit_pct);
    else
        dash_pair(l, k[1], ROLE_NORMAL, "-");
    dash_pair(l, k[2], ROLE_NORMAL, "%s",
              hh->longest_xact_s < 0 ? "none" : fmt_duration(a, sizeof a, hh->longest_xact_s));
    dash_pair(l, k[3], hh->waiting_on_locks ? ROLE_WARN : ROLE_NORMAL, "%d", hh->waiting_on_locks);
    if (hh->replicas)
        dash_pair(l, k[4], ROLE_NORMAL, "%d lag %.0fs", hh->replicas, hh->replica_lag_s < 0 ? 0 : hh->replica_lag_s);
    else
        dash_pair(l, k[4], ROLE_NORMAL, "none");
    dash_pair(l, k[5], ROLE_NORMAL, "%s", fmt_bytes(b, sizeof b, hh->db_bytes));
}

static int database_section_draw(const struct dash_frame *f, int y)
{
    const struct dashboard *d = f->d;
    bool ok = d->parts_ok & DASH_HEALTH;
    if (y < f->end)
        dash_rule(f, y++, "Database", ok ? d->health.server_version : NULL);
    if (y < f->end) {
        struct dash_line l = dash_line_at(f, y);
        if (ok)
            health_line(&l, &d->health);
        else
            dash_unavailable(&l, d);
        dash_line_end(&l);
        y = l.y + 1;
    }
    return y;
}

const struct dash_section dash_database = {
    .name = "database", .fetch = database_section_fetch, .min_height = 2,
    .draw = database_section_draw,
};
