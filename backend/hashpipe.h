/* hashpipe.h - the sha256 of a file, computed on a thread of its own from the pieces the
 * loader reads anyway, in the order it reads them.
 *
 * Hashing a file before loading it is a serial pass over every byte (SHA-NI: 0.19 s for
 * 268 MB) during which nothing loads. Fed with the loader's chunks, the hash overlaps the
 * parsing and the server's COPY instead, and it is the hash of exactly the bytes parsed. */
#ifndef MO_HASHPIPE_H
#define MO_HASHPIPE_H

#include <stddef.h>
#include <stdint.h>

struct hashpipe;

/* depth: how many pieces may wait at once (hashpipe_add blocks beyond); nice: the hashing
 * thread's own nice value (Linux). NULL when out of memory or no thread could be started. */
struct hashpipe *hashpipe_start(int depth, int nice);
/* Queues p[0..n), which must stay valid and unchanged until hashpipe_wait(ticket) (or
 * hashpipe_end) returns. Returns the piece's ticket. */
uint64_t hashpipe_add(struct hashpipe *h, const void *p, size_t n);
/* Returns once the piece with this ticket (and every earlier one) is hashed. */
void hashpipe_wait(struct hashpipe *h, uint64_t ticket);
/* Hashes what is queued, writes the lowercase hex digest, stops the thread and frees h;
 * returns the number of bytes hashed. Every h that was started must end here, on error
 * paths too: until then its thread waits for more pieces. */
int64_t hashpipe_end(struct hashpipe *h, char hex[65]);

#endif
