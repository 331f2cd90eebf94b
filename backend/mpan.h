/* mpan.h - the one rule for meter identifiers (doc/formats.md, "Meter identifiers").
 *
 * Every path that takes a meter id (the readers, the meters feed, --meter, --export-meter,
 * --create-meters) goes through mpxn_parse, so one meter point has exactly one spelling in
 * meterops.meter.mpxn and every other way of writing it either maps to that spelling or
 * is refused:
 *  - a UK MPAN core: 13 digits whose last is the check digit (weights 3,5,7,13,...,43;
 *    sum mod 11 mod 10); stored as written;
 *  - a UK full MPAN: 21 digits, the 8-digit top line (profile class, MTC, LLFC) then the
 *    core: stands for its core (the top line changes with tariffs, the core does not);
 *  - an Irish MPRN: 11 digits starting 10 (every ESB Networks MPRN does); electricity;
 *  - a UK gas MPRN: 6 to 10 digits, no leading zero (a zero-padded MPRN would be a second
 *    spelling of the same meter point; gas MPRNs have no public check digit).
 * Anything else (spaces, dashes, letters, other lengths) is mpxn_syntax; an MPAN whose
 * core fails its check digit is mpan_check_digit. */
#ifndef MO_MPAN_H
#define MO_MPAN_H

#include <stddef.h>

enum mpxn_kind { MPXN_INVALID = 0, MPXN_MPAN_CORE, MPXN_MPAN_FULL, MPXN_MPRN, MPXN_MPRN_IE };

/* A parsed identifier. id points into the text given to mpxn_parse. */
struct mpxn_id {
    enum mpxn_kind kind;
    const char *id;     /* the meter's one spelling: the core of a full MPAN, else the text */
    size_t len;
    int gas;            /* 1: UK gas MPRN; 0: electricity (MPAN, Irish MPRN) */
};

/* Check digit of the first 12 digits of a core. */
int mpan_check_digit(const char *core12);
/* The rule: NULL with *out filled (out may be NULL), or the rejection code
 * ("mpxn_syntax" or "mpan_check_digit"; out->kind still says which form it looked like). */
const char *mpxn_parse(const char *s, size_t len, struct mpxn_id *out);
/* A support engineer's sentence for a refused id (code from mpxn_parse). */
void mpxn_explain(const char *s, size_t len, const char *code, char *buf, size_t n);
/* Classifies s[0..len). For MPAN forms, *check_ok says whether the check digit holds. */
enum mpxn_kind mpxn_classify(const char *s, size_t len, int *check_ok);

#endif
