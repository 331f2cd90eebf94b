/* docread.c - see docread.h. */
#include "backend/docread.h"

#include <string.h>

static int mem_read(void *ctx, char *buf, int len)
{
    struct doc_memory *m = ctx;
    size_t n = m->len - m->at < (size_t)len ? m->len - m->at : (size_t)len;
    memcpy(buf, m->buf + m->at, n);
    m->at += n;
    return (int)n;
}

static int mem_rewind(void *ctx, struct mo_err *err)
{
    (void)err;
    ((struct doc_memory *)ctx)->at = 0;
    return 0;
}

struct doc_source doc_memory_source(struct doc_memory *m, const char *buf, size_t len)
{
    *m = (struct doc_memory){ buf, len, 0 };
    return (struct doc_source){ mem_read, mem_rewind, m };
}
