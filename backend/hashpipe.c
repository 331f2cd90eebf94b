#include "backend/hashpipe.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "backend/filehash.h"

struct piece {
    const void *p;
    size_t n;
};

struct hashpipe {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct sha256_stream *sha;
    struct piece *ring;
    uint64_t depth;
    uint64_t added, hashed;     /* tickets: pieces queued so far, pieces hashed so far */
    int64_t bytes;
    int quit;
    int nice;
};

static void *hash_main(void *arg)
{
    struct hashpipe *h = arg;
    setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), h->nice);
    pthread_mutex_lock(&h->mu);
    for (;;) {
        while (h->hashed == h->added && !h->quit)
            pthread_cond_wait(&h->cv, &h->mu);
        if (h->hashed == h->added)
            break; /* quit, and nothing left */
        struct piece pc = h->ring[h->hashed % h->depth];
        pthread_mutex_unlock(&h->mu);
        sha256_stream_add(h->sha, pc.p, pc.n);
        pthread_mutex_lock(&h->mu);
        h->bytes += (int64_t)pc.n;
        h->hashed++;
        pthread_cond_broadcast(&h->cv);
    }
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

struct hashpipe *hashpipe_start(int depth, int nice)
{
    struct hashpipe *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->nice = nice;
    h->depth = depth > 0 ? (uint64_t)depth : 1;
    h->ring = calloc(h->depth, sizeof *h->ring);
    h->sha = sha256_stream_new();
    if (!h->ring || !h->sha)
        goto fail;
    pthread_mutex_init(&h->mu, NULL);
    pthread_cond_init(&h->cv, NULL);
    if (pthread_create(&h->thread, NULL, hash_main, h) != 0) {
        pthread_mutex_destroy(&h->mu);
        pthread_cond_destroy(&h->cv);
        goto fail;
    }
    return h;
fail:
    sha256_stream_free(h->sha);
    free(h->ring);
    free(h);
    return NULL;
}

uint64_t hashpipe_add(struct hashpipe *h, const void *p, size_t n)
{
    pthread_mutex_lock(&h->mu);
    while (h->added - h->hashed == h->depth)
        pthread_cond_wait(&h->cv, &h->mu);
    h->ring[h->added % h->depth] = (struct piece){ .p = p, .n = n };
    uint64_t ticket = ++h->added;
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&h->mu);
    return ticket;
}

void hashpipe_wait(struct hashpipe *h, uint64_t ticket)
{
    pthread_mutex_lock(&h->mu);
    while (h->hashed < ticket)
        pthread_cond_wait(&h->cv, &h->mu);
    pthread_mutex_unlock(&h->mu);
}

int64_t hashpipe_end(struct hashpipe *h, char hex[65])
{
    pthread_mutex_lock(&h->mu);
    h->quit = 1;
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&h->mu);
    pthread_join(h->thread, NULL);
    int64_t bytes = h->bytes;
    sha256_stream_end(h->sha, hex);
    pthread_mutex_destroy(&h->mu);
    pthread_cond_destroy(&h->cv);
    free(h->ring);
    free(h);
    return bytes;
}
