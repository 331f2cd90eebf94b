/* loadreg.h - the generic path for registry feeds (formats of kind READER_REGISTRY:
 * customers, meters, tariffs, bills).
 *
 * Inside the file's transaction: a temporary table "stage" (line_no bigint, then the
 * format's columns, all text) receives every record with COPY; then the format's upsert
 * statement (fmt->upsert_sql, an embedded query) moves them into the registry in one
 * statement and returns (line_no, column_name, code, message) for each record it
 * refused, which become load_error rows with the raw line read back from the file. */
#ifndef MO_LOADREG_H
#define MO_LOADREG_H

#include <stddef.h>
#include <stdint.h>

#include "backend/errlog.h"
#include "backend/fileload.h"

/* Reads and stages the file and runs the upsert (upsert_text: the SQL; NULL = the
 * embedded query fmt->upsert_sql names). Opens the transaction and leaves it open.
 * Returns 0 with the counts, 1 when the file is refused as a whole (f->refusal: where and
 * why; nothing may land): a registry feed written as XML, or a format whose end() refuses
 * the file once every line is read (a D0010 flow's trailer), or -1 with err. */
int loadreg_run_sql(struct fileload *f, struct errlog *log, const char *upsert_text,
                    int64_t *total, int64_t *loaded, int64_t *rejected, struct mo_err *err);
int loadreg_run(struct fileload *f, struct errlog *log, char *message, size_t message_len,
                int64_t *total, int64_t *loaded, int64_t *rejected, struct mo_err *err);
/* After the decision: a rejected feed's upsert is rolled back (a new transaction is opened
 * for the status and errors). */
int loadreg_finish(struct fileload *f, struct errlog *log, int rejected, struct mo_err *err);

#endif
