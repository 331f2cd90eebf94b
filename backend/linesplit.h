/* linesplit.h - splits one physical line into fields, as csvline_split does, but without
 * libcsv for the lines that need none.
 *
 * Nearly every line the loader sees has no quote: for those, cutting at the delimiter and
 * trimming spaces and tabs around each field gives exactly libcsv's fields, several times
 * faster. A line holding a quote or a carriage return (which libcsv treats as a record
 * end) goes through csvline_split, so the result never differs from libcsv's. The line
 * itself is not modified (it is kept as the raw text of a rejected row). */
#ifndef MO_LINESPLIT_H
#define MO_LINESPLIT_H

#include <stddef.h>
#include <stdint.h>

#include "backend/csvline.h"

struct linesplit {
    struct csvline cl;
    char delim;
    char *buf;          /* NUL-separated copy of the fast path's fields */
    size_t cap;
    char *fields[CSVLINE_MAX_FIELDS];
    size_t lens[CSVLINE_MAX_FIELDS];
    uint32_t dpos[CSVLINE_MAX_FIELDS]; /* delimiter offsets found by linesplit_next */
};

int linesplit_init(struct linesplit *ls, char delim);
void linesplit_free(struct linesplit *ls);
/* Splits line[0..len) (terminator and BOM already removed). Returns the field count and
 * points *fields / *lens at NUL-terminated fields valid until the next call; -1 for a
 * CSV syntax error (*why says which). */
int linesplit_split(struct linesplit *ls, const char *line, size_t len, char ***fields,
                    size_t **lens, const char **why);

/* The loader's inner loop: finds the line that starts at s (ending at a newline or at end),
 * and splits it in the same pass, eight bytes at a time. *next is where the following
 * line starts; *raw_len the line's length without "\n" or "\r\n"; *nonascii is set when
 * a byte has its high bit set (the caller then checks UTF-8, which comes first). Returns
 * what linesplit_split would return for the line. */
int linesplit_next(struct linesplit *ls, const char *s, const char *end, const char **next,
                   size_t *raw_len, int *nonascii, char ***fields, size_t **lens,
                   const char **why);

#endif
