/* octopus.c - see octopus.h. */
#include "backend/octopus.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/halfhour.h"
#include "backend/kwh_decimal.h"
#include "backend/reader.h"

/* Line and column of byte `at` of buf. */
static void position(const char *buf, size_t at, long *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < at; i++) {
        if (buf[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

int octopus_m3_to_wh(const char *s, size_t len, int64_t correction_e5, int64_t calorific_milli,
                     int64_t *wh)
{
    /* m3 as whole millionths: digits after the sixth decimal are beyond any meter */
    size_t i = 0;
    int neg = 0;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    int64_t micro = 0;
    int digits = 0, frac = -1;
    for (; i < len; i++) {
        if (s[i] == '.' && frac < 0) {
            frac = 0;
            continue;
        }
        if ((unsigned)(s[i] - '0') > 9)
            return -1;
        digits++;
        if (frac >= 0 && frac == 6)
            continue;
        if (micro > INT64_MAX / 100)
            return -1;
        micro = micro * 10 + (s[i] - '0');
        if (frac >= 0)
            frac++;
    }
    if (digits == 0)
        return -1;
    for (int k = frac < 0 ? 0 : frac; k < 6; k++) {
        if (micro > INT64_MAX / 10)
            return -1; /* a volume of 9.2e12 m3 or more: no meter's */
        micro *= 10;
    }
    /* Wh = m3 x corr x CV[MJ] x 1000 / 3.6 = micro x corr_e5 x cv_milli / 3.6e11 */
    __int128 num = (__int128)micro * correction_e5 * calorific_milli;
    __int128 den = (__int128)360000000000LL;
    __int128 q = num / den, r = num % den;
    if (2 * r >= den)
        q++;
    if (q > INT64_MAX)
        return -1;
    *wh = neg ? -(int64_t)q : (int64_t)q;
    return 0;
}

static const char *str_member(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

/* One result to a doc_reading. */
static void read_result(json_object *res, int64_t index, const struct octopus_opts *o,
                        struct doc_reading *r)
{
    memset(r, 0, sizeof *r);
    r->line = (long)index;
    r->quality = 'A';
    const char *s = str_member(res, "interval_start"), *e = str_member(res, "interval_end");
    json_object *v = NULL;
    const char *val = NULL;
    if (json_object_is_type(res, json_type_object) && json_object_object_get_ex(res, "consumption", &v) &&
        (json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)))
        val = json_object_get_string(v);
    snprintf(r->raw, sizeof r->raw, "%.60s", json_object_to_json_string_ext(res, JSON_C_TO_STRING_PLAIN));
    if (!json_object_is_type(res, json_type_object)) {
        r->code = RJ_FIELD_COUNT;
        snprintf(r->message, sizeof r->message, "result %lld is not an object", (long long)index);
        return;
    }
    int col;
    int64_t start, end;
    if (!s || !e) {
        r->code = RJ_FIELD_COUNT;
        snprintf(r->message, sizeof r->message, "result %lld has no interval_start and "
                 "interval_end strings", (long long)index);
        return;
    }
    if (ts_parse(s, strlen(s), 1, &start, &col) < 0 || ts_parse(e, strlen(e), 1, &end, &col) < 0) {
        r->code = RJ_TIMESTAMP;
        snprintf(r->message, sizeof r->message, "interval '%.40s' to '%.40s' is not ISO 8601 "
                 "with an offset", s, e);
        return;
    }
    r->start = start;
    r->seconds = end - start;
    snprintf(r->raw, sizeof r->raw, "consumption=%.30s interval_start=%.40s interval_end=%.40s",
             val ? val : "", s, e);
    if (r->seconds <= 0) {
        r->code = RJ_TIMESTAMP;
        snprintf(r->message, sizeof r->message, "interval_end %.40s is not after "
                 "interval_start %.40s", e, s);
        return;
    }
    if (!v || json_object_is_type(v, json_type_null)) {
        r->code = RJ_VALUE_MISSING;
        snprintf(r->message, sizeof r->message, "no consumption for the interval starting %.40s", s);
        return;
    }
    if (!val) {
        r->code = RJ_VALUE_SYNTAX;
        snprintf(r->message, sizeof r->message, "consumption is not a number");
        return;
    }
    int bad;
    if (o && o->unit == OCTOPUS_M3) {
        bad = octopus_m3_to_wh(val, strlen(val),
                               o->correction_e5 ? o->correction_e5 : OCTOPUS_CORRECTION_DEFAULT,
                               o->calorific_milli ? o->calorific_milli : OCTOPUS_CV_DEFAULT,
                               &r->wh) < 0;
    } else {
        enum kwh_status k = kwh_to_wh(val, strlen(val), &r->wh);
        bad = k == KWH_SYNTAX;
        if (k == KWH_NEGATIVE || k == KWH_TOO_LARGE) {
            r->code = RJ_VALUE_RANGE;
            snprintf(r->message, sizeof r->message, "consumption %.30s kWh is %s", val,
                     k == KWH_NEGATIVE ? "negative" : "beyond any meter's range");
            return;
        }
    }
    if (bad) {
        r->code = RJ_VALUE_SYNTAX;
        snprintf(r->message, sizeof r->message, "consumption '%.30s' is not a plain decimal "
                 "number", val);
    }
}

/* What a JSON document that is no consumption page looks like. */
static void describe(json_object *root, char *buf, size_t len)
{
    json_object *res, *first;
    if (json_object_is_type(root, json_type_object) &&
        json_object_object_get_ex(root, "results", &res) && json_object_is_type(res, json_type_array) &&
        json_object_array_length(res) > 0 && (first = json_object_array_get_idx(res, 0)) &&
        json_object_is_type(first, json_type_object) &&
        json_object_object_get_ex(first, "value_exc_vat", NULL)) {
        snprintf(buf, len, "JSON, not Octopus consumption: its results carry value_exc_vat "
                 "(an Octopus unit-rate or standing-charge page, prices not readings)");
        return;
    }
    snprintf(buf, len, "JSON, not Octopus consumption: %s",
             json_object_is_type(root, json_type_object) ? "no results array of "
             "{consumption, interval_start, interval_end}" : "the document is not an object");
}

static int parse_page(const char *buf, size_t len, const char *path, const struct octopus_opts *o,
                      const struct doc_sink *sink, struct octopus_info *info, struct mo_err *err)
{
    struct json_tokener *tok = json_tokener_new_ex(OCTOPUS_MAX_DEPTH);
    if (!tok)
        return mo_err_set(err, "out_of_memory", "out of memory");
    json_object *root = json_tokener_parse_ex(tok, buf, (int)len);
    enum json_tokener_error je = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    long line;
    int col;
    if (!root || je != json_tokener_success) {
        json_object_put(root);
        position(buf, end, &line, &col);
        if (je == json_tokener_error_depth)
            return mo_err_at(err, path, line, col, "json_limit", "JSON nested deeper than %d",
                             OCTOPUS_MAX_DEPTH);
        return mo_err_at(err, path, line, col, "json_syntax", "not valid JSON: %s%s",
                         json_tokener_error_desc(je == json_tokener_success ?
                                                 json_tokener_error_parse_eof : je),
                         end < 16 && len > 0 && buf[0] != '{' && buf[0] != '[' ?
                         " (text before the JSON: a capture with curl's progress meter?)" : "");
    }
    /* nothing but blanks after the document */
    for (size_t i = end; i < len; i++)
        if (buf[i] != ' ' && buf[i] != '\n' && buf[i] != '\r' && buf[i] != '\t') {
            json_object_put(root);
            position(buf, i, &line, &col);
            return mo_err_at(err, path, line, col, "json_syntax", "text after the JSON document");
        }
    /* one page, or several saved as a JSON array of pages (a download of every page) */
    size_t npages = json_object_is_type(root, json_type_array) ? json_object_array_length(root) : 1;
    if (npages == 0) {
        json_object_put(root);
        return mo_err_at(err, path, 1, 1, "not_octopus", "JSON, not Octopus consumption: an "
                         "empty array");
    }
    int64_t index = 0;
    if (info)
        memset(info, 0, sizeof *info);
    for (size_t pg = 0; pg < npages; pg++) {
        json_object *page = json_object_is_type(root, json_type_array) ?
                            json_object_array_get_idx(root, pg) : root;
        json_object *res, *cnt, *next;
        int shape = json_object_is_type(page, json_type_object) &&
                    json_object_object_get_ex(page, "results", &res) &&
                    json_object_is_type(res, json_type_array);
        size_t n = shape ? json_object_array_length(res) : 0;
        if (shape && n > 0) {
            json_object *first = json_object_array_get_idx(res, 0);
            shape = json_object_is_type(first, json_type_object) &&
                    json_object_object_get_ex(first, "interval_start", NULL);
        }
        if (!shape) {
            char msg[300];
            describe(page, msg, sizeof msg);
            json_object_put(root);
            if (npages > 1 || json_object_is_type(root, json_type_array))
                return mo_err_at(err, path, 1, 1, "not_octopus", "page %zu of the array: %s",
                                 pg + 1, msg);
            return mo_err_at(err, path, 1, 1, "not_octopus", "%s", msg);
        }
        if (info) {
            info->results += (int64_t)n;
            if (pg == 0)
                info->count = json_object_object_get_ex(page, "count", &cnt) ?
                              json_object_get_int64(cnt) : 0;
            info->has_next = json_object_object_get_ex(page, "next", &next) &&
                             json_object_is_type(next, json_type_string);
        }
        for (size_t i = 0; i < n; i++) {
            struct doc_reading r;
            read_result(json_object_array_get_idx(res, i), ++index, o, &r);
            if (sink && sink->reading && sink->reading(sink->ctx, &r)) {
                json_object_put(root);
                return 0;
            }
        }
    }
    json_object_put(root);
    if (index == 0)
        return mo_err_at(err, path, 1, 1, "no_readings", "an Octopus consumption page with no "
                         "results: nothing to load");
    return 0;
}

int octopus_read(const struct doc_source *src, const char *path, const struct octopus_opts *o,
                 const struct doc_sink *sink, struct octopus_info *info, struct mo_err *err)
{
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        return mo_err_set(err, "out_of_memory", "out of memory");
    for (;;) {
        if (len == cap) {
            if (cap >= OCTOPUS_MAX_BYTES) {
                free(buf);
                return mo_err_at(err, path, 0, 0, "json_limit", "more than %d MB: no "
                                 "consumption page is that large", OCTOPUS_MAX_BYTES >> 20);
            }
            char *b = realloc(buf, cap * 2);
            if (!b) {
                free(buf);
                return mo_err_set(err, "out_of_memory", "out of memory");
            }
            buf = b;
            cap *= 2;
        }
        int got = src->read(src->ctx, buf + len, (int)(cap - len));
        if (got < 0) {
            free(buf);
            return mo_err_at(err, path, 0, 0, "file_read", "cannot read the file");
        }
        if (got == 0)
            break;
        len += (size_t)got;
    }
    int rc = parse_page(buf, len, path, o, sink, info, err);
    free(buf);
    return rc;
}

int octopus_read_memory(const char *buf, size_t len, const char *path,
                        const struct octopus_opts *o, const struct doc_sink *sink,
                        struct octopus_info *info, struct mo_err *err)
{
    struct doc_memory m;
    const struct doc_source src = doc_memory_source(&m, buf, len);
    return octopus_read(&src, path, o, sink, info, err);
}

int octopus_sniff(const char *head, size_t len)
{
    if (len > 4096)
        len = 4096;
    size_t i = len >= 3 && memcmp(head, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    while (i < len && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
        i++;
    int object = i < len && (head[i] == '{' || head[i] == '[');
    /* an API page of any kind: octopus_read says what a page of prices is */
    int results = memmem(head, len, "\"results\"", 9) != NULL;
    return results && (object || memmem(head, len, "{\"count\"", 8) != NULL);
}
