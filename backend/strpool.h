/* strpool.h - strings copied out of a query result into blocks that never move, so the
 * plain structs the fetch modules return can point into them; freed all at once with the
 * struct that owns the pool (one allocation per block, not per string). */
#ifndef MO_STRPOOL_H
#define MO_STRPOOL_H

#include <stddef.h>

struct strpool_block;
struct strpool {
    struct strpool_block *head;
};

/* A copy of s (NULL gives ""), valid until strpool_free; NULL only when memory ran out. */
const char *strpool_dup(struct strpool *p, const char *s);
void strpool_free(struct strpool *p);

#endif
