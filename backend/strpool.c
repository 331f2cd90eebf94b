/* strpool.c - see strpool.h. */
#include "backend/strpool.h"

#include <stdlib.h>
#include <string.h>

struct strpool_block {
    struct strpool_block *next;
    size_t used, cap;
    char data[];
};

enum { BLOCK_SIZE = 16384 };

const char *strpool_dup(struct strpool *p, const char *s)
{
    if (!s)
        s = "";
    size_t n = strlen(s) + 1;
    struct strpool_block *b = p->head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > BLOCK_SIZE ? n : BLOCK_SIZE;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->used = 0;
        b->cap = cap;
        b->next = p->head;
        p->head = b;
    }
    char *out = b->data + b->used;
    memcpy(out, s, n);
    b->used += n;
    return out;
}

void strpool_free(struct strpool *p)
{
    struct strpool_block *b = p->head;
    while (b) {
        struct strpool_block *next = b->next;
        free(b);
        b = next;
    }
    p->head = NULL;
}
