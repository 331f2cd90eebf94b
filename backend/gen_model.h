/* gen_model.h - the synthetic household: how much a UK home uses in each half-hour.
 *
 * Promises: values are whole watt-hours in [0, GEN_MAX_WH] (so a clean reading never
 * trips value_range), a function of (seed, meter index, UTC day) only, and realistic in
 * shape: a night baseload, morning and evening peaks on the household's own clock
 * (Europe/London local time, weekday and weekend routines), lighting after dark (by the
 * sun, in UTC), more use in winter, Economy 7 storage heating and immersion heaters in
 * the 00:30-07:30 local night band, and gas central heating that follows the weather.
 * Weather is shared by all households on a day, as it is in life. */
#ifndef MO_GEN_MODEL_H
#define MO_GEN_MODEL_H

#include <stdint.h>

/* Ceiling of a clean half-hour value: far below value_range's 50 kWh per half-hour. */
#define GEN_MAX_WH 30000
/* Slots of a UTC day; every generated meter reads half-hourly. */
#define GEN_SLOTS 48

enum gen_kind {
    GEN_ELEC_GAS_HOME, /* electricity meter of a home heated by gas: no electric heating */
    GEN_ELEC_DIRECT,   /* all-electric home on a flat tariff: some direct electric heating */
    GEN_ELEC_E7,       /* Economy 7: night storage heaters and an immersion heater */
    GEN_GAS,           /* gas meter: central heating, hot water, cooking */
    GEN_EXPORT,        /* export meter of a home with solar panels: what the panels make
                        * beyond what the home uses at the time (meter.direction export) */
};

/* Conditions of one UTC day, the same for every household. */
struct gen_day {
    int64_t day;                /* days since 1970-01-01 (a UTC day) */
    char date[11];              /* "YYYY-MM-DD" */
    uint8_t lslot[GEN_SLOTS];   /* local (Europe/London) half-hour of each UTC slot */
    uint8_t weekend[GEN_SLOTS]; /* that local moment falls on a Saturday or Sunday */
    float dark[GEN_SLOTS];      /* 0..1: how much lighting is needed (sun position) */
    float temp[GEN_SLOTS];      /* outdoor temperature, degrees C */
    float winter;               /* 0 (warm day) .. 1 (cold day): time spent indoors */
    float heating;              /* 0..1: heating season (off on a warm day, as people do) */
    float sun[GEN_SLOTS];       /* 0..1: sunshine on a panel (sun height, the day's cloud) */
};

/* Everything that makes one household itself; drawn once from (seed, meter index). */
struct gen_household {
    enum gen_kind kind;
    float base_wh;              /* always-on load per half-hour */
    float act_wh;               /* appliances at full activity per half-hour */
    float light_wh;             /* lighting per half-hour when dark and awake */
    float event_p;              /* chance of an appliance burst at full activity */
    float event_wh;             /* mean size of a burst */
    float loss_wh;              /* heat loss: Wh per half-hour per degree of demand */
    float setpoint;             /* thermostat, degrees C (heating demand below it) */
    float store_max_wh;         /* E7: storage heater input ceiling per half-hour */
    float immersion_wh;         /* E7: immersion heater per half-hour */
    uint8_t immersion_from;     /* E7: first local slot of the immersion heater */
    uint8_t immersion_slots;
    float act[2][GEN_SLOTS];    /* activity 0..~1.3 by local slot: [0] weekday, [1] weekend */
    float awake[2][GEN_SLOTS];  /* 0..1 someone awake at home */
    float heat_on[2][GEN_SLOTS];/* 0..1.4 heating timer (warm-up boost on the first slot) */
    float pv_wh;                /* solar: panels' output per half-hour in full sun */
};

/* Day conditions for `day` under `seed` (the weather differs per seed). */
void gen_day_init(struct gen_day *d, int64_t day, uint64_t seed);

/* The household behind meter `meter_index`. */
void gen_household_init(struct gen_household *h, enum gen_kind kind, uint64_t seed,
                        uint64_t meter_index);

/* One UTC day of half-hour values: wh[i] >= 0 in Wh, or -1 for a missing interval;
 * quality[i] 'A' (actual) or 'E' (estimated: the expected value, without noise).
 * missing_rate is the share of intervals to leave out (in short runs). */
void gen_household_day(const struct gen_household *h, const struct gen_day *d,
                       uint64_t seed, uint64_t meter_index, double missing_rate,
                       int32_t wh[GEN_SLOTS], char quality[GEN_SLOTS]);

#endif
