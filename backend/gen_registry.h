/* gen_registry.h - the synthetic registry behind `meterops gen`: customers, their meters,
 * the tariffs they are on, and the bills that add up the readings.
 *
 * Promises: every meter id is unique and valid (MPAN cores carry a correct check digit,
 * gas meters a 10-digit MPRN); every meter's account_no and tariff_code exist in the
 * customers and tariffs files; the "unknown meter" pool (gen_mpan_core with an index at
 * or above GEN_UNKNOWN_BASE) never collides with a registered MPAN; and a bill's kwh is
 * exactly the sum of its customer's readings that the readings files carry as clean lines
 * in its period, its amount the standing charges plus those readings priced by band.
 * All of it is a function of the seed and the meter count. */
#ifndef MO_GEN_REGISTRY_H
#define MO_GEN_REGISTRY_H

#include <stdint.h>

#include "backend/err.h"
#include "backend/gen_model.h"

/* Registered meters use indices below this; the unknown-meter pool starts here. */
#define GEN_UNKNOWN_BASE 5000000000ULL
#define GEN_MAX_METERS 100000000U

enum { GEN_TARIFF_ELEC_SVT, GEN_TARIFF_ELEC_FIX, GEN_TARIFF_ELEC_E7, GEN_TARIFF_GAS_SVT,
       GEN_TARIFF_GAS_FIX, GEN_TARIFF_SEG, GEN_NTARIFFS };

struct gen_band {
    const char *band;
    int start_min, end_min;   /* local minutes of the day, end exclusive (1440 = 24:00) */
    int32_t unit_e4;          /* pence per kWh x 10^4 */
};

struct gen_tariff {
    const char *code, *name, *fuel;
    int32_t standing_e4;      /* pence per day x 10^4 */
    const char *valid_from;
    int nbands;
    struct gen_band bands[3];
    int32_t rate_e4[GEN_SLOTS]; /* unit rate by local half-hour, filled by gen_registry_build */
};

struct gen_meter {
    char mpxn[14];            /* NUL-terminated MPAN core (13) or MPRN (10) */
    uint8_t mpxn_len;
    uint8_t kind;             /* enum gen_kind */
    uint8_t tariff;           /* index into gen_registry.tariffs */
    uint32_t customer;        /* customer index (customers are numbered from 0) */
};

/* Billing periods: calendar months clipped to the generated days; per meter and period
 * the clean watt-hours and their price in 10^-7 pence (Wh x p/kWh x 10^4). */
struct gen_bills {
    int nperiods;
    int64_t *first_day, *last_day;
    int64_t *wh, *cost;       /* [meter * nperiods + period]; each meter written by one thread */
};

struct gen_registry {
    uint64_t seed;
    uint32_t nmeters, ncustomers;
    struct gen_meter *meters; /* grouped by customer, electricity before gas */
    struct gen_tariff tariffs[GEN_NTARIFFS];
    struct gen_bills bills;
};

/* The 13-digit MPAN core of meter `index` (a registered meter below GEN_UNKNOWN_BASE,
 * an unknown one at or above it); out gets 13 digits and a NUL. */
void gen_mpan_core(uint64_t seed, uint64_t index, char out[14]);
/* The 10-digit MPRN of gas meter `index`. */
void gen_mprn(uint64_t seed, uint64_t index, char out[11]);
/* "A-" and 8 hex digits, unique per customer. */
void gen_account_no(uint64_t seed, uint32_t customer, char out[12]);

/* Builds the meters and customers for `nmeters` meters, and the billing periods of
 * [first_day, first_day + ndays). */
int gen_registry_build(struct gen_registry *reg, uint64_t seed, uint32_t nmeters,
                       int64_t first_day, int ndays, struct mo_err *err);
void gen_registry_free(struct gen_registry *reg);
/* Billing period of a day of the generated range. */
int gen_bills_period(const struct gen_bills *b, int64_t day);

/* Registry files (layouts in doc/formats.md, section "Registry feeds"). */
int gen_write_customers(const struct gen_registry *reg, const char *path, struct mo_err *err);
int gen_write_tariffs(const struct gen_registry *reg, const char *path, struct mo_err *err);
int gen_write_meters(const struct gen_registry *reg, int64_t first_day, const char *path,
                     struct mo_err *err);
int gen_write_bills(const struct gen_registry *reg, const char *path, struct mo_err *err);

#endif
