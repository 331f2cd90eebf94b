/* The console's data layer without a server: LISTEN payloads, the health thresholds
 * `meterops status` exits by, and merging LISTEN-driven updates into the file list.
 * (The JSON writer's cases are in test_jsonw.c.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/fetch_files.h"
#include "backend/health.h"
#include "backend/notify.h"
#include "backend/textfmt.h"

static void test_notify_payload_from_the_trigger(void **state)
{
    (void)state;
    struct load_event ev;
    /* exactly what json_build_object(...)::text sends */
    assert_int_equal(notify_parse_load("{\"file_id\" : 12, \"status\" : \"loading\", \"progress_rows\" : 21000}", &ev), 0);
    assert_int_equal(ev.file_id, 12);
    assert_string_equal(ev.status, "loading");
    assert_int_equal(ev.progress_rows, 21000);
    /* the payload is flat: a nested value means another producer, not the trigger */
    assert_int_equal(notify_parse_load("{\"status\":\"rejected\",\"extra\":{\"x\":1},\"file_id\":3}", &ev), -1);
    /* members in another order, and ones this version does not know */
    assert_int_equal(notify_parse_load("{\"status\":\"rejected\",\"host\":\"a\",\"note\":null,\"file_id\":3}", &ev), 0);
    assert_int_equal(ev.file_id, 3);
    assert_int_equal(ev.progress_rows, -1);
}

static void test_notify_rejects_what_is_not_a_file_event(void **state)
{
    (void)state;
    struct load_event ev = { .file_id = 99 };
    assert_int_equal(notify_parse_load("", &ev), -1);
    assert_int_equal(notify_parse_load("hello", &ev), -1);
    assert_int_equal(notify_parse_load("{\"file_id\": 1, \"status\": \"exploded\"}", &ev), -1);
    assert_int_equal(notify_parse_load("{\"status\": \"loaded\"}", &ev), -1);
    assert_int_equal(notify_parse_load("{\"file_id\": 1.5, \"status\": \"loaded\"}", &ev), -1);
    assert_int_equal(notify_parse_load("{\"file_id\": 1, \"status\": \"loaded\"} trailing", &ev), -1);
    assert_int_equal(notify_parse_load(NULL, &ev), -1);
    assert_int_equal(ev.file_id, 99); /* untouched on failure */
}

static struct dashboard healthy(void)
{
    struct dashboard d;
    memset(&d, 0, sizeof d);
    d.parts_asked = d.parts_ok = DASH_ALL;
    d.files.loaded = 10;
    d.files.oldest_queued_s = -1;
    d.health.connections = 5;
    d.health.max_connections = 100;
    d.health.longest_xact_s = -1;
    d.health.replica_lag_s = -1;
    return d;
}

static enum health_level judge(const struct dashboard *d, const char *name, enum health_level *level)
{
    struct health_thresholds t;
    health_defaults(&t);
    struct health_check c[HEALTH_MAX_CHECKS];
    enum health_level overall;
    int n = health_evaluate(d, &t, c, &overall);
    *level = (enum health_level)-1;
    for (int i = 0; i < n; i++)
        if (strcmp(c[i].name, name) == 0)
            *level = c[i].level;
    return overall;
}

static void test_health_thresholds(void **state)
{
    (void)state;
    enum health_level l;
    struct dashboard d = healthy();
    assert_int_equal(judge(&d, "failed_files_24h", &l), HEALTH_OK);
    assert_int_equal(l, HEALTH_OK);
    assert_int_equal(judge(&d, "replication_lag_s", &l), HEALTH_OK);
    assert_int_equal((int)l, -1); /* no replica: no lag check */

    d = healthy();
    d.files.rejected = 1;
    d.unacked_rejected = 1;
    assert_int_equal(judge(&d, "rejected_files_24h", &l), HEALTH_WARNING);
    d.files.failed = 1;
    d.unacked_failed = 1;
    assert_int_equal(judge(&d, "failed_files_24h", &l), HEALTH_CRITICAL);

    /* acknowledged (ack_file): still counted, no longer raising the level */
    d = healthy();
    d.files.rejected = 2;
    d.files.failed = 1;
    assert_int_equal(judge(&d, "failed_files_24h", &l), HEALTH_OK);
    assert_int_equal(l, HEALTH_OK);
    /* without the problems part, every failure counts as before */
    d.parts_ok &= ~(unsigned)DASH_PROBLEMS;
    judge(&d, "failed_files_24h", &l);
    assert_int_equal(l, HEALTH_CRITICAL);

    /* files queued with no live loader to take them */
    d = healthy();
    d.files.queued = 3;
    assert_int_equal(judge(&d, "queued_without_loader", &l), HEALTH_CRITICAL);
    d.live_loaders = 1;
    assert_int_equal(judge(&d, "queued_without_loader", &l), HEALTH_OK);
    d = healthy();
    d.files.expired_leases = 1; /* abandoned: its loader is gone */
    judge(&d, "queued_without_loader", &l);
    assert_int_equal(l, HEALTH_CRITICAL);

    d = healthy();
    d.files.expired_leases = 1;
    assert_int_equal(judge(&d, "expired_leases", &l), HEALTH_CRITICAL);

    d = healthy();
    d.files.oldest_queued_s = 30 * 60; /* exactly the threshold: not above it */
    assert_int_equal(judge(&d, "queue_age_minutes", &l), HEALTH_OK);
    d.files.oldest_queued_s = 31 * 60;
    assert_int_equal(judge(&d, "queue_age_minutes", &l), HEALTH_WARNING);
    d.files.oldest_queued_s = 121 * 60;
    assert_int_equal(judge(&d, "queue_age_minutes", &l), HEALTH_CRITICAL);

    d = healthy();
    d.health.connections = 90;
    assert_int_equal(judge(&d, "connections_pct", &l), HEALTH_WARNING);
    d.health.connections = 91;
    assert_int_equal(judge(&d, "connections_pct", &l), HEALTH_CRITICAL);

    d = healthy();
    d.health.replicas = 1;
    d.health.replica_lag_s = 61;
    assert_int_equal(judge(&d, "replication_lag_s", &l), HEALTH_WARNING);
    d.health.replica_lag_s = 301;
    assert_int_equal(judge(&d, "replication_lag_s", &l), HEALTH_CRITICAL);

    d = healthy();
    d.health.longest_xact_s = 3601;
    assert_int_equal(judge(&d, "longest_transaction_s", &l), HEALTH_WARNING);

    d = healthy();
    d.parts_ok &= ~(unsigned)DASH_METERS; /* e.g. permission denied on reading_day */
    mo_err_set(&d.err, "42501", "permission denied for table reading_day");
    assert_int_equal(judge(&d, "unreadable", &l), HEALTH_WARNING);
}

static struct file_list *list_of(const int64_t *ids, const char *const *statuses, size_t n)
{
    struct file_list *l = calloc(1, sizeof *l);
    l->rows = calloc(n ? n : 1, sizeof *l->rows);
    for (size_t i = 0; i < n; i++) {
        struct file_row *r = &l->rows[i];
        r->file_id = ids[i];
        r->rows_total = (int64_t)(100 * (n - i));
        snprintf(r->status, sizeof r->status, "%s", statuses[i]);
        char path[64];
        snprintf(path, sizeof path, "/in/f%03lld.csv", (long long)ids[i]);
        r->path = strpool_dup(&l->pool, path);
        r->format = r->sha256 = r->message = r->claimed_by = strpool_dup(&l->pool, "");
    }
    l->n = l->cap = n;
    l->matching = (int64_t)n;
    return l;
}

static struct dashboard *sample(double at, const struct dash_sample_item *items, size_t n, double queued)
{
    struct dashboard *d = calloc(1, sizeof *d);
    assert_non_null(d);
    d->parts_asked = d->parts_ok = DASH_THROUGHPUT;
    d->sample_at = at;
    d->sample = malloc(n * sizeof *items);
    memcpy(d->sample, items, n * sizeof *items);
    d->nsample = n;
    d->bytes_total = queued;
    for (size_t i = 0; i < n; i++)
        if (items[i].kind == 'l') {
            d->bytes_done += items[i].bytes_done;
            d->bytes_total += (double)items[i].bytes;
        }
    return d;
}

/* File 1 loads on, file 2 finishes between the samples, file 3 starts; a COPY restarts. */
static void test_rate_is_the_difference_of_two_samples(void **state)
{
    (void)state;
    struct dash_rate r = { 0 };
    const struct dash_sample_item a[] = {
        { 'l', 1, 1000, 100, 1000, 10 }, { 'l', 2, 5000, 500, 600, 10 }, { 'c', 77, 900, 0, 1, 0 },
    };
    struct dashboard *d1 = sample(100.0, a, 3, 4000);
    assert_int_equal(dash_rate_update(&r, d1), 0);
    assert_false(r.known);                        /* one sample tells no rate */
    const struct dash_sample_item b[] = {
        { 'l', 1, 3000, 300, 1000, 12 }, { 'f', 2, 6000, 600, 600, 11 }, { 'l', 3, 2000, 100, 1000, 1 },
        { 'c', 77, 400, 0, 1, 0 },
    };
    struct dashboard *d2 = sample(102.0, b, 4, 4000);
    assert_int_equal(dash_rate_update(&r, d2), 0);
    assert_true(r.known);
    /* readings: (3000-1000) + (6000-5000) + 2000 = 5000 in 2 s */
    assert_true(r.readings_per_s > 2499.9 && r.readings_per_s < 2500.1);
    /* bytes: 200 + 100 + 100 = 400 in 2 s */
    assert_true(r.bytes_per_s > 199.9 && r.bytes_per_s < 200.1);
    /* the COPY went down: a new COPY, its 400 tuples count */
    assert_true(r.copy_tuples_per_s > 199.9 && r.copy_tuples_per_s < 200.1);
    /* left: loading 2000 - 400 done, queued 4000: 5600 at 200 B/s */
    assert_int_equal(r.eta_s, 28);
    /* Nothing moves: the rate falls to 0 at the next sample, not a minute later. */
    struct dashboard *d3 = sample(104.0, b, 4, 4000);
    assert_int_equal(dash_rate_update(&r, d3), 0);
    assert_true(r.readings_per_s == 0 && r.bytes_per_s == 0);
    assert_int_equal(r.eta_s, -1);
    dash_rate_free(&r);
    dashboard_free(d1);
    dashboard_free(d2);
    dashboard_free(d3);
}

static void test_fmt_ago(void **state)
{
    (void)state;
    char b[32];
    assert_string_equal(fmt_ago(b, sizeof b, 0), "now");
    assert_string_equal(fmt_ago(b, sizeof b, 42), "42s ago");
    assert_string_equal(fmt_ago(b, sizeof b, 190), "3m ago");
    assert_string_equal(fmt_ago(b, sizeof b, 7300), "2h ago");
    assert_string_equal(fmt_ago(b, sizeof b, 200000), "2d ago");
}

static void test_merge_replaces_adds_and_drops(void **state)
{
    (void)state;
    int64_t ids[] = { 3, 2, 1 };
    const char *st[] = { "queued", "loaded", "rejected" };
    struct file_list *l = list_of(ids, st, 3);
    /* events named 2 (now loading), 4 (new) and 1 (no longer matching the filter) */
    int64_t asked[] = { 2, 4, 1 };
    int64_t back_ids[] = { 2, 4 };
    const char *back_st[] = { "loading", "queued" };
    struct file_list *part = list_of(back_ids, back_st, 2);
    assert_int_equal(file_list_merge(l, part, asked, 3), 0);
    file_list_free(part);
    assert_int_equal(l->n, 3);
    assert_int_equal(l->matching, 3);
    assert_string_equal(file_list_find(l, 2)->status, "loading");
    assert_string_equal(file_list_find(l, 4)->path, "/in/f004.csv");
    assert_null(file_list_find(l, 1));
    file_list_sort(l, FILE_SORT_ID, true);
    assert_int_equal(l->rows[0].file_id, 4);
    assert_int_equal(l->rows[2].file_id, 2);
    file_list_sort(l, FILE_SORT_STATUS, false); /* queue order: queued, loading, ... */
    assert_int_equal(l->rows[0].file_id, 4); /* queued, newer than 3 */
    assert_int_equal(l->rows[1].file_id, 3);
    assert_int_equal(l->rows[2].file_id, 2);
    file_list_sort(l, FILE_SORT_PATH, true);
    assert_string_equal(l->rows[0].path, "/in/f004.csv");
    file_list_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_notify_payload_from_the_trigger),
        cmocka_unit_test(test_notify_rejects_what_is_not_a_file_event),
        cmocka_unit_test(test_health_thresholds),
        cmocka_unit_test(test_merge_replaces_adds_and_drops),
        cmocka_unit_test(test_rate_is_the_difference_of_two_samples),
        cmocka_unit_test(test_fmt_ago),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
