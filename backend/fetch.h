/* fetch.h - what the fetch_*.c modules share: reading typed values out of a PGresult.
 * Internal to backend/; the UI includes only the fetch_*.h headers, which carry no libpq. */
#ifndef MO_FETCH_H
#define MO_FETCH_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

/* A column value, or the fallback when it is NULL or the column does not exist. */
int64_t res_i64(const PGresult *res, int row, int col, int64_t fallback);
double res_f64(const PGresult *res, int row, int col, double fallback);
bool res_bool(const PGresult *res, int row, int col);
const char *res_str(const PGresult *res, int row, int col); /* "" for NULL */

/* One zeroed element of `size` bytes per row of res, the row count in *rows; NULL when
 * there are no rows, or (with *rows > 0) when memory ran out. */
void *res_calloc_rows(const PGresult *res, size_t size, int *rows);

/* `{1,2,3}`: a bigint[] parameter for ids; returns the malloc'd text or NULL on no memory. */
char *ids_literal(const int64_t *ids, size_t n);

#endif
