/* action_done.h - how an audited action (action.h) reports back to the console: err NULL
 * when the function returned, else why it did not (the server's message). tag is the
 * caller's, usually the id the action was about (a file id, a pid). */
#ifndef MO_ACTION_DONE_H
#define MO_ACTION_DONE_H

#include <stdint.h>

#include "backend/err.h"

typedef void (*action_done_fn)(void *ctx, uint64_t tag, const struct mo_err *err);

#endif
