/* kwh_decimal.h - exact decimal energy text to integer watt-hours.
 *
 * Readers never go through binary floating point: "0.2185" kWh is exactly 218.5 Wh and
 * must round to 219 (half away from zero), which strtod()*1000 gets wrong for many such
 * values (0.2185 is 0.218499999... as a double). The parser looks at the decimal digits
 * only: the first three fraction digits are whole Wh, the fourth decides the rounding.
 *
 * Accepted syntax: an optional sign, then digits with an optional fraction
 * ("12", "0.2185", ".5", "+1.0"); nothing else (no exponent, no spaces, no comma). */
#ifndef MO_KWH_DECIMAL_H
#define MO_KWH_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

enum kwh_status {
    KWH_OK = 0,
    KWH_SYNTAX,     /* not a decimal number */
    KWH_NEGATIVE,   /* a minus sign in front of a non-zero value ("-0.000" is 0) */
    KWH_TOO_LARGE,  /* more integer digits than any meter could mean (> 10^15 kWh) */
};

/* s[0..len) in kWh -> *wh, rounded half away from zero. */
enum kwh_status kwh_to_wh(const char *s, size_t len, int64_t *wh);

/* s[0..len) is an average power in kW over a half hour -> the half hour's energy in Wh
 * (kW * 1000 / 2), rounded half away from zero. */
enum kwh_status kw_halfhour_to_wh(const char *s, size_t len, int64_t *wh);

/* Exact energy for readers that keep the source's resolution (esb-hdf, see reader_esb.c):
 * s[0..len) in kWh, or average kW over a half hour (per_halfhour), as a whole number of
 * KWH_UNITS_PER_WH-ths of a Wh (half a microwatt-hour: kW to 9 decimals over half an hour
 * is a whole number of them). Digits after the ninth decimal are dropped. Values of more
 * than 6 integer digits are KWH_TOO_LARGE (the readers' range check comes first). */
#define KWH_UNITS_PER_WH 2000000
enum kwh_status kwh_exact_units(const char *s, size_t len, int per_halfhour, int64_t *units);

/* Whole Wh nearest units / KWH_UNITS_PER_WH, a half to the even one (so halves, common
 * when kW are halved, do not all go the same way). units >= 0. */
int64_t kwh_units_round(int64_t units);

#endif
