/* parse.h - what a parse thread does to one chunk of a file (see parse.c). */
#ifndef MO_PARSE_H
#define MO_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "backend/fileload.h"

struct row_reading;

/* A parse thread's private things. */
struct parser {
    struct linesplit ls;
    struct reader_state st;     /* parallel formats: a private copy of the header state */
    void *priv;
    size_t priv_cap;
    uint64_t priv_gen;
    /* the row being read: its readings wait here until the reader is done with it */
    struct row_reading *row;
    size_t nrow, caprow;
    char *ids;                  /* ids of new meters in this row */
    size_t ids_used, ids_cap;
    int rejected;
    struct chunk *c;
    struct fileload *f;
    int64_t line;
    const char *raw;
    size_t raw_len;
    /* last meter id looked up, and what it resolved to */
    char last_id[64];
    size_t last_idlen;
    long last_index;
    const char *last_code;
};

int parser_init(struct parser *p);
void parser_free(struct parser *p);
/* Reads every line of c (of file c->f) into c's output: rows, readings and rejections,
 * with line numbers counted from c->first_line. */
void parse_chunk(struct parser *p, struct chunk *c);

/* Document formats (reader.h READER_DOCUMENT) are not cut into lines: their reader hands
 * over readings, and each goes through the same loader checks as a CSV row's. begin
 * empties c's output; each row is one reading (r) or one refusal (code, msg) at `line`,
 * its raw text at c->buf + raw_off. */
void parse_doc_begin(struct parser *p, struct chunk *c);
void parse_doc_row(struct parser *p, int64_t line, size_t raw_off, size_t raw_len,
                   const struct reading *r, const char *code, const char *msg);

#endif
