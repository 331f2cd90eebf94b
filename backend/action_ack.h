/* action_ack.h - acknowledging a rejected or failed file through meterops.ack_file(), which
 * checks the caller's right (operators; support is refused) and audits the user and the
 * reason (an audited action, action.h). An acknowledged file stays listed but no longer
 * raises the health level. Also the count of live loaders, for requeue's "no loader is
 * alive to take it". */
#ifndef MO_ACTION_ACK_H
#define MO_ACTION_ACK_H

#include <stdint.h>

#include "backend/action_done.h"
#include "backend/err.h"

struct dba;

/* Blocking, for the command line: 0 acknowledged, 1 refused by the function (no such
 * file, not rejected or failed: err says which), -1 could not run (no database, no right). */
int ack_file_once(const char *conninfo, int64_t file_id, const char *reason, struct mo_err *err);

/* Asynchronous, for the console: done gets the file id as its tag, err NULL when the file
 * was acknowledged. */
int ack_run(struct dba *db, int64_t file_id, const char *reason, action_done_fn done, void *ctx,
            struct mo_err *err);

/* Live loaders now (-1 when it cannot be read). */
int loaders_live_once(const char *conninfo, struct mo_err *err);

#endif
