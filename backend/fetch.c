/* fetch.c - see fetch.h. */
#include "backend/fetch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool usable(const PGresult *res, int row, int col)
{
    return res && row >= 0 && row < PQntuples(res) && col >= 0 && col < PQnfields(res) &&
           !PQgetisnull(res, row, col);
}

int64_t res_i64(const PGresult *res, int row, int col, int64_t fallback)
{
    if (!usable(res, row, col))
        return fallback;
    char *end;
    const char *s = PQgetvalue(res, row, col);
    long long v = strtoll(s, &end, 10);
    return end == s ? fallback : (int64_t)v;
}

double res_f64(const PGresult *res, int row, int col, double fallback)
{
    if (!usable(res, row, col))
        return fallback;
    char *end;
    const char *s = PQgetvalue(res, row, col);
    double v = strtod(s, &end);
    return end == s ? fallback : v;
}

bool res_bool(const PGresult *res, int row, int col)
{
    return usable(res, row, col) && PQgetvalue(res, row, col)[0] == 't';
}

const char *res_str(const PGresult *res, int row, int col)
{
    return usable(res, row, col) ? PQgetvalue(res, row, col) : "";
}

void *res_calloc_rows(const PGresult *res, size_t size, int *rows)
{
    *rows = PQntuples(res);
    return *rows > 0 ? calloc((size_t)*rows, size) : NULL;
}

char *ids_literal(const int64_t *ids, size_t n)
{
    size_t cap = 3 + n * 21;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    size_t o = 0;
    s[o++] = '{';
    for (size_t i = 0; i < n; i++)
        o += (size_t)snprintf(s + o, cap - o, "%s%lld", i ? "," : "", (long long)ids[i]);
    s[o++] = '}';
    s[o] = '\0';
    return s;
}
