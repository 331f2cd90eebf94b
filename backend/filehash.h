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
    size_t head_len;    /* filehash_head: the bytes read into first_line, past its NUL
                         * too (an XML feed's root may be on line 2) */
};

/* Opens path for reading when it is a regular file, and only then: a FIFO would block
 * open() and a device (/dev/zero) never ends, so anything else is refused with code
 * file_not_regular before a byte is read. The descriptor is blocking; *size is the
 * file's size. Returns the descriptor, or -1 with err naming the file. */
int filehash_open_regular(const char *path, int64_t *size, struct mo_err *err);

/* Returns 0, or -1 with err naming the file and the system's reason. */
int filehash_file(const char *path, struct filehash *out, struct mo_err *err);
/* The size and the first line only; sha256 is left "". */
int filehash_head(const char *path, struct filehash *out, struct mo_err *err);

/* Incremental sha256 (libcrypto) for bytes that arrive in pieces. */
struct sha256_stream;
struct sha256_stream *sha256_stream_new(void);
void sha256_stream_add(struct sha256_stream *s, const void *data, size_t len);
/* Writes the lowercase hex digest and frees the stream. */
void sha256_stream_end(struct sha256_stream *s, char hex[65]);
void sha256_stream_free(struct sha256_stream *s);

#endif
