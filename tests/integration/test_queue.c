/* test_queue - the load queue (backend/queue.c) against a server ($PGHOST etc., as
 * tests/run-suite sets them): enqueueing and its copies, the claim's order and lease, and
 * the ways a claim ends. Each test works on its own job's files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/db.h"
#include "backend/queue.h"
#include "backend/reader.h"
#include "tests/integration/test_db.h"

static PGconn *conn;

static int setup(void **state)
{
    (void)state;
    conn = test_db_fresh("t_queue", "test_queue");
    return conn ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    PQfinish(conn);
    return 0;
}

/* The first value of a query about file_id, as text ("?" for no row, "-" for NULL). */
static const char *file_value(const char *column, int64_t file_id)
{
    static char buf[512];
    char sql[256], sid[24];
    snprintf(sql, sizeof sql, "SELECT %s FROM meterops.load_file WHERE file_id = $1", column);
    snprintf(sid, sizeof sid, "%lld", (long long)file_id);
    const char *p[1] = { sid };
    PGresult *r = PQexecParams(conn, sql, 1, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) == 0)
        snprintf(buf, sizeof buf, "?");
    else
        snprintf(buf, sizeof buf, "%s", PQgetisnull(r, 0, 0) ? "-" : PQgetvalue(r, 0, 0));
    PQclear(r);
    return buf;
}

static int64_t new_job(void)
{
    struct mo_err err;
    int64_t job = 0;
    assert_int_equal(queue_job_start(conn, "testhost", 4242, "load test", &job, &err), 0);
    assert_true(job > 0);
    return job;
}

/* The stage the load session stores with a file of this format. */
static int stage_of(const char *format)
{
    const struct reader_format *fmt = reader_find(format);
    return fmt ? fmt->stage : READER_STAGE_READINGS;
}

static int64_t enqueue(int64_t job, const char *path, const char *sha, int64_t bytes,
                       const char *format, const struct queue_options *opt,
                       enum enqueue_outcome want)
{
    struct mo_err err;
    struct enqueue_result res;
    if (queue_enqueue(conn, job, path, sha, bytes, format, stage_of(format), opt, &res, &err) < 0)
        fail_msg("enqueue %s: %s", path, err.message);
    assert_int_equal(res.outcome, want);
    return res.file_id;
}

static const char sha_a[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
static const char sha_b[] = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
static const char sha_c[] = "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";
static const char sha_d[] = "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd";

static void test_enqueue_adopts_a_waiting_copy_and_skips_a_loaded_one(void **state)
{
    (void)state;
    struct mo_err err;
    struct queue_options opt = { .max_reject_ratio = 0.05, .meter = "1234567890123" };
    int64_t job = new_job();
    int64_t a = enqueue(job, "/q/a.csv", sha_a, 1111, "long", &opt, ENQUEUE_ADDED);
    assert_string_equal(file_value("status", a), "queued");
    assert_string_equal(file_value("options->>'meter'", a), "1234567890123");
    assert_string_equal(file_value("options->>'max_reject_ratio'", a), "0.05");
    assert_string_equal(file_value("options ? 'create_meters'", a), "f");

    struct enqueue_result res;
    assert_int_equal(queue_enqueue(conn, job, "/q/a-copy.csv", sha_a, 1111, "long", stage_of("long"), &opt, &res,
                                   &err), 0);
    assert_int_equal(res.outcome, ENQUEUE_ADOPTED);
    assert_int_equal(res.file_id, a);
    assert_string_equal(res.status, "queued");

    PQclear(PQexec(conn, "UPDATE meterops.load_file SET status = 'loaded', "
                         "finished_at = '2024-05-01 10:20:00+00' WHERE path = '/q/a.csv'"));
    assert_int_equal(queue_enqueue(conn, job, "/q/a-again.csv", sha_a, 1111, "long", stage_of("long"), &opt, &res,
                                   &err), 0);
    assert_int_equal(res.outcome, ENQUEUE_SKIPPED);
    assert_int_equal(res.file_id, a);
    assert_string_equal(res.status, "loaded");
    assert_string_equal(res.when, "2024-05-01 10:20 UTC");
    /* only a file the size of one queued, loading or loaded must be hashed first */
    assert_int_equal(queue_size_seen(conn, 1111, &err), 1);
    assert_int_equal(queue_size_seen(conn, 1112, &err), 0);
    /* no row for either copy */
    PGresult *r = PQexec(conn, "SELECT count(*) FROM meterops.load_file WHERE path LIKE '/q/a%'");
    assert_string_equal(PQgetvalue(r, 0, 0), "1");
    PQclear(r);
}

static void test_claim_takes_a_jobs_registry_feeds_before_its_readings(void **state)
{
    (void)state;
    struct mo_err err;
    struct queue_options opt = { .max_reject_ratio = 0.25, .create_meters = 1 };
    int64_t job = new_job();
    int64_t readings = enqueue(job, "/q/readings.csv", sha_b, 2000, "long", &opt, ENQUEUE_ADDED);
    int64_t customers = enqueue(job, "/q/customers.csv", sha_c, 300, "customers", &opt,
                                ENQUEUE_ADDED);
    int64_t ids[2] = { readings, customers };
    struct claimed_file cf;
    assert_int_equal(queue_claim(conn, "host:1", 60, ids, 2, &cf, &err), 1);
    assert_int_equal(cf.file_id, customers);
    assert_string_equal(cf.path, "/q/customers.csv");
    assert_string_equal(cf.format, "customers");
    assert_string_equal(cf.sha256, sha_c);
    assert_int_equal(cf.bytes, 300);
    assert_int_equal(cf.attempt, 1);
    assert_int_equal(cf.create_meters, 1);
    assert_null(cf.meter);
    assert_true(cf.max_reject_ratio > 0.249 && cf.max_reject_ratio < 0.251);
    assert_string_equal(file_value("status || ' ' || claimed_by", customers), "loading host:1");
    queue_claimed_free(&cf);

    /* the readings wait while the feed of their job is loading */
    struct claimed_file none;
    assert_int_equal(queue_claim(conn, "host:2", 60, ids, 2, &none, &err), 0);

    assert_int_equal(queue_fail(conn, customers, "host:1", "cannot open: gone", &err), 1);
    assert_string_equal(file_value("status || ': ' || message", customers), "failed: cannot open: gone");
    assert_string_equal(file_value("lease_until IS NULL AND finished_at IS NOT NULL", customers), "t");
    assert_int_equal(queue_claim(conn, "host:2", 60, ids, 2, &cf, &err), 1);
    assert_int_equal(cf.file_id, readings);
    assert_string_equal(cf.format, "long");
    queue_claimed_free(&cf);
}

static void test_renew_holds_only_the_current_attempt(void **state)
{
    (void)state;
    struct mo_err err;
    struct queue_options opt = { .max_reject_ratio = 0.01 };
    int64_t job = new_job();
    int64_t id = enqueue(job, "/q/renew.csv", sha_d, 4000, "wide", &opt, ENQUEUE_ADDED);
    struct claimed_file cf;
    assert_int_equal(queue_claim(conn, "host:1", 60, &id, 1, &cf, &err), 1);
    assert_int_equal(cf.attempt, 1);
    assert_int_equal(queue_renew(conn, id, "host:1", 1, 60, 500, &err), 1);
    assert_string_equal(file_value("progress_rows", id), "500");
    assert_int_equal(queue_renew(conn, id, "host:9", 1, 60, 600, &err), 0); /* not its claim */
    assert_int_equal(queue_renew(conn, id, "host:1", 2, 60, 600, &err), 0); /* no such attempt */

    /* a lost connection: the same claim, a new attempt, progress from zero */
    assert_int_equal(queue_reclaim(conn, &cf, "host:1", 60, &err), 1);
    assert_int_equal(cf.attempt, 2);
    assert_string_equal(file_value("attempts || ' ' || progress_rows", id), "2 0");
    assert_int_equal(queue_renew(conn, id, "host:1", 1, 60, 700, &err), 0);
    assert_int_equal(queue_renew(conn, id, "host:1", 2, 60, 700, &err), 1);

    /* given back on stop: queued again, unclaimed, and the old claim cannot be taken up */
    assert_int_equal(queue_release(conn, id, "host:1", "loader stopped", &err), 1);
    assert_int_equal(queue_release(conn, id, "host:1", "again", &err), 0); /* not its claim now */
    assert_string_equal(file_value("status || ' ' || coalesce(claimed_by, '-') || ' ' || message", id),
                        "queued - loader stopped");
    assert_int_equal(queue_reclaim(conn, &cf, "host:1", 60, &err), 0);
    assert_int_equal(queue_renew(conn, id, "host:1", 2, 60, 800, &err), 0);
    queue_claimed_free(&cf);
}

static void test_a_claim_whose_lease_ran_out_goes_to_the_next_loader(void **state)
{
    (void)state;
    struct mo_err err;
    struct queue_options opt = { .max_reject_ratio = 0.01 };
    int64_t job = new_job();
    int64_t id = enqueue(job, "/q/expired.csv", NULL, 5000, "long", &opt, ENQUEUE_ADDED);
    assert_string_equal(file_value("sha256", id), "-"); /* hashed by the loader */
    struct claimed_file cf;
    assert_int_equal(queue_claim(conn, "host:1", 60, &id, 1, &cf, &err), 1);
    assert_string_equal(cf.sha256, "");
    queue_claimed_free(&cf);
    struct claimed_file other;
    assert_int_equal(queue_claim(conn, "host:2", 60, &id, 1, &other, &err), 0); /* held */
    PQclear(PQexec(conn, "UPDATE meterops.load_file SET lease_until = now() - interval '1 second' "
                         "WHERE path = '/q/expired.csv'"));
    assert_int_equal(queue_claim(conn, "host:2", 60, &id, 1, &other, &err), 1);
    assert_int_equal(other.file_id, id);
    assert_int_equal(other.attempt, 2);
    assert_string_equal(file_value("claimed_by", id), "host:2");
    /* the first loader's lease keeper finds it gone, and failing it is not its to do */
    assert_int_equal(queue_renew(conn, id, "host:1", 1, 60, 10, &err), 0);
    assert_int_equal(queue_fail(conn, id, "host:1", "too late", &err), 0);
    assert_string_equal(file_value("status", id), "loading");
    queue_claimed_free(&other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enqueue_adopts_a_waiting_copy_and_skips_a_loaded_one),
        cmocka_unit_test(test_claim_takes_a_jobs_registry_feeds_before_its_readings),
        cmocka_unit_test(test_renew_holds_only_the_current_attempt),
        cmocka_unit_test(test_a_claim_whose_lease_ran_out_goes_to_the_next_loader),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
