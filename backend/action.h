/* action.h - one shape for the audited actions (ack a file, cancel or terminate a
 * session): one statement that calls a SECURITY DEFINER function, which checks the caller's
 * right and writes audit_log with session_user and the reason. PostgreSQL decides who may;
 * a refusal reaches the caller as the server's own message. Private to backend/: the
 * action_*.h modules give ui/ and cli/ their typed calls. */
#ifndef MO_ACTION_H
#define MO_ACTION_H

#include <stdint.h>

#include "backend/action_done.h"
#include "backend/err.h"
#include "backend/sql.h"

struct dba;

/* Asynchronous, on the console's connection: done(ctx, tag, NULL) once the function
 * returned, or with err. */
int action_run(struct dba *db, enum sql_query q, int nparams, const char *const *params,
               action_done_fn done, void *ctx, uint64_t tag, struct mo_err *err);

/* Blocking, for the command line: 0 done, 1 refused by the function itself (no such
 * object P0002, wrong state 55000, bad argument such as no reason 22023: err says which),
 * -1 could not run (no database, no right: 42501). */
int action_once(const char *conninfo, const char *app_name, enum sql_query q, int nparams,
                const char *const *params, struct mo_err *err);

#endif
