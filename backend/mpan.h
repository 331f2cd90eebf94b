/* mpan.h - UK MPAN core check digit (weights 3,5,7,13,...,43; sum mod 11 mod 10) and the
 * syntax of the meter ids we accept: a 13-digit MPAN core, a 21-digit full MPAN (whose
 * last 13 digits are the core), or a gas MPRN (6 to 10 digits; no public check digit). */
#ifndef MO_MPAN_H
#define MO_MPAN_H

#include <stddef.h>

enum mpxn_kind { MPXN_INVALID = 0, MPXN_MPAN_CORE, MPXN_MPAN_FULL, MPXN_MPRN };

/* Check digit of the first 12 digits of a core. */
int mpan_check_digit(const char *core12);
/* Classifies s[0..len). For MPAN forms, *check_ok says whether the check digit holds. */
enum mpxn_kind mpxn_classify(const char *s, size_t len, int *check_ok);

#endif
