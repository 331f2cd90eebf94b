/* zalloc.h - zeroed memory for hash tables and arrays that are read before written.
 *
 * calloc hands back fresh pages that the kernel maps to its shared zero page on the first
 * read; the first write to such a page faults again, and replacing that mapping flushes
 * the TLB of every CPU running one of the process's threads: an interprocessor interrupt
 * per page, dear in a virtual machine (profiled: a third of the file thread's time while
 * its first open days went into a fresh day table). Writing the zeros ourselves maps
 * each page once, writable, before the other threads can be affected. */
#ifndef MO_ZALLOC_H
#define MO_ZALLOC_H

#include <stdlib.h>

static inline void *zalloc(size_t n, size_t size)
{
    unsigned char *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        return NULL;
    /* a volatile store per 4 kB: a plain memset of zeros would be folded into the calloc */
    size_t bytes = (n ? n : 1) * (size ? size : 1);
    for (size_t i = 0; i < bytes; i += 4096)
        ((volatile unsigned char *)p)[i] = 0;
    return p;
}

#endif
