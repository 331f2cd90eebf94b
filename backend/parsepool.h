/* parsepool.h - the parse threads, shared by every file in progress: a queue of chunks
 * and N threads that run parse_chunk on them. A file's driver submits its chunks and
 * waits for each in turn; the pool knows a chunk's stream (whether its file's chunks may
 * be parsed out of order) and nothing else of the file.
 *
 * Formats read in order (no READER_PARALLEL) have one chunk of the file parsed at a time,
 * in sequence; any other chunk may go to any thread. */
#ifndef MO_PARSEPOOL_H
#define MO_PARSEPOOL_H

#include <stdint.h>

#include "backend/fileload.h"

struct parsepool;

/* Starts nthreads parse threads at the given nice value (Linux: the thread's own). NULL
 * when out of memory; fewer threads than asked when some cannot start (at least one). */
struct parsepool *parsepool_start(int nthreads, int nice);
/* Ends the threads (after every stream's chunks were waited for) and frees the pool. */
void parsepool_finish(struct parsepool *pp);

void parsepool_stream_init(struct parse_stream *s, int parallel);
void parsepool_stream_destroy(struct parse_stream *s);
/* A new read of the stream's file starts (no chunk of it is in the pool). Returns a
 * generation number no earlier pass of any file had: parse threads compare it with the
 * one they cached reader state for. */
uint64_t parsepool_new_pass(struct parsepool *pp, struct parse_stream *s);

/* Queues c (c->stream set, c->seq its order in the pass). */
void parsepool_submit(struct parsepool *pp, struct chunk *c);
/* Waits until c is parsed. */
void parsepool_wait(struct parsepool *pp, struct chunk *c);
/* Nonzero when c is parsed. */
int parsepool_done(struct parsepool *pp, const struct chunk *c);

#endif
