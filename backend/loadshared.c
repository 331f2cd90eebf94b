/* loadshared.c - see loadshared.h. */
#include "backend/loadshared.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/daytab.h"
#include "backend/db.h"
#include "backend/halfhour.h"
#include "backend/sql.h"

#define DEFAULT_DAY_BUDGET ((size_t)32 << 20)
#define DEFAULT_BATCH_MAX ((size_t)16 << 20) /* daywriter.c's */
#define MIN_BATCH_MAX ((size_t)4 << 20)

int load_shared_init(struct load_shared *sh, const struct loader_config *cfg,
                     const struct load_events *ev, struct mo_err *err)
{
    memset(sh, 0, sizeof *sh);
    pthread_mutex_init(&sh->ctl_mu, NULL);
    sh->conninfo = cfg->conninfo ? strdup(cfg->conninfo) : NULL;
    sh->owner = strdup(cfg->owner);
    sh->lease_seconds = cfg->lease_seconds > 0 ? cfg->lease_seconds : 60;
    sh->ev = *ev;
    if (cfg->tuning)
        sh->tuning = *cfg->tuning;
    else
        loader_tuning_defaults(&sh->tuning);
    size_t days = sh->tuning.open_days;
    /* what each file loading at once has of its own, shared out beyond two jobs so that
     * --jobs N does not multiply it (doc/loader.md, "Memory") */
    size_t jobs = cfg->jobs > 2 ? (size_t)cfg->jobs : 2;
    sh->day_budget = days ? days * daytab_day_bytes(48) : DEFAULT_DAY_BUDGET * 2 / jobs;
    sh->batch_max = jobs > 2 ? (DEFAULT_BATCH_MAX * 2 / jobs > MIN_BATCH_MAX ?
                                DEFAULT_BATCH_MAX * 2 / jobs : MIN_BATCH_MAX) : 0;
    if (sh->day_budget < 2 * daytab_day_bytes(96))
        sh->day_budget = 2 * daytab_day_bytes(96);
    if (!sh->owner || (cfg->conninfo && !sh->conninfo))
        return mo_err_set(err, "out_of_memory", "out of memory");
    return 0;
}

void load_shared_free(struct load_shared *sh)
{
    PQfinish(sh->ctl);
    free(sh->conninfo);
    free(sh->owner);
    pthread_mutex_destroy(&sh->ctl_mu);
    memset(sh, 0, sizeof *sh);
}

void load_notice(const struct load_shared *sh, const char *fmt, ...)
{
    if (atomic_load(&sh->muted))
        return;
    char buf[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    /* libpq's messages run over several lines; a notice is one */
    char *o = buf;
    for (char *p = buf; *p; p++) {
        if (*p == '\n' || *p == '\t') {
            if (o > buf && o[-1] != ' ')
                *o++ = ' ';
        } else {
            *o++ = *p;
        }
    }
    while (o > buf && o[-1] == ' ')
        o--;
    *o = '\0';
    if (sh->ev.notice)
        sh->ev.notice(sh->ev.ctx, buf);
}

static void sleep_ms(int ms)
{
    struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

static void quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

void load_quiet(PGconn *conn)
{
    PQsetNoticeProcessor(conn, quiet_notices, NULL);
}

PGconn *load_connect(const struct load_shared *sh, const char *app, struct mo_err *err)
{
    const struct db_session session = { .kind = DB_LOADER, .app_name = app };
    PGconn *c = db_connect(sh->conninfo, &session, err);
    if (!c)
        return NULL;
    load_quiet(c);
    return c;
}

int load_reconnect(const struct load_shared *sh, PGconn **conn, const char *what)
{
    int wait = 500, total = 0;
    struct mo_err err;
    for (;;) {
        if (*conn && PQstatus(*conn) == CONNECTION_OK)
            return 0;
        PQfinish(*conn);
        *conn = NULL;
        mo_err_clear(&err);
        *conn = load_connect(sh, what, &err);
        if (*conn) {
            load_notice(sh, "connected to the database again (%s)", what);
            return 0;
        }
        if (load_stopping(sh) || total >= 120000) {
            load_notice(sh, "giving up reconnecting (%s): %s", what, err.message);
            return -1;
        }
        if (total == 0) /* one notice per outage, not one per attempt */
            load_notice(sh, "cannot reach the database (%s): %s; retrying for up to two "
                        "minutes", what, err.message);
        sleep_ms(wait);
        total += wait;
        wait = wait * 2 > 10000 ? 10000 : wait * 2;
    }
}

/* Runs the named query on the control connection, reconnecting once if it was lost. */
static PGresult *ctl_query(struct load_shared *sh, enum sql_query name, int n,
                           const char *const *p, struct mo_err *err)
{
    pthread_mutex_lock(&sh->ctl_mu);
    PGresult *res = NULL;
    for (int tries = 0; tries < 2; tries++) {
        if (!sh->ctl || PQstatus(sh->ctl) != CONNECTION_OK) {
            PQfinish(sh->ctl);
            sh->ctl = load_connect(sh, "meterops load (control)", err);
            if (!sh->ctl)
                break;
        }
        res = db_query(sh->ctl, name, n, p, err);
        if (res || PQstatus(sh->ctl) == CONNECTION_OK)
            break;
    }
    pthread_mutex_unlock(&sh->ctl_mu);
    return res;
}

int load_ensure_partition(void *ctx, int64_t day, struct mo_err *err)
{
    struct load_shared *sh = ctx;
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    char from[16], to[16];
    snprintf(from, sizeof from, "%04d-%02d-01", y, m);
    snprintf(to, sizeof to, "%04d-%02d-%02d", y, m, days_in_month(y, m));
    const char *p[2] = { from, to };
    PGresult *res = ctl_query(sh, SQL_LOAD_ENSURE_PARTITIONS, 2, p, err);
    if (!res)
        return -1;
    if (atoi(PQgetvalue(res, 0, 0)) > 0)
        load_notice(sh, "made the reading_day partition for %04d-%02d", y, m);
    PQclear(res);
    return 0;
}

int load_next_ids(void *ctx, int64_t *ids, int n, struct mo_err *err)
{
    struct load_shared *sh = ctx;
    char sn[16];
    snprintf(sn, sizeof sn, "%d", n);
    const char *p[1] = { sn };
    PGresult *res = ctl_query(sh, SQL_LOAD_METER_IDS, 1, p, err);
    if (!res)
        return -1;
    for (int i = 0; i < n && i < PQntuples(res); i++)
        ids[i] = strtoll(PQgetvalue(res, i, 0), NULL, 10);
    PQclear(res);
    return 0;
}
