/* parsepool.c - see parsepool.h. */
#include "backend/parsepool.h"

#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "backend/parse.h"

struct parsepool {
    pthread_mutex_t mu;
    pthread_cond_t work_cv;     /* chunks queued, or stopping */
    struct chunk *qhead, *qtail;
    int stop;
    int nice;
    _Atomic uint64_t gen;
    pthread_t *threads;
    int nthreads;
};

/* The first chunk a parse thread may take: any chunk of a parallel stream; for a stream
 * read in order, only its next chunk, and only when no thread has one of it. */
static struct chunk *take_chunk(struct parsepool *pp)
{
    struct chunk *prev = NULL;
    for (struct chunk *c = pp->qhead; c; prev = c, c = c->next) {
        struct parse_stream *s = c->stream;
        if (!s->parallel && (s->parsing || c->seq != s->next_seq))
            continue;
        if (prev)
            prev->next = c->next;
        else
            pp->qhead = c->next;
        if (pp->qtail == c)
            pp->qtail = prev;
        c->next = NULL;
        return c;
    }
    return NULL;
}

static void *parse_thread(void *arg)
{
    struct parsepool *pp = arg;
    setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), pp->nice);
    struct parser p;
    int ok = parser_init(&p) == 0;
    pthread_mutex_lock(&pp->mu);
    for (;;) {
        struct chunk *c = take_chunk(pp);
        if (!c) {
            if (pp->stop)
                break;
            pthread_cond_wait(&pp->work_cv, &pp->mu);
            continue;
        }
        struct parse_stream *s = c->stream;
        if (!s->parallel)
            s->parsing = 1;
        pthread_mutex_unlock(&pp->mu);
        if (ok)
            parse_chunk(&p, c);
        else
            c->oom = 1;
        pthread_mutex_lock(&pp->mu);
        c->done = 1;
        if (!s->parallel) {
            s->parsing = 0;
            s->next_seq++;
            pthread_cond_broadcast(&pp->work_cv);
        }
        pthread_cond_broadcast(&s->done_cv);
    }
    pthread_mutex_unlock(&pp->mu);
    parser_free(&p);
    return NULL;
}

struct parsepool *parsepool_start(int nthreads, int nice)
{
    struct parsepool *pp = calloc(1, sizeof *pp);
    if (!pp)
        return NULL;
    pp->threads = calloc((size_t)(nthreads > 0 ? nthreads : 1), sizeof *pp->threads);
    if (!pp->threads) {
        free(pp);
        return NULL;
    }
    pthread_mutex_init(&pp->mu, NULL);
    pthread_cond_init(&pp->work_cv, NULL);
    pp->nice = nice;
    for (int i = 0; i < nthreads; i++, pp->nthreads++)
        if (pthread_create(&pp->threads[i], NULL, parse_thread, pp) != 0)
            break;
    return pp;
}

void parsepool_finish(struct parsepool *pp)
{
    if (!pp)
        return;
    pthread_mutex_lock(&pp->mu);
    pp->stop = 1;
    pthread_cond_broadcast(&pp->work_cv);
    pthread_mutex_unlock(&pp->mu);
    for (int i = 0; i < pp->nthreads; i++)
        pthread_join(pp->threads[i], NULL);
    pthread_mutex_destroy(&pp->mu);
    pthread_cond_destroy(&pp->work_cv);
    free(pp->threads);
    free(pp);
}

void parsepool_stream_init(struct parse_stream *s, int parallel)
{
    s->parallel = parallel;
    s->parsing = 0;
    s->next_seq = 0;
    pthread_cond_init(&s->done_cv, NULL);
}

void parsepool_stream_destroy(struct parse_stream *s)
{
    pthread_cond_destroy(&s->done_cv);
}

uint64_t parsepool_new_pass(struct parsepool *pp, struct parse_stream *s)
{
    s->next_seq = 0;
    s->parsing = 0;
    return atomic_fetch_add(&pp->gen, 1) + 1;
}

void parsepool_submit(struct parsepool *pp, struct chunk *c)
{
    pthread_mutex_lock(&pp->mu);
    c->done = 0;
    c->next = NULL;
    if (pp->qtail)
        pp->qtail->next = c;
    else
        pp->qhead = c;
    pp->qtail = c;
    pthread_cond_signal(&pp->work_cv);
    pthread_mutex_unlock(&pp->mu);
}

void parsepool_wait(struct parsepool *pp, struct chunk *c)
{
    pthread_mutex_lock(&pp->mu);
    while (!c->done)
        pthread_cond_wait(&c->stream->done_cv, &pp->mu);
    pthread_mutex_unlock(&pp->mu);
}

int parsepool_done(struct parsepool *pp, const struct chunk *c)
{
    pthread_mutex_lock(&pp->mu);
    int done = c->done;
    pthread_mutex_unlock(&pp->mu);
    return done;
}
