/* action_signal.c - see action_signal.h. */
#include "backend/action_signal.h"

#include <stdio.h>

#include "backend/action.h"

int signal_run(struct dba *db, enum backend_signal what, int pid, const char *reason,
               action_done_fn done, void *ctx, struct mo_err *err)
{
    char spid[16];
    snprintf(spid, sizeof spid, "%d", pid);
    const char *p[2] = { spid, reason };
    return action_run(db, what == SIGNAL_CANCEL ? SQL_CONSOLE_BACKEND_CANCEL : SQL_CONSOLE_BACKEND_TERMINATE,
                      2, p, done, ctx, (uint64_t)pid, err);
}
