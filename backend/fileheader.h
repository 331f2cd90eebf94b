/* fileheader.h - the first stage of a file's load: line 1 read, checked (UTF-8, CSV) and
 * given to the format (the one the file was queued with, else the one the header names),
 * which keeps the column names and the reader's state as header() left it in the
 * struct fileload. */
#ifndef MO_FILEHEADER_H
#define MO_FILEHEADER_H

#include <stddef.h>

#include "backend/err.h"
#include "backend/fileload.h"

/* Reads line 1 of f->fd: f->fmt, the columns, the reader's state and data_offset set.
 * Returns 0; 1 when the header is refused (header_err says why, raw[0..*raw_len) holds
 * line 1, at most 1000 bytes); -1 on an I/O error or no memory (err). */
int fileheader_read(struct fileload *f, struct mo_err *header_err, char *raw, size_t *raw_len,
                    struct mo_err *err);
/* Frees what fileheader_read kept (f->fmt stays: reports name the format). */
void fileheader_free(struct fileload *f);

#endif
