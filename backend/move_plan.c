/* move_plan.c - `meterops migrate plan` (checks, before anything is touched) and `status`
 * (the move under way, from both sides). */
#include "backend/move_int.h"

#include <stdlib.h>
#include <string.h>

#include "backend/jsonw.h"

/* The estimate's rate: bench/migrate.sh measured 15 MB/s for the initial copy (1.4 GB,
 * 2 busy cores, both servers on one machine; bench/RESULTS.md). */
#define MOVE_ASSUMED_MB_S 15.0

static const char *fact(const PGresult *f, const char *name)
{
    int c = PQfnumber(f, name);
    return c < 0 || PQgetisnull(f, 0, c) ? "" : PQgetvalue(f, 0, c);
}

static int check(FILE *out, bool ok, const char *what)
{
    fprintf(out, "  [%s] %s\n", ok ? " ok " : "FAIL", what);
    return ok ? 0 : 1;
}

int move_plan(const struct move_args *a, FILE *out, struct mo_err *err)
{
    PGconn *src = move_connect(a->source, "source", err), *dst = NULL;
    PGresult *fs = NULL, *fd = NULL, *sz = NULL, *ext = NULL;
    int rc = -1;
    if (!src || !(dst = move_connect(a->target, "target", err)))
        goto done;
    if (!(fs = db_query(src, SQL_MOVE_SERVER_FACTS, 0, NULL, err)) ||
        !(fd = db_query(dst, SQL_MOVE_SERVER_FACTS, 0, NULL, err)))
        goto done;
    const char *exts[1] = { fact(fs, "extensions") };
    if (!(ext = db_query(dst, SQL_MOVE_EXTENSIONS_MISSING, 1, exts, err)))
        goto done;
    bool src_schema = fact(fs, "has_schema")[0] == 't';
    if (src_schema && !(sz = db_query(src, SQL_MOVE_SIZES, 0, NULL, err))) {
        /* a schema from before 016_migration: sizes after its db migrate */
        sz = NULL;
        mo_err_clear(err);
    }
    char line[512];
    int failed = 0;
    fprintf(out, "source: PostgreSQL %s, target: PostgreSQL %s\n", fact(fs, "version"), fact(fd, "version"));
    fprintf(out, "checks:\n");
    failed += check(out, src_schema, "the source holds schema meterops");
    failed += check(out, strcmp(fact(fs, "identity"), fact(fd, "identity")) != 0,
                    "the target is another database than the source");
    failed += check(out, atoi(fact(fd, "version_num")) / 10000 >= atoi(fact(fs, "version_num")) / 10000,
                    "the target's major version is the source's or newer");
    snprintf(line, sizeof line, "source wal_level = logical (it is %s)", fact(fs, "wal_level"));
    failed += check(out, strcmp(fact(fs, "wal_level"), "logical") == 0, line);
    snprintf(line, sizeof line, "two free replication slots on the source, the subscription's and the delta slot (%s free)", fact(fs, "free_slots"));
    failed += check(out, atoi(fact(fs, "free_slots")) >= 2, line);
    snprintf(line, sizeof line, "free WAL senders on the source (%s free; the initial copy uses 2)",
             fact(fs, "free_senders"));
    failed += check(out, atoi(fact(fs, "free_senders")) >= 2, line);
    snprintf(line, sizeof line, "logical replication workers on the target (%s)", fact(fd, "logical_workers"));
    failed += check(out, atoi(fact(fd, "logical_workers")) >= 2, line);
    failed += check(out, fact(fs, "superuser")[0] == 't' && fact(fd, "superuser")[0] == 't',
                    "superuser on both sides (publication, subscription, event trigger)");
    failed += check(out, fact(fs, "dblink_installed")[0] == 't' || fact(fs, "dblink_available")[0] == 't',
                    "extension dblink available on the source (new partitions made on the target)");
    failed += check(out, fact(fd, "has_schema")[0] != 't', "the target has no schema meterops yet");
    int nmissing = PQntuples(ext);
    snprintf(line, sizeof line, "the source's extensions %s can be created on the target%s",
             fact(fs, "extensions"), nmissing ? " (some cannot)" : "");
    failed += check(out, nmissing == 0, line);
    for (int i = 0; i < nmissing; i++)
        fprintf(out, "         missing on the target: %s\n", PQgetvalue(ext, i, 0));
    fprintf(out, "  [info] roles missing on the target, made by its migrations: %s\n",
            strcmp(fact(fd, "missing_roles"), "{}") == 0 ? "none" : fact(fd, "missing_roles"));

    double bytes = atof(fact(fs, "db_bytes"));
    fprintf(out, "size: the source database is %.1f MB; the initial copy at %.0f MB/s (measured\n"
                 "      by bench/migrate.sh) takes about %.0f s (indexes kept as rows arrive)\n",
            bytes / 1e6, MOVE_ASSUMED_MB_S, bytes / 1e6 / MOVE_ASSUMED_MB_S);
    for (int i = 0; sz && i < PQntuples(sz); i++)
        fprintf(out, "  %-40s ~%12s rows %10.1f MB\n", PQgetvalue(sz, i, 0), PQgetvalue(sz, i, 1),
                atof(PQgetvalue(sz, i, 2)) / 1e6);
    fprintf(out, "start will:\n"
                 "  1. apply pending migrations on the source, record the move in meterops.migration\n"
                 "  2. make schema meterops on the target with the same migrations\n"
                 "  3. create extension dblink on the source if missing, and event trigger\n"
                 "     meterops_move_partitions, which makes each new reading_day partition on the\n"
                 "     target too; make the source's partitions there now\n"
                 "  4. create publication meterops_move on the source (reading_day through its root)\n"
                 "  5. create subscription meterops_move on the target: initial copy, then streaming\n");
    if (failed)
        fprintf(out, "%d check(s) failed\n", failed);
    else
        fprintf(out, "ready\n");
    rc = failed > 0;
done:
    PQclear(fs);
    PQclear(fd);
    PQclear(sz);
    PQclear(ext);
    db_close(dst);
    db_close(src);
    return rc;
}

/* The target's per-table copy state of `relation`, or NULL. A partition is in its root's. */
static int target_row(const PGresult *t, const char *relation)
{
    for (int i = 0; t && i < PQntuples(t); i++) {
        const char *r = PQgetvalue(t, i, 0);
        size_t n = strlen(r);
        if (strcmp(r, relation) == 0 || (strncmp(r, relation, n) == 0 && relation[n] == '_' &&
                                         strcmp(r, "meterops.reading_day") == 0))
            return i;
    }
    return -1;
}

static const char *est_of(const PGresult *r, const char *relation)
{
    for (int i = 0; r && i < PQntuples(r); i++)
        if (strcmp(PQgetvalue(r, i, 0), relation) == 0)
            return PQgetvalue(r, i, 1);
    return "0";
}

/* What needs `migrate resync`: tables PostgreSQL left copied with no slot, tables a
 * stopped resync left out of the publication (space separated, "" none). */
struct status_trouble {
    char stuck[2048], left_out[2048];
};

static void status_json(FILE *out, const struct move_rec *rec, const PGresult *ss, const PGresult *szs,
                        const PGresult *szd, const PGresult *t, const struct status_trouble *tr)
{
    struct jsonw w;
    jsonw_init(&w, out, 2);
    jsonw_object_begin(&w);
    jsonw_member_int(&w, "migration_id", rec->id);
    jsonw_member_string(&w, "state", rec->state);
    jsonw_member_string(&w, "target", rec->target);
    jsonw_member_string(&w, "started_at", rec->started_at);
    jsonw_member_number(&w, "lag_bytes", PQgetisnull(ss, 0, 0) ? NULL : PQgetvalue(ss, 0, 0));
    jsonw_member_number(&w, "lag_seconds", PQgetisnull(ss, 0, 1) ? NULL : PQgetvalue(ss, 0, 1));
    jsonw_member_number(&w, "source_loading", PQgetvalue(ss, 0, 3));
    jsonw_member_number(&w, "source_queued", PQgetvalue(ss, 0, 4));
    jsonw_member_string(&w, "source_last_loaded", PQgetisnull(ss, 0, 5) ? NULL : PQgetvalue(ss, 0, 5));
    if (rec->pause_ms >= 0)
        jsonw_member_int(&w, "pause_ms", rec->pause_ms);
    jsonw_member_string(&w, "stuck", tr->stuck[0] ? tr->stuck : NULL);
    jsonw_member_string(&w, "left_out", tr->left_out[0] ? tr->left_out : NULL);
    jsonw_key(&w, "relations");
    jsonw_array_begin(&w);
    for (int i = 0; szs && i < PQntuples(szs); i++) {
        const char *rel = PQgetvalue(szs, i, 0);
        int k = target_row(t, rel);
        jsonw_object_begin(&w);
        jsonw_member_string(&w, "relation", rel);
        jsonw_member_string(&w, "copy", k >= 0 ? PQgetvalue(t, k, 1) : NULL);
        jsonw_member_number(&w, "copied_rows", k >= 0 && !PQgetisnull(t, k, 2) ? PQgetvalue(t, k, 2) : NULL);
        jsonw_member_number(&w, "source_rows_est", PQgetvalue(szs, i, 1));
        jsonw_member_number(&w, "target_rows_est", est_of(szd, rel));
        jsonw_object_end(&w);
    }
    jsonw_array_end(&w);
    jsonw_object_end(&w);
}

static void status_text(FILE *out, const struct move_rec *rec, const PGresult *ss, const PGresult *szs,
                        const PGresult *szd, const PGresult *t, const struct status_trouble *tr)
{
    fprintf(out, "move %lld to %s: %s since %s\n", rec->id, rec->target, rec->state, rec->started_at);
    fprintf(out, "lag: %s bytes, %s s; source: %s file(s) loading, %s queued; last loaded %s\n",
            PQgetisnull(ss, 0, 0) ? "?" : PQgetvalue(ss, 0, 0),
            PQgetisnull(ss, 0, 1) ? "0" : PQgetvalue(ss, 0, 1), PQgetvalue(ss, 0, 3),
            PQgetvalue(ss, 0, 4), PQgetisnull(ss, 0, 5) ? "-" : PQgetvalue(ss, 0, 5));
    if (rec->pause_ms >= 0)
        fprintf(out, "cutover: write pause %.2f s (and %.2f s waiting for files in hand)\n",
                rec->pause_ms / 1000.0, rec->drain_ms / 1000.0);
    fprintf(out, "%-40s %-8s %14s %14s %14s\n", "relation", "copy", "copied rows", "source ~rows",
            "target ~rows");
    for (int i = 0; szs && i < PQntuples(szs); i++) {
        const char *rel = PQgetvalue(szs, i, 0);
        int k = target_row(t, rel);
        fprintf(out, "%-40s %-8s %14s %14s %14s\n", rel, k >= 0 ? PQgetvalue(t, k, 1) : "-",
                k >= 0 && !PQgetisnull(t, k, 2) ? PQgetvalue(t, k, 2) : "-", PQgetvalue(szs, i, 1),
                est_of(szd, rel));
    }
    if (tr->stuck[0])
        fprintf(out, "STUCK: copied, but the source has lost the slot to catch up from: %s "
                "(run meterops migrate resync)\n", tr->stuck);
    if (tr->left_out[0])
        fprintf(out, "OUT OF THE PUBLICATION: %s (a resync stopped half way: run meterops migrate resync)\n",
                tr->left_out);
}

int move_status(const struct move_args *a, FILE *out, struct mo_err *err)
{
    PGconn *src, *dst;
    struct move_rec rec;
    if (move_open(a, "starting copying cutover done", &src, &dst, &rec, err) < 0)
        return -1;
    PGresult *ss = NULL, *szs = NULL, *szd = NULL, *t = NULL;
    const char *sub[1] = { rec.subscription }, *pub[1] = { rec.publication };
    struct status_trouble tr = { "", "" };
    bool copying = strcmp(rec.state, "copying") == 0;
    int rc = -1;
    if ((ss = db_query(src, SQL_MOVE_SOURCE_STATUS, 1, sub, err)) &&
        (szs = db_query(src, SQL_MOVE_SIZES, 0, NULL, err)) &&
        (szd = db_query(dst, SQL_MOVE_SIZES, 0, NULL, err)) &&
        (t = db_query(dst, SQL_MOVE_TARGET_STATUS, 1, sub, err)) &&
        (!copying || (move_stuck(src, dst, rec.subscription, tr.stuck, sizeof tr.stuck, err) >= 0 &&
                      move_value(src, SQL_MOVE_PUB_MISSING, 1, pub, tr.left_out, sizeof tr.left_out, err) >= 0))) {
        if (a->json)
            status_json(out, &rec, ss, szs, szd, t, &tr);
        else
            status_text(out, &rec, ss, szs, szd, t, &tr);
        rc = tr.stuck[0] || tr.left_out[0] ? 1 : 0;
    }
    PQclear(ss);
    PQclear(szs);
    PQclear(szd);
    PQclear(t);
    db_close(dst);
    db_close(src);
    return rc;
}
