#include "backend/linesplit.h"

#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

int linesplit_init(struct linesplit *ls, char delim)
{
    memset(ls, 0, sizeof *ls);
    ls->delim = delim;
    ls->cap = 256;
    ls->buf = malloc(ls->cap);
    if (!ls->buf)
        return -1;
    return csvline_init(&ls->cl, delim);
}

void linesplit_free(struct linesplit *ls)
{
    csvline_free(&ls->cl);
    free(ls->buf);
    memset(ls, 0, sizeof *ls);
}

static inline int is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Cuts a NUL-terminated copy of the field [a, b) out of the copy: blanks around it go. */
static inline void take_field(struct linesplit *ls, int n, char *a, char *b)
{
    while (a < b && is_space(*a))
        a++;
    while (b > a && is_space(b[-1]))
        b--;
    *b = '\0';
    ls->fields[n] = a;
    ls->lens[n] = (size_t)(b - a);
}

/* A NUL-terminated copy of s[0..len) in the splitter's buffer, which the fields are cut
 * out of; NULL (why says so) when out of memory. */
static char *line_copy(struct linesplit *ls, const char *s, size_t len, const char **why)
{
    if (ls->cap > 65536 && len < ls->cap / 8) {
        /* after an outlier (the longest line is the loader's limit): back to a usual size */
        char *b = realloc(ls->buf, 4096 > (len + 1) * 2 ? 4096 : (len + 1) * 2);
        if (b) {
            ls->buf = b;
            ls->cap = 4096 > (len + 1) * 2 ? 4096 : (len + 1) * 2;
        }
    }
    if (len + 1 > ls->cap) {
        size_t cap = (len + 1) * 2;
        char *b = realloc(ls->buf, cap);
        if (!b) {
            if (why)
                *why = "out of memory";
            return NULL;
        }
        ls->buf = b;
        ls->cap = cap;
    }
    memcpy(ls->buf, s, len);
    ls->buf[len] = '\0';
    return ls->buf;
}

int linesplit_split(struct linesplit *ls, const char *line, size_t len, char ***fields,
                    size_t **lens, const char **why)
{
    int n = 0;
    /* quotes and carriage returns need libcsv's rules */
    if (memchr(line, '"', len) || memchr(line, '\r', len))
        goto slow;
    char *copy = line_copy(ls, line, len, why);
    if (!copy)
        return -1;
    char *end = copy + len, *a = copy;
    for (;;) {
        char *d = memchr(a, ls->delim, (size_t)(end - a));
        if (n == CSVLINE_MAX_FIELDS) {
            if (why)
                *why = "too many fields";
            return -1;
        }
        if (!d) {
            take_field(ls, n++, a, end);
            break;
        }
        take_field(ls, n++, a, d);
        a = d + 1;
    }
    /* libcsv sees no field at all in a line of blanks (but one in an empty line) */
    if (n == 1 && ls->lens[0] == 0 && len > 0)
        n = 0;
    *fields = ls->fields;
    *lens = ls->lens;
    return n;
slow:
    n = csvline_split(&ls->cl, line, len, why);
    if (n < 0)
        return -1;
    *fields = ls->cl.fields;
    *lens = ls->cl.lens;
    return n;
}

#define LO7 0x7F7F7F7F7F7F7F7FULL
#define HI8 0x8080808080808080ULL
#define BYTES(c) (0x0101010101010101ULL * (uint8_t)(c))

/* High bit set in exactly the bytes of w equal to the byte in pat (no false hits). */
static inline uint64_t bytes_eq(uint64_t w, uint64_t pat)
{
    uint64_t x = w ^ pat;
    return ~(((x & LO7) + LO7) | x) & HI8;
}

int linesplit_next(struct linesplit *ls, const char *s, const char *end, const char **next,
                   size_t *raw_len, int *nonascii, char ***fields, size_t **lens,
                   const char **why)
{
    const char *p = s;
    int hi = 0, quote = 0, nd = 0, too_many = 0;
    size_t first_cr = SIZE_MAX, len;
#if defined(__SSE2__)
    /* sixteen bytes at a time: one compare per character of interest */
    const __m128i vnl = _mm_set1_epi8('\n'), vdl = _mm_set1_epi8(ls->delim);
    const __m128i vqt = _mm_set1_epi8('"'), vcr = _mm_set1_epi8('\r');
    while (end - p >= 16) {
        __m128i w = _mm_loadu_si128((const __m128i *)(const void *)p);
        unsigned mnl = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(w, vnl));
        unsigned keep = mnl ? (mnl & (0u - mnl)) - 1 : 0xFFFFu;
        unsigned md = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(w, vdl)) & keep;
        unsigned mq = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(w, vqt)) & keep;
        unsigned mc = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(w, vcr)) & keep;
        hi |= (unsigned)_mm_movemask_epi8(w) & keep;
        quote |= mq != 0;
        if (mc && first_cr == SIZE_MAX)
            first_cr = (size_t)(p - s) + (size_t)__builtin_ctz(mc);
        while (md) {
            if (nd == CSVLINE_MAX_FIELDS - 1)
                too_many = 1;
            else
                ls->dpos[nd++] = (uint32_t)((size_t)(p - s) + (size_t)__builtin_ctz(md));
            md &= md - 1;
        }
        if (mnl) {
            len = (size_t)(p - s) + (size_t)__builtin_ctz(mnl);
            *next = s + len + 1;
            goto found;
        }
        p += 16;
    }
#endif
    {
        const uint64_t nl = BYTES('\n'), dl = BYTES(ls->delim), qt = BYTES('"'), cr = BYTES('\r');
        uint64_t hi8 = 0;
        for (;;) {
            if (end - p >= 8) {
                uint64_t w;
                memcpy(&w, p, 8);
                uint64_t mnl = bytes_eq(w, nl), md = bytes_eq(w, dl);
                uint64_t mq = bytes_eq(w, qt), mc = bytes_eq(w, cr);
                uint64_t keep = ~0ULL;
                if (mnl)
                    keep = (mnl & (~mnl + 1)) - 1; /* the bytes before the first newline */
                md &= keep;
                hi8 |= w & keep;
                quote |= (mq & keep) != 0;
                if ((mc &= keep) && first_cr == SIZE_MAX)
                    first_cr = (size_t)(p - s) + ((size_t)__builtin_ctzll(mc) >> 3);
                while (md) {
                    if (nd == CSVLINE_MAX_FIELDS - 1)
                        too_many = 1;
                    else
                        ls->dpos[nd++] = (uint32_t)((size_t)(p - s) + ((size_t)__builtin_ctzll(md) >> 3));
                    md &= md - 1;
                }
                if (mnl) {
                    len = (size_t)(p - s) + ((size_t)__builtin_ctzll(mnl) >> 3);
                    *next = s + len + 1;
                    break;
                }
                p += 8;
            } else {
                while (p < end && *p != '\n') {
                    char c = *p;
                    if (c == ls->delim) {
                        if (nd == CSVLINE_MAX_FIELDS - 1)
                            too_many = 1;
                        else
                            ls->dpos[nd++] = (uint32_t)(p - s);
                    } else if (c == '"') {
                        quote = 1;
                    } else if (c == '\r' && first_cr == SIZE_MAX) {
                        first_cr = (size_t)(p - s);
                    }
                    hi8 |= (unsigned char)c;
                    p++;
                }
                len = (size_t)(p - s);
                *next = p < end ? p + 1 : end;
                break;
            }
        }
        hi |= (hi8 & HI8) != 0;
    }
#if defined(__SSE2__)
found:
#endif
    if (len > 0 && s[len - 1] == '\r')
        len--; /* CRLF */
    *raw_len = len;
    *nonascii = hi != 0;
    if (quote || first_cr < len) {
        /* libcsv's rules for quotes and stray carriage returns */
        int n = csvline_split(&ls->cl, s, len, why);
        if (n < 0)
            return -1;
        *fields = ls->cl.fields;
        *lens = ls->cl.lens;
        return n;
    }
    if (too_many) {
        if (why)
            *why = "too many fields";
        return -1;
    }
    char *copy = line_copy(ls, s, len, why);
    if (!copy)
        return -1;
    char *a = copy;
    int n = 0;
    for (int i = 0; i < nd; i++) {
        char *d = copy + ls->dpos[i];
        take_field(ls, n++, a, d);
        a = d + 1;
    }
    take_field(ls, n++, a, copy + len);
    if (n == 1 && ls->lens[0] == 0 && len > 0)
        n = 0;
    *fields = ls->fields;
    *lens = ls->lens;
    return n;
}
