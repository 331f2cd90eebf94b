/* The generic path for registry feeds (READER_REGISTRY formats), with a format defined
 * here: records are staged with COPY into the temporary table "stage", the upsert moves
 * them, and the rows it refuses become load_error rows with their raw lines. Runs against
 * the suite's private server (a database of its own). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/db.h"
#include "backend/fileload.h"
#include "backend/loadreg.h"
#include "tests/integration/test_db.h"

/* customers feed: account_no,name; the reader rejects an empty account number. */
static const char *const cols[] = { "account_no", "name", NULL };

static int reg_sniff(char *const *f, const size_t *l, int n)
{
    return n == 2 && l[0] == 10 && memcmp(f[0], "account_no", 10) == 0;
}

static void reg_row(struct reader_state *st, char *const *f, const size_t *l, int n,
                    const struct reader_sink *sink)
{
    (void)st;
    if (n != 2) {
        sink->reject(sink->ctx, 0, NULL, RJ_FIELD_COUNT, "a customer line has 2 fields");
        return;
    }
    if (l[0] == 0) {
        sink->reject(sink->ctx, 1, "account_no", RJ_FIELD_INVALID, "no account number");
        return;
    }
    const char *v[2] = { f[0], l[1] ? f[1] : NULL };
    sink->record(sink->ctx, v, 2);
}

static const struct reader_format reg_format = {
    .name = "testreg", .summary = "test registry feed", .kind = READER_REGISTRY,
    .sniff = reg_sniff, .row = reg_row, .columns = cols, .upsert_sql = SQL_NONE,
};

/* Inserts customers with a name; refuses the others, naming the column. */
static const char upsert[] =
    "WITH ins AS (INSERT INTO meterops.customer (account_no, name) "
    "  SELECT account_no, name FROM pg_temp.stage WHERE name IS NOT NULL "
    "  ON CONFLICT (account_no) DO UPDATE SET name = EXCLUDED.name RETURNING 1) "
    "SELECT line_no, 'name', 'field_invalid', 'customer ' || account_no || ' has no name' "
    "FROM pg_temp.stage WHERE name IS NULL ORDER BY line_no";

static PGconn *conn;

static int setup(void **state)
{
    (void)state;
    conn = test_db_fresh("t_loadreg", "test_loadreg");
    return conn ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    PQfinish(conn);
    return 0;
}

static char *one(const char *sql)
{
    PGresult *r = PQexec(conn, sql);
    static char buf[2048];
    snprintf(buf, sizeof buf, "%s", PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) ? PQgetvalue(r, 0, 0) : "?");
    PQclear(r);
    return buf;
}

static void test_stages_upserts_and_records_refusals(void **state)
{
    (void)state;
    char path[] = "/tmp/meterops-loadreg-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    static const char data[] = "account_no,name\n"
                               "A001,Ada\n"
                               ",Nobody\n"
                               "A002,\n"
                               "A003,\"Lovelace, Ada\"\r\n"
                               "A004\n";
    assert_int_equal(write(fd, data, sizeof data - 1), (ssize_t)(sizeof data - 1));
    PQclear(PQexec(conn, "INSERT INTO meterops.load_file (path, sha256, format, status) "
                         "VALUES ('/reg.csv', repeat('c', 64), 'testreg', 'loading')"));
    struct fileload f;
    memset(&f, 0, sizeof f);
    f.claim.path = path;
    f.claim.file_id = 1;
    f.fd = fd;
    f.fmt = &reg_format;
    f.conn = conn;
    f.data_offset = 16; /* after the header line */
    f.max_line = 1 << 20;
    f.seq_state.fmt = &reg_format;
    f.seq_state.path = path;
    struct errlog log;
    struct mo_err err;
    assert_int_equal(errlog_open(&log, 1, 1, -1, &err), 0);
    int64_t total, loaded, rejected;
    assert_int_equal(loadreg_run_sql(&f, &log, upsert, &total, &loaded, &rejected, &err), 0);
    assert_int_equal(total, 5);
    assert_int_equal(loaded, 2);
    assert_int_equal(rejected, 3);
    assert_int_equal(errlog_copy(&log, conn, &err), 0);
    PQclear(PQexec(conn, sql_text(SQL_TX_COMMIT)));
    assert_string_equal(one("SELECT string_agg(account_no || '=' || name, ' ' ORDER BY account_no) FROM meterops.customer"),
                        "A001=Ada A003=Lovelace, Ada");
    assert_string_equal(one("SELECT string_agg(line_no || ':' || coalesce(column_name, '-') || ':' || code || ':' || raw, ' | ' ORDER BY line_no) FROM meterops.load_error"),
                        "3:account_no:field_invalid:,Nobody | 4:name:field_invalid:A002, | 6:-:field_count:A004");
    assert_string_equal(one("SELECT message FROM meterops.load_error WHERE line_no = 4"),
                        "customer A002 has no name");
    assert_string_equal(one("SELECT to_regclass('pg_temp.stage') IS NULL"), "t"); /* dropped at commit */
    errlog_close(&log);
    close(fd);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stages_upserts_and_records_refusals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
