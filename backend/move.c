/* move.c - `meterops migrate start` and `abort`, and what the move files share. */
#include "backend/move_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/migrate.h"

#define MOVE_NAME "meterops_move"

double move_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void move_nap_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

bool move_listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strstr(list, name); p && n; p = strstr(p + 1, name))
        if ((p == list || strchr("{, ", p[-1])) && (p[n] == '\0' || strchr("}, ", p[n])))
            return true;
    return false;
}

PGconn *move_connect(const char *conninfo, const char *side, struct mo_err *err)
{
    const struct db_session s = { .kind = DB_MIGRATE, .app_name = "meterops migrate" };
    PGconn *c = db_connect(conninfo, &s, err);
    if (!c && err) {
        char msg[sizeof err->message];
        snprintf(msg, sizeof msg, "%s", err->message);
        snprintf(err->message, sizeof err->message, "%s: %.480s", side, msg);
    }
    return c;
}

static void copy_col(const PGresult *r, int col, char *buf, size_t len)
{
    snprintf(buf, len, "%s", PQgetisnull(r, 0, col) ? "" : PQgetvalue(r, 0, col));
}

int move_latest(PGconn *src, struct move_rec *rec, struct mo_err *err)
{
    memset(rec, 0, sizeof *rec);
    PGresult *r = db_query(src, SQL_MOVE_LATEST, 0, NULL, err);
    if (!r)
        return -1;
    if (PQntuples(r) == 1) {
        rec->found = true;
        rec->id = atoll(PQgetvalue(r, 0, 0));
        copy_col(r, 1, rec->target, sizeof rec->target);
        copy_col(r, 2, rec->publisher, sizeof rec->publisher);
        copy_col(r, 3, rec->publication, sizeof rec->publication);
        copy_col(r, 4, rec->subscription, sizeof rec->subscription);
        copy_col(r, 5, rec->event_trigger, sizeof rec->event_trigger);
        copy_col(r, 6, rec->state, sizeof rec->state);
        rec->made_dblink = PQgetvalue(r, 0, 7)[0] == 't';
        rec->made_schema = PQgetvalue(r, 0, 8)[0] == 't';
        copy_col(r, 9, rec->made_roles, sizeof rec->made_roles);
        copy_col(r, 10, rec->started_at, sizeof rec->started_at);
        copy_col(r, 11, rec->paused_at, sizeof rec->paused_at);
        copy_col(r, 12, rec->finished_at, sizeof rec->finished_at);
        rec->pause_ms = PQgetisnull(r, 0, 13) ? -1 : atoll(PQgetvalue(r, 0, 13));
        rec->drain_ms = PQgetisnull(r, 0, 14) ? -1 : atoll(PQgetvalue(r, 0, 14));
    }
    PQclear(r);
    return 0;
}

static bool state_in(const char *state, const char *states)
{
    size_t n = strlen(state);
    for (const char *p = states; (p = strstr(p, state)) != NULL; p += n)
        if ((p == states || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

int move_open(const struct move_args *a, const char *states, PGconn **src, PGconn **dst,
              struct move_rec *rec, struct mo_err *err)
{
    *src = *dst = NULL;
    if (!(*src = move_connect(a->source, "source", err)))
        return -1;
    if (move_latest(*src, rec, err) < 0)
        goto fail;
    if (!rec->found || !state_in(rec->state, states)) {
        if (rec->found)
            mo_err_set(err, "move_state", "the last move (to %s) is %s; this needs one %s",
                       rec->target, rec->state, states);
        else
            mo_err_set(err, "move_none", "no move recorded on the source; run migrate start --to TARGET");
        goto fail;
    }
    if (!(*dst = move_connect(rec->target, "target", err)))
        goto fail;
    return 0;
fail:
    db_close(*src);
    *src = NULL;
    return -1;
}

int move_value(PGconn *conn, enum sql_query q, int nparams, const char *const *params,
               char *buf, size_t len, struct mo_err *err)
{
    PGresult *r = db_query(conn, q, nparams, params, err);
    if (!r)
        return -1;
    snprintf(buf, len, "%s", PQntuples(r) > 0 && !PQgetisnull(r, 0, 0) ? PQgetvalue(r, 0, 0) : "");
    PQclear(r);
    return 0;
}

int move_exec_built(PGconn *conn, enum sql_query q, int nparams, const char *const *params,
                    struct mo_err *err)
{
    PGresult *r = db_query(conn, q, nparams, params, err);
    if (!r)
        return -1;
    int rc = 0;
    if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0)) {
        PGresult *x = db_query_text(conn, PQgetvalue(r, 0, 0), 0, NULL, err);
        rc = x ? 0 : -1;
        PQclear(x);
    }
    PQclear(r);
    return rc;
}

int move_set_state(PGconn *src, long long id, const char *state, long long pause_ms,
                   long long drain_ms, struct mo_err *err)
{
    char idb[24], pb[24], db[24];
    snprintf(idb, sizeof idb, "%lld", id);
    snprintf(pb, sizeof pb, "%lld", pause_ms);
    snprintf(db, sizeof db, "%lld", drain_ms);
    const char *p[4] = { idb, state, pause_ms < 0 ? NULL : pb, drain_ms < 0 ? NULL : db };
    return db_exec(src, SQL_MOVE_SET_STATE, 4, p, err);
}

/* "host=H port=P dbname=D user=U" of the source connection, for the target's subscription. */
static void publisher_of(PGconn *src, char *buf, size_t len)
{
    snprintf(buf, len, "host=%s port=%s dbname=%s user=%s", PQhost(src), PQport(src), PQdb(src),
             PQuser(src));
}

/* Removes, in reverse order, what start made: the subscription (and its slots), the
 * target's schema and roles when start made them, the publication, event trigger and
 * dblink on the source. Each step tolerates a thing already gone. */
static int undo(PGconn *src, PGconn *dst, const struct move_rec *rec, FILE *out, struct mo_err *err)
{
    const char *sub[1] = { rec->subscription };
    char suboid[24] = "";
    if (dst) {
        if (move_value(dst, SQL_MOVE_SUB_OID, 1, sub, suboid, sizeof suboid, err) < 0 ||
            move_exec_built(dst, SQL_MOVE_SUB_DROP, 1, sub, err) < 0)
            return -1;
        fprintf(out, "target: subscription %s removed\n", rec->subscription);
        if (rec->made_schema) {
            if (db_exec(dst, SQL_MOVE_SCHEMA_DROP, 0, NULL, err) < 0)
                return -1;
            fprintf(out, "target: schema meterops removed (start created it)\n");
            const char *roles[1] = { rec->made_roles[0] ? rec->made_roles : "{}" };
            if (move_exec_built(dst, SQL_MOVE_ROLES_DROP, 1, roles, err) < 0)
                return -1;
            if (strcmp(roles[0], "{}") != 0)
                fprintf(out, "target: roles %s removed (start created them)\n", roles[0]);
        }
    }
    const char *slot[2] = { rec->subscription, suboid[0] ? suboid : NULL };
    char dropped[24];
    if (move_value(src, SQL_MOVE_SLOT_DROP, 2, slot, dropped, sizeof dropped, err) < 0)
        return -1;
    if (atoi(dropped) > 0)
        fprintf(out, "source: %s replication slot(s) left behind removed\n", dropped);
    const char *delta[2] = { MOVE_DELTA_SLOT, NULL };
    if (move_value(src, SQL_MOVE_SLOT_DROP, 2, delta, dropped, sizeof dropped, err) < 0)
        return -1;
    if (atoi(dropped) > 0)
        fprintf(out, "source: slot %s removed\n", MOVE_DELTA_SLOT);
    const char *pub[1] = { rec->publication }, *evt[1] = { rec->event_trigger };
    if (move_exec_built(src, SQL_MOVE_PUB_DROP, 1, pub, err) < 0 ||
        move_exec_built(src, SQL_MOVE_EVT_DROP, 1, evt, err) < 0)
        return -1;
    fprintf(out, "source: publication %s and event trigger %s removed\n", rec->publication,
            rec->event_trigger);
    if (rec->made_dblink) {
        if (db_exec(src, SQL_MOVE_DBLINK_DROP, 0, NULL, err) < 0)
            return -1;
        fprintf(out, "source: extension dblink removed (start created it)\n");
    }
    return 0;
}

/* The target must be a database without schema meterops: its tables are filled by the
 * initial copy, and abort then removes the schema whole. */
static int start_steps(PGconn *src, PGconn *dst, const struct move_args *a, struct move_rec *rec,
                       FILE *out, struct mo_err *err)
{
    PGresult *f = db_query(dst, SQL_MOVE_SERVER_FACTS, 0, NULL, err);
    if (!f)
        return -1;
    bool has_schema = PQgetvalue(f, 0, PQfnumber(f, "has_schema"))[0] == 't';
    char missing_roles[256];
    snprintf(missing_roles, sizeof missing_roles, "%s", PQgetvalue(f, 0, PQfnumber(f, "missing_roles")));
    char dst_id[128];
    snprintf(dst_id, sizeof dst_id, "%s", PQgetvalue(f, 0, PQfnumber(f, "identity")));
    PQclear(f);
    if (has_schema)
        return mo_err_set(err, "move_target_used",
                          "the target already has schema meterops; move into a database without it");
    if (!(f = db_query(src, SQL_MOVE_SERVER_FACTS, 0, NULL, err)))
        return -1;
    bool src_dblink = PQgetvalue(f, 0, PQfnumber(f, "dblink_installed"))[0] == 't';
    bool same = strcmp(dst_id, PQgetvalue(f, 0, PQfnumber(f, "identity"))) == 0;
    bool logical = strcmp(PQgetvalue(f, 0, PQfnumber(f, "wal_level")), "logical") == 0;
    PQclear(f);
    if (same)
        return mo_err_set(err, "move_same", "the target is the source's own database");
    if (!logical)
        return mo_err_set(err, "move_wal_level", "the source runs with wal_level other than logical (set it and restart)");

    /* The source's schema at the same level as the target's will be. */
    int n = migrate_apply(a->source, NULL, err);
    if (n < 0)
        return -1;
    char publisher[1024];
    if (a->publisher)
        snprintf(publisher, sizeof publisher, "%s", a->publisher);
    else
        publisher_of(src, publisher, sizeof publisher);

    rec->made_dblink = !src_dblink;
    rec->made_schema = true;
    snprintf(rec->made_roles, sizeof rec->made_roles, "%s", missing_roles);
    snprintf(rec->publication, sizeof rec->publication, MOVE_NAME);
    snprintf(rec->subscription, sizeof rec->subscription, MOVE_NAME);
    snprintf(rec->event_trigger, sizeof rec->event_trigger, MOVE_NAME "_partitions");
    snprintf(rec->target, sizeof rec->target, "%s", a->target);
    const char *p[8] = { a->target, publisher, rec->publication, rec->subscription,
                         rec->event_trigger, rec->made_dblink ? "true" : "false", "true",
                         missing_roles };
    char id[24];
    if (move_value(src, SQL_MOVE_RECORD, 8, p, id, sizeof id, err) < 0)
        return -1;
    rec->id = atoll(id);
    rec->found = true;
    fprintf(out, "source: move %s to the target recorded\n", id);

    /* From here a failure is undone by the caller (undo), which tolerates half-made steps. */
    n = migrate_apply(a->target, NULL, err);
    if (n < 0)
        return -1;
    if (move_exec_built(dst, SQL_MOVE_TARGET_TRUNCATE, 0, NULL, err) < 0)
        return -1;
    fprintf(out, "target: schema meterops made by the same migrations (%d steps)\n", n);
    if (rec->made_dblink && db_exec(src, SQL_MOVE_DBLINK_CREATE, 0, NULL, err) < 0)
        return -1;
    /* The event trigger before the first sync: a partition made in between is not missed. */
    const char *evt[1] = { rec->event_trigger };
    if (move_exec_built(src, SQL_MOVE_EVT_CREATE, 1, evt, err) < 0)
        return -1;
    char made[24];
    if (move_value(src, SQL_MOVE_SYNC_PARTITIONS, 0, NULL, made, sizeof made, err) < 0)
        return -1;
    fprintf(out, "target: %s reading_day partition(s) made; new ones follow (event trigger %s)\n",
            made, rec->event_trigger);
    const char *pub[1] = { rec->publication };
    if (move_exec_built(src, SQL_MOVE_PUB_CREATE, 1, pub, err) < 0)
        return -1;
    fprintf(out, "source: publication %s (reading_day through its root)\n", rec->publication);
    const char *delta[1] = { MOVE_DELTA_SLOT };
    char made_slot[64];
    if (move_value(src, SQL_MOVE_DELTA_SLOT_CREATE, 1, delta, made_slot, sizeof made_slot, err) < 0)
        return -1;
    fprintf(out, "source: slot %s (what changes, for cutover's verify inside its pause)\n", made_slot);
    const char *sub[3] = { rec->subscription, publisher, rec->publication };
    if (move_exec_built(dst, SQL_MOVE_SUB_CREATE, 3, sub, err) < 0)
        return -1;
    fprintf(out, "target: subscription %s, initial copy started\n", rec->subscription);
    if (move_set_state(src, rec->id, "copying", -1, -1, err) < 0)
        return -1;
    fprintf(out, "follow it with: meterops migrate status; then verify, cutover\n");
    return 0;
}

int move_start(const struct move_args *a, FILE *out, struct mo_err *err)
{
    PGconn *src = move_connect(a->source, "source", err), *dst = NULL;
    if (!src)
        return -1;
    if (!(dst = move_connect(a->target, "target", err))) {
        db_close(src);
        return -1;
    }
    struct move_rec rec;
    memset(&rec, 0, sizeof rec);
    int rc = start_steps(src, dst, a, &rec, out, err);
    if (rc < 0 && rec.found) {
        struct mo_err e2;
        mo_err_clear(&e2);
        fprintf(out, "start failed; removing what it made\n");
        if (undo(src, dst, &rec, out, &e2) == 0)
            move_set_state(src, rec.id, "aborted", -1, -1, &e2);
        else
            fprintf(out, "could not undo everything: %s (run migrate abort)\n", e2.message);
    }
    db_close(dst);
    db_close(src);
    return rc;
}

int move_abort(const struct move_args *a, FILE *out, struct mo_err *err)
{
    PGconn *src = move_connect(a->source, "source", err), *dst = NULL;
    if (!src)
        return -1;
    struct move_rec rec;
    int rc = -1;
    if (move_latest(src, &rec, err) < 0)
        goto done;
    if (!rec.found || !state_in(rec.state, "starting copying cutover")) {
        mo_err_set(err, "move_none", rec.found ? "the last move is %s: nothing to abort" : "no move recorded%s",
                   rec.found ? rec.state : "");
        goto done;
    }
    struct mo_err terr;
    mo_err_clear(&terr);
    dst = move_connect(rec.target, "target", &terr);
    if (!dst)
        fprintf(out, "warning: %s; only the source is cleaned\n", terr.message);
    rc = undo(src, dst, &rec, out, err);
    db_close(dst);
    if (rc == 0 && move_set_state(src, rec.id, "aborted", -1, -1, err) < 0)
        rc = -1;
    if (rc == 0)
        fprintf(out, "move %lld aborted; the source's queue is open\n", rec.id);
done:
    db_close(src);
    return rc < 0 ? -1 : (dst ? 0 : 1);
}
