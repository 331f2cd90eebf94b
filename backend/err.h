/* err.h - the one error shape every layer fills and every caller can show or store. */
#ifndef MO_ERR_H
#define MO_ERR_H

#include <stddef.h>

/* Stable, machine-readable codes; the message is for people. file/line/column locate bad
 * input (line and column 0 when they do not apply). */
struct mo_err {
    char code[32];
    char message[512];
    char file[256];
    long line;
    int column;
};

#if defined(__GNUC__)
#define MO_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define MO_PRINTF(a, b)
#endif

void mo_err_clear(struct mo_err *err);
/* Fills err (if not NULL) and returns -1 so callers can `return mo_err_set(...)`. */
int mo_err_set(struct mo_err *err, const char *code, const char *fmt, ...) MO_PRINTF(3, 4);
int mo_err_at(struct mo_err *err, const char *file, long line, int column, const char *code,
              const char *fmt, ...) MO_PRINTF(6, 7);
/* "file:line:column: message [code]" or just "message" when no location is known. */
void mo_err_format(const struct mo_err *err, char *buf, size_t len);

#endif
