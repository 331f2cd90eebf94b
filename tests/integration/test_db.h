/* test_db.h - for C tests that need the suite's server (tests/run-test sets $PGHOST etc.): a
 * fresh database of their own, migrated, so tests never see each other's rows. */
#ifndef MO_TEST_DB_H
#define MO_TEST_DB_H

#include <libpq-fe.h>

/* Drops and creates database `name`, connects to it as application `app` and applies the
 * schema. NULL when any step fails. */
PGconn *test_db_fresh(const char *name, const char *app);
/* Another connection to the same database. */
PGconn *test_db_connect(const char *name, const char *app);

#endif
