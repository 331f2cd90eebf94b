/* filehash.h - a file's sha256 (the queue's identity of a file's content) and its first
 * line, read in one streaming pass with a small buffer whatever the file's size. */
#ifndef MO_FILEHASH_H
#define MO_FILEHASH_H

#include <stddef.h>
#include <stdint.h>

#include "backend/err.h"

struct filehash {
    char sha256[65];    /* lowercase hex */
    int64_t bytes;
    char first_line[4096]; /* up to the first newline (or the buffer's size), NUL-ended */
    size_t first_len;
};

/* Returns 0, or -1 with err naming the file and the system's reason. */
int filehash_file(const char *path, struct filehash *out, struct mo_err *err);

/* sha256 of a memory block, as lowercase hex (for tests and small inputs). */
void filehash_hex(const void *data, size_t len, char hex[65]);

#endif
