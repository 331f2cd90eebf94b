/* db_limits.h - the session limits every interactive connection runs with, shared by the
 * blocking connections of db.h and the console's asynchronous one (dbasync.h). Kept apart
 * so that a header which only carries these numbers does not pull libpq in. */
#ifndef MO_DB_LIMITS_H
#define MO_DB_LIMITS_H

/* Session limits every interactive connection runs with. 0 leaves the server default. */
struct db_limits {
    int statement_timeout_ms;
    int lock_timeout_ms;
};

#endif
