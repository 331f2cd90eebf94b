/* The server checks of `meterops status` without a server (backend/health.c judging the
 * check parts of fetch_checks.h) and status.conf (backend/health_conf.c): thresholds with
 * units and off, and errors that name file:line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/health.h"
#include "backend/health_conf.h"

static struct dashboard quiet(void)
{
    struct dashboard d;
    memset(&d, 0, sizeof d);
    d.parts_asked = d.parts_ok = DASH_ACTIVITY | DASH_XID | DASH_REPLICATION | DASH_SLOTS | DASH_SERVER;
    d.activity.idle_xact_s = d.activity.longest_wait_s = -1;
    d.xid.datname = "meterops";
    d.xid.age = 1000;
    d.xid.freeze_max_age = 200000000;
    return d;
}

/* The level of check name (about subject, when given); -1 when absent. */
static int level_of(const struct dashboard *d, const struct health_thresholds *t, const char *name,
                    const char *subject, enum health_level *overall)
{
    struct health_check c[HEALTH_MAX_CHECKS];
    int n = health_evaluate(d, t, c, overall);
    for (int i = 0; i < n; i++)
        if (strcmp(c[i].name, name) == 0 && (!subject || (c[i].subject && strcmp(c[i].subject, subject) == 0)))
            return (int)c[i].level;
    return -1;
}

static void test_server_checks(void **state)
{
    (void)state;
    struct health_thresholds t;
    health_defaults(&t);
    enum health_level overall;
    struct dashboard d = quiet();
    assert_int_equal(level_of(&d, &t, "xid_wraparound_pct", NULL, &overall), HEALTH_OK);
    assert_int_equal(overall, HEALTH_OK);
    assert_int_equal(level_of(&d, &t, "archive_failing_s", NULL, &overall), -1); /* archive_mode off */

    d.xid.age = 1200000000; /* 55.9% of 2^31 */
    assert_int_equal(level_of(&d, &t, "xid_wraparound_pct", NULL, &overall), HEALTH_WARNING);
    d.xid.age = 1700000000;
    assert_int_equal(level_of(&d, &t, "xid_wraparound_pct", NULL, &overall), HEALTH_CRITICAL);

    d = quiet();
    d.activity.idle_xact_s = 301;
    d.activity.idle_xact_pid = 42;
    assert_int_equal(level_of(&d, &t, "idle_in_transaction_s", NULL, &overall), HEALTH_WARNING);
    d.activity.blocked = 21;
    assert_int_equal(level_of(&d, &t, "blocked_sessions", NULL, &overall), HEALTH_CRITICAL);

    /* one check per standby and per slot, each named by its subject */
    d = quiet();
    d.nstandbys = 2;
    d.standbys[0] = (struct dash_standby){ "far", "streaming", "async", 2e9, 400 };
    d.standbys[1] = (struct dash_standby){ "near", "streaming", "async", 0, 0 };
    assert_int_equal(level_of(&d, &t, "replication_lag_s", "far", &overall), HEALTH_CRITICAL);
    assert_int_equal(level_of(&d, &t, "replication_lag_bytes", "far", &overall), HEALTH_CRITICAL);
    assert_int_equal(level_of(&d, &t, "replication_lag_s", "near", &overall), HEALTH_OK);
    d = quiet();
    d.nslots = d.slots_total = d.slots_inactive = 1;
    d.slots[0] = (struct dash_slot){ "s1", "physical", "reserved", false, 5.0 * 1024 * 1024 * 1024 };
    assert_int_equal(level_of(&d, &t, "inactive_slots", NULL, &overall), HEALTH_WARNING);
    assert_int_equal(level_of(&d, &t, "slot_retained_bytes", "s1", &overall), HEALTH_WARNING);

    /* requested checkpoints: not judged over less than an hour of statistics */
    d = quiet();
    d.server.checkpoints_req = 50;
    d.server.stats_hours = 0.5;
    d.server.last_failed_wal = "";
    assert_int_equal(level_of(&d, &t, "checkpoints_req_per_hour", NULL, &overall), HEALTH_OK);
    d.server.stats_hours = 2; /* 25 an hour */
    assert_int_equal(level_of(&d, &t, "checkpoints_req_per_hour", NULL, &overall), HEALTH_WARNING);
    d.server.archiving = true;
    d.server.failing_s = 10;
    assert_int_equal(level_of(&d, &t, "archive_failing_s", NULL, &overall), HEALTH_WARNING);

    /* a threshold that is off never raises the level */
    d = quiet();
    d.nslots = d.slots_total = d.slots_inactive = 1;
    d.slots[0] = (struct dash_slot){ "s1", "physical", "reserved", false, 0 };
    t.warning[HC_SLOTS_INACTIVE] = HEALTH_OFF;
    assert_int_equal(level_of(&d, &t, "inactive_slots", NULL, &overall), HEALTH_OK);
    assert_int_equal(overall, HEALTH_OK);
}

/* Writes text to a temporary file and loads it over the defaults. */
static int load(const char *text, struct health_thresholds *t, struct mo_err *err, char path[64])
{
    snprintf(path, 64, "/tmp/test_health_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    health_defaults(t);
    mo_err_clear(err);
    int rc = health_conf_load(path, t, err);
    unlink(path);
    return rc;
}

static void test_conf(void **state)
{
    (void)state;
    struct health_thresholds t;
    struct mo_err err;
    char path[64], want[128];
    assert_int_equal(load("# thresholds\n\nconnections_pct.warning = 80%  # comment\n"
                          "slot_retained_bytes.critical = 1.5GB\n"
                          "longest_transaction_s.critical = 2h\n"
                          "idle_in_transaction_s.warning=500ms\n"
                          "queue_age_minutes.critical = 3h\n"
                          "inactive_slots.warning = OFF\n", &t, &err, path), 0);
    assert_true(t.warning[HC_CONNECTIONS] == 80);
    assert_true(t.critical[HC_CONNECTIONS] == 90); /* untouched: the default */
    assert_true(t.critical[HC_SLOT_RETAINED] == 1.5 * 1024 * 1024 * 1024);
    assert_true(t.critical[HC_XACT] == 7200);
    assert_true(fabs(t.warning[HC_IDLE_XACT] - 0.5) < 1e-9);
    assert_true(t.critical[HC_QUEUE_AGE] == 180);
    assert_true(t.warning[HC_SLOTS_INACTIVE] == HEALTH_OFF);

    static const struct { const char *text; long line; const char *why; } bad[] = {
        { "connections_pct.warning = 80\nno_such.warning = 1\n", 2, "unknown check" },
        { "connections_pct.sometimes = 1\n", 1, "unknown key" },
        { "connections_pct = 1\n", 1, "the key is CHECK.warning or CHECK.critical" },
        { "\n\nconnections_pct.warning 80\n", 3, "expected CHECK.warning" },
        { "connections_pct.warning = lots\n", 1, "not a number" },
        { "connections_pct.warning = -5\n", 1, "not a number" },
        { "connections_pct.warning = nan\n", 1, "not a number" },
        { "connections_pct.warning =\n", 1, "no value" },
        { "blocked_sessions.warning = 5s\n", 1, "a count takes no unit" },
        { "slot_retained_bytes.warning = 5 min\n", 1, "a size takes" },
        { "lock_wait_s.warning = 5GB\n", 1, "a time takes" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(load(bad[i].text, &t, &err, path), -1);
        assert_string_equal(err.code, "config");
        assert_int_equal(err.line, bad[i].line);
        snprintf(want, sizeof want, "%s:%ld: %s", path, bad[i].line, bad[i].why);
        if (strncmp(err.message, want, strlen(want)) != 0)
            fail_msg("case %zu: '%s' does not start with '%s'", i, err.message, want);
    }
    health_defaults(&t);
    assert_int_equal(health_conf_load("/nonexistent/status.conf", &t, &err), -1);
    assert_non_null(strstr(err.message, "cannot read /nonexistent/status.conf"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_server_checks),
        cmocka_unit_test(test_conf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
