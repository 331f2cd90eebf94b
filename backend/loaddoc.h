/* loaddoc.h - one read of a document-format file (reader.h READER_DOCUMENT: Green Button
 * XML, Octopus JSON) for loadfile.c: the file streamed from byte 0 through its reader, the bytes into
 * the file's hash, each reading through the parser's checks (parse.h parse_doc_row) into
 * chunks the assembler takes in order, as a CSV file's chunks. Nothing else differs: the
 * same transaction, validation, duplicates, load_error rows and decision. */
#ifndef MO_LOADDOC_H
#define MO_LOADDOC_H

#include "backend/assemble.h"
#include "backend/fileload.h"
#include "backend/hashpipe.h"
#include "backend/loadfile.h"

/* Returns 0 when the document was read to its end; 1 when the document itself is refused
 * (refusal: code, line, column, why; the caller rejects the file with it); -1 on an I/O,
 * memory or assembler error (err). pass1: progress is counted (the first read of the file). */
int loaddoc_read(struct file_thread *t, struct fileload *f, struct assembler *a,
                 struct hashpipe *hp, int pass1, struct mo_err *refusal, struct mo_err *err);

#endif
