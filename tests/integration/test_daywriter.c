/* test_daywriter - the day writer (backend/daywriter.c) against a server ($PGHOST etc.,
 * as tests/run-suite sets them): meter-days streamed with binary COPY (direct path), a
 * batch that meets stored days resent through the staging table and merged interval by
 * interval (correction path), small batches, and a reset that leaves nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/daywriter.h"
#include "backend/db.h"
#include "backend/halfhour.h"
#include "tests/integration/test_db.h"

static PGconn *conn, *ctl;
static int64_t day0, meter_a, meter_b;
static int partitions_made;

/* The writer's ensure callback, as the loader's control connection does it. */
static int ensure(void *ctx, int64_t day, struct mo_err *err)
{
    (void)ctx;
    char d[16];
    date_format(day, d);
    const char *p[2] = { d, d };
    partitions_made++;
    return db_exec(ctl, SQL_LOAD_ENSURE_PARTITIONS, 2, p, err);
}

static const char *one(const char *sql)
{
    static char buf[4096];
    PGresult *r = PQexec(conn, sql);
    snprintf(buf, sizeof buf, "%s", PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) ?
             (PQgetisnull(r, 0, 0) ? "-" : PQgetvalue(r, 0, 0)) : "?");
    PQclear(r);
    return buf;
}

static int setup(void **state)
{
    (void)state;
    struct mo_err err;
    conn = test_db_fresh("t_daywriter", "test_daywriter");
    ctl = test_db_connect("t_daywriter", "test_daywriter ctl");
    if (!conn || !ctl)
        return -1;
    PGresult *st = db_query(conn, SQL_LOAD_STAGE_CREATE, 0, NULL, &err);
    if (!st)
        return -1;
    PQclear(st);
    PQclear(PQexec(conn, "INSERT INTO meterops.meter (mpxn, fuel) VALUES ('800000000', 'gas'), "
                         "('800000001', 'gas')"));
    PQclear(PQexec(conn, "INSERT INTO meterops.load_file (path, sha256, format, status) "
                         "SELECT '/f' || i || '.csv', repeat(i::text, 64), 'wide', 'loading' "
                         "FROM generate_series(1, 4) i"));
    meter_a = strtoll(one("SELECT meter_id FROM meterops.meter WHERE mpxn = '800000000'"), NULL, 10);
    meter_b = strtoll(one("SELECT meter_id FROM meterops.meter WHERE mpxn = '800000001'"), NULL, 10);
    day0 = days_from_civil(2024, 5, 31);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    PQfinish(conn);
    PQfinish(ctl);
    return 0;
}

/* A half-hourly day with the given slots set to base + slot; est marks slot 0 estimated. */
static int put_day(struct writer *w, int64_t meter, int64_t day, const int *slots, int n,
                   int base, int est0, struct mo_err *err)
{
    int32_t wh[48] = { 0 };
    uint64_t set[2] = { 0, 0 }, est[2] = { 0, 0 };
    for (int i = 0; i < n; i++) {
        wh[slots[i]] = base + slots[i];
        set[0] |= UINT64_C(1) << slots[i];
    }
    if (est0)
        est[0] = 1;
    return writer_day(w, meter, day, 48, wh, set, est, 0, err);
}

/* The test's writer: started by start(), ended by end_writer after each test, whether
 * it passed or not (a sender left running would wait on the connection for ever). */
static struct writer W;
static int W_live;

static void start(struct writer *w, int64_t file_id, size_t first_batch)
{
    struct mo_err err;
    W_live = 1;
    assert_int_equal(writer_init(w, conn, file_id, &err), 0);
    writer_set_first_batch(w, first_batch);
    w->ensure = ensure;
    assert_int_equal(writer_load_partitions(w, &err), 0);
    PQclear(PQexec(conn, sql_text(SQL_TX_BEGIN)));
}

static int end_writer(void **state)
{
    (void)state;
    if (W_live) {
        writer_abort(&W);
        if (PQtransactionStatus(conn) != PQTRANS_IDLE)
            PQclear(PQexec(conn, sql_text(SQL_TX_ROLLBACK)));
        writer_free(&W);
        W_live = 0;
    }
    return 0;
}

static void test_new_days_stream_into_reading_day_and_make_their_partitions(void **state)
{
    (void)state;
    struct mo_err err;
    start(&W, 1, 0);
    int first[3] = { 0, 1, 47 }, all[48];
    for (int i = 0; i < 48; i++)
        all[i] = i;
    assert_int_equal(put_day(&W, meter_a, day0, first, 3, 100, 1, &err), 0);
    assert_int_equal(put_day(&W, meter_a, day0 + 1, all, 48, 200, 0, &err), 0); /* June */
    assert_int_equal(put_day(&W, meter_b, day0, all, 48, 300, 0, &err), 0);
    if (writer_flush(&W, &err) < 0)
        fail_msg("flush: %s", err.message);
    PQclear(PQexec(conn, sql_text(SQL_TX_COMMIT)));
    assert_int_equal(W.days_direct, 3);
    assert_int_equal(W.days_merged, 0);
    assert_int_equal(partitions_made, 2); /* May and June, once each */
    assert_string_equal(one("SELECT count(*) FROM meterops.reading_day WHERE file_id = 1"), "3");
    char sql[300];
    snprintf(sql, sizeof sql, "SELECT array_to_string(wh, ',', '-') || ' ' || "
             "coalesce(encode(flags, 'hex'), 'actual') FROM meterops.reading_day "
             "WHERE meter_id = %lld AND day = '2024-05-31'", (long long)meter_a);
    const char *got = one(sql);
    assert_true(strncmp(got, "100,101,-,", 10) == 0);
    assert_non_null(strstr(got, ",-,147 "));
    snprintf(sql, sizeof sql, "SELECT cardinality(wh) || ' ' || wh[48] || ' ' || "
             "coalesce(encode(flags, 'hex'), 'actual') FROM meterops.reading_day "
             "WHERE meter_id = %lld AND day = '2024-06-01'", (long long)meter_a);
    assert_string_equal(one(sql), "48 247 actual");
}

static void test_a_stored_day_is_merged_interval_by_interval(void **state)
{
    (void)state;
    struct mo_err err;
    start(&W, 2, 0);
    /* meter A's May 31 holds 0, 1 and 47 (file 1); this file gives 1 again and 2 */
    int again[2] = { 1, 2 }, one_slot[1] = { 5 };
    assert_int_equal(put_day(&W, meter_a, day0, again, 2, 500, 0, &err), 0);
    assert_int_equal(put_day(&W, meter_b, day0 + 2, one_slot, 1, 600, 0, &err), 0);
    if (writer_flush(&W, &err) < 0)
        fail_msg("flush: %s", err.message);
    PQclear(PQexec(conn, sql_text(SQL_TX_COMMIT)));
    /* both went into a direct batch first; it met a stored day, so the whole batch went
     * through the correction path */
    assert_int_equal(W.days_direct, 2);
    assert_int_equal(W.days_merged, 2);
    assert_int_equal(W.corrections, 1);
    char sql[300];
    snprintf(sql, sizeof sql, "SELECT array_to_string(wh[1:4], ',', '-') || ' ' || wh[48] || "
             "' file ' || file_id FROM meterops.reading_day WHERE meter_id = %lld AND "
             "day = '2024-05-31'", (long long)meter_a);
    assert_string_equal(one(sql), "100,501,502,- 147 file 2");
    snprintf(sql, sizeof sql, "SELECT array_to_string(wh, ',', '-') FROM meterops.reading_day "
             "WHERE meter_id = %lld AND day = '2024-06-02'", (long long)meter_b);
    assert_string_equal(one(sql), "-,-,-,-,-,605,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,"
                                  "-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-");
}

static void test_small_batches_each_commit_their_days(void **state)
{
    (void)state;
    struct mo_err err;
    start(&W, 3, 64); /* a batch ends after each day */
    int all[48];
    for (int i = 0; i < 48; i++)
        all[i] = i;
    for (int d = 10; d < 20; d++)
        assert_int_equal(put_day(&W, meter_a, day0 + d, all, 48, d * 1000, 0, &err), 0);
    if (writer_flush(&W, &err) < 0)
        fail_msg("flush: %s", err.message);
    PQclear(PQexec(conn, sql_text(SQL_TX_COMMIT)));
    assert_int_equal(W.days_direct, 10);
    assert_true(W.batches >= 5);
    assert_string_equal(one("SELECT count(*) || ' ' || min(wh[1]) || ' ' || max(wh[48]) "
                            "FROM meterops.reading_day WHERE file_id = 3"), "10 10000 19047");
}

static void test_reset_and_rollback_leave_nothing(void **state)
{
    (void)state;
    struct mo_err err;
    start(&W, 4, 0);
    int all[48];
    for (int i = 0; i < 48; i++)
        all[i] = i;
    assert_int_equal(put_day(&W, meter_b, day0 + 30, all, 48, 7, 0, &err), 0);
    writer_abort(&W); /* a load given up midway: the COPY in progress ends */
    PQclear(PQexec(conn, sql_text(SQL_TX_ROLLBACK)));
    assert_int_equal(PQtransactionStatus(conn), PQTRANS_IDLE);
    /* the connection serves the next statement */
    assert_string_equal(one("SELECT 'usable'"), "usable");
    assert_string_equal(one("SELECT count(*) FROM meterops.reading_day WHERE file_id = 4"), "0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_new_days_stream_into_reading_day_and_make_their_partitions, end_writer),
        cmocka_unit_test_teardown(test_a_stored_day_is_merged_interval_by_interval, end_writer),
        cmocka_unit_test_teardown(test_small_batches_each_commit_their_days, end_writer),
        cmocka_unit_test_teardown(test_reset_and_rollback_leave_nothing, end_writer),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
