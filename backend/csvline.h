/* csvline.h - splits one physical line into fields with libcsv.
 *
 * Input formats here never put a newline inside a quoted field, so the loader cuts files
 * at newlines (which lets it split a large file into chunks for several threads) and
 * hands each line to libcsv. A line ending inside an open quote is reported, not joined
 * with the next line. Fields are NUL-terminated copies. libcsv trims spaces and tabs
 * around unquoted fields (LCL pads its values and one header with spaces). */
#ifndef MO_CSVLINE_H
#define MO_CSVLINE_H

#include <csv.h>
#include <stddef.h>

#include "backend/utf8.h" /* utf8_valid: check 1, before a line is split */

struct csvline {
    struct csv_parser parser;
    char delim;
    int nfields;
    int cap;
    char **fields;
    size_t *lens;
    char *buf;          /* all field bytes of the current line, NUL-separated */
    size_t buf_used, buf_cap;
    int overflow;       /* more than CSVLINE_MAX_FIELDS */
};

#define CSVLINE_MAX_FIELDS 512

int csvline_init(struct csvline *cl, char delim);
void csvline_free(struct csvline *cl);
/* Splits line[0..len) (no line terminator). Returns the field count, or -1 for an
 * unterminated quote / too many fields (*why names which). Valid until the next call. */
int csvline_split(struct csvline *cl, const char *line, size_t len, const char **why);

/* Strips a leading UTF-8 BOM (line 1 only) and a trailing CR; returns the new length. */
size_t csvline_trim(const char **line, size_t len, int first_line);

#endif
