/* The assembler with rows of many readings (as the wide format gives): a row lands whole
 * or is rejected once, duplicates within a row and across rows are found, and a day
 * written before all its rows came (evicted) is completed through phase 2 and the
 * correction path. Runs against the suite's private server (a database of its own). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/assemble.h"
#include "backend/db.h"
#include "backend/halfhour.h"
#include "tests/integration/test_db.h"

static PGconn *conn, *ctl;
static int64_t day0;

static int ensure(void *ctx, int64_t day, struct mo_err *err)
{
    (void)ctx;
    char d[16];
    date_format(day, d);
    const char *p[2] = { d, d };
    return db_exec(ctl, SQL_LOAD_ENSURE_PARTITIONS, 2, p, err);
}

static int setup(void **state)
{
    (void)state;
    struct mo_err err;
    conn = test_db_fresh("t_assemble", "test_assemble");
    ctl = conn ? test_db_connect("t_assemble", "test_assemble ctl") : NULL;
    if (!conn || !ctl)
        return -1;
    /* the session's staging table of the correction path, as loadfile.c makes it */
    PGresult *st = db_query(conn, SQL_LOAD_STAGE_CREATE, 0, NULL, &err);
    if (!st)
        return -1;
    PQclear(st);
    PQclear(PQexec(conn, "INSERT INTO meterops.meter (mpxn, fuel) SELECT '70000000' || i, 'gas' "
                         "FROM generate_series(0, 9) i"));
    PQclear(PQexec(conn, "INSERT INTO meterops.load_file (path, sha256, format, status) "
                         "VALUES ('/wide.csv', repeat('d', 64), 'wide', 'loading')"));
    day0 = days_from_civil(2024, 5, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    PQfinish(conn);
    PQfinish(ctl);
    return 0;
}

static char *one(const char *sql)
{
    static char buf[4096];
    PGresult *r = PQexec(conn, sql);
    snprintf(buf, sizeof buf, "%s", PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) ? PQgetvalue(r, 0, 0) : "?");
    PQclear(r);
    return buf;
}

/* A chunk built by hand: rows of readings of meter index m on day d at the given slots. */
struct build {
    struct chunk c;
    char text[4096];
};

static void add_row(struct build *b, int64_t line, uint32_t m, int d, const int *slots, int n, int wh0)
{
    struct chunk *c = &b->c;
    size_t off = strlen(b->text);
    snprintf(b->text + off, sizeof b->text - off, "row %lld\n", (long long)line);
    c->rows = realloc(c->rows, (c->nrows + 1) * sizeof *c->rows);
    c->rds = realloc(c->rds, (c->nrds + (size_t)n) * sizeof *c->rds);
    struct parsed_row *r = &c->rows[c->nrows++];
    r->line = line;
    r->off = (uint32_t)off;
    r->len = (uint32_t)(strlen(b->text) - off - 1);
    r->first = (uint32_t)c->nrds;
    r->n = (uint32_t)n;
    for (int i = 0; i < n; i++) {
        struct parsed_reading *p = &c->rds[c->nrds++];
        memset(p, 0, sizeof *p);
        p->meter = m;
        p->day = (int32_t)(day0 + d);
        p->slot = (uint16_t)slots[i];
        p->wh = wh0 + slots[i];
        p->quality = 'A';
        p->minutes = 30;
        p->column = (uint16_t)(3 + slots[i]);
        p->vcolumn = p->column; /* wide: the interval's cell is the value's */
    }
    c->buf = b->text;
    c->len = strlen(b->text);
}

static void free_build(struct build *b)
{
    free(b->c.rows);
    free(b->c.rds);
}

static void test_rows_of_many_readings_land_whole_or_not_at_all(void **state)
{
    (void)state;
    struct fileload f;
    memset(&f, 0, sizeof f);
    f.claim.file_id = 1;
    struct mo_err err;
    assert_int_equal(meters_load(conn, &f.meters, &err), 0);
    char *names[51] = { "mpxn", "date" };
    char nb[49][16];
    for (int i = 0; i < 48; i++) {
        snprintf(nb[i], sizeof nb[i], "i%d", i + 1);
        names[2 + i] = nb[i];
    }
    f.colnames = names;
    f.ncols = 50;
    struct writer w;
    assert_int_equal(writer_init(&w, conn, 1, &err), 0);
    w.ensure = ensure;
    assert_int_equal(writer_load_partitions(&w, &err), 0);
    struct errlog log;
    assert_int_equal(errlog_open(&log, 1, 1, -1, &err), 0);
    struct assembler a;
    /* room for 3 open half-hourly days: the fourth evicts the first */
    assert_int_equal(asm_init(&a, &f, &w, &log, 3 * daytab_day_bytes(48)), 0);
    uint32_t A = (uint32_t)meters_find(&f.meters, "700000000", 9);
    uint32_t B = (uint32_t)meters_find(&f.meters, "700000001", 9);
    PQclear(PQexec(conn, sql_text(SQL_TX_BEGIN)));

    int all[48], s123[3] = { 1, 2, 3 }, s2[1] = { 2 }, s45[3] = { 4, 5, 4 }, s0[1] = { 0 };
    int s47[1] = { 47 };
    for (int i = 0; i < 48; i++)
        all[i] = i;
    struct build b;
    memset(&b, 0, sizeof b);
    add_row(&b, 2, A, 0, all, 48, 1000);      /* a whole day: written at once */
    add_row(&b, 3, B, 0, s2, 1, 500);         /* B day 0 slot 2 */
    add_row(&b, 4, B, 0, s123, 3, 600);       /* slot 2 again: the whole row is rejected */
    add_row(&b, 5, B, 0, s45, 3, 700);        /* slot 4 twice in one row (same value): rejected */
    add_row(&b, 6, B, 0, s0, 1, 800);         /* B day 0 slot 0 */
    for (int d = 1; d <= 3; d++)              /* three more days of B: day 0 is evicted */
        add_row(&b, 6 + d, B, d, s0, 1, 900);
    add_row(&b, 10, B, 0, s47, 1, 100);       /* B day 0 again: B is late from here */
    add_row(&b, 11, B, 0, s0, 1, 111);        /* duplicate of line 6 across the eviction */
    assert_int_equal(asm_chunk(&a, &b.c, &err), 0);
    assert_int_equal(asm_end_pass(&a, &err), 0);
    assert_int_equal(writer_flush(&w, &err), 0);
    assert_int_equal(a.late_meters, 1);
    assert_int_equal(a.rows_deferred, 2);
    size_t cursor = 0;
    assert_int_equal(asm_next_batch(&a, &cursor), 1);
    assert_int_equal(asm_chunk(&a, &b.c, &err), 0); /* phase 2 reads the rows again */
    assert_int_equal(asm_end_batch(&a, &err), 0);
    if (writer_flush(&w, &err) < 0)
        fail_msg("correction path: %s", err.message);
    assert_int_equal(asm_next_batch(&a, &cursor), 0);
    assert_int_equal(a.rows_deferred, 0);
    assert_int_equal(a.rows_loaded, 7);
    assert_int_equal(a.rows_rejected, 3);
    assert_int_equal(a.readings, 54);
    assert_int_equal(errlog_copy(&log, conn, &err), 0);
    PQclear(PQexec(conn, sql_text(SQL_TX_COMMIT)));

    assert_string_equal(one("SELECT string_agg(line_no || ':' || column_name || ':' || code || ':' || raw, ' ' ORDER BY line_no) FROM meterops.load_error"),
                        "4:i3:duplicate_conflict:row 4 5:i5:duplicate_identical:row 5 11:i1:duplicate_conflict:row 11");
    assert_non_null(strstr(one("SELECT message FROM meterops.load_error WHERE line_no = 11"), "line 6 gave 0.800 kWh"));
    assert_string_equal(one("SELECT cardinality(array_remove(wh, NULL)) || ' ' || wh[1] || ' ' || wh[48] FROM meterops.reading_day r JOIN meterops.meter m USING (meter_id) WHERE m.mpxn = '700000000'"),
                        "48 1000 1047");
    /* B's day 0: slots 0 and 2 from pass 1, slot 47 merged by phase 2; rows 4 and 5 left nothing */
    assert_string_equal(one("SELECT array_to_string(wh, ',', '-') FROM meterops.reading_day r JOIN meterops.meter m USING (meter_id) WHERE m.mpxn = '700000001' AND day = '2024-05-01'"),
                        "800,-,502,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,147");
    assert_string_equal(one("SELECT count(*) FROM meterops.reading_day"), "5");
    asm_free(&a);
    writer_free(&w);
    errlog_close(&log);
    meters_free(&f.meters);
    free_build(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_of_many_readings_land_whole_or_not_at_all),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
