/* action_signal.h - cancelling a session's query or terminating the session, on the
 * operator's word, through meterops.cancel_backend() / terminate_backend(): SECURITY
 * DEFINER functions that only the operator role may EXECUTE and that write audit_log with
 * session_user, the reason and what the session was doing (an audited action, action.h).
 * The support role is refused by PostgreSQL ("permission denied for function ..."). */
#ifndef MO_ACTION_SIGNAL_H
#define MO_ACTION_SIGNAL_H

#include "backend/action_done.h"
#include "backend/err.h"

struct dba;

enum backend_signal { SIGNAL_CANCEL, SIGNAL_TERMINATE };

/* done gets the pid as its tag; err NULL when the function sent the signal. */
int signal_run(struct dba *db, enum backend_signal what, int pid, const char *reason,
               action_done_fn done, void *ctx, struct mo_err *err);

#endif
