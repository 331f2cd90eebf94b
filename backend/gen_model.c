#include "backend/gen_model.h"

#include <math.h>
#include <stdio.h>

#include "backend/gen_prng.h"
#include "backend/halfhour.h"

/* Stream purposes, so streams keyed by the same numbers never coincide. */
enum { TAG_WEATHER = 0x57, TAG_HOUSE = 0x48, TAG_DAY = 0x44 };

static const double TWO_PI = 6.283185307179586;

static float clampf(float v, float lo, float hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* Day of the year, 0-based. */
static int day_of_year(int64_t day)
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    return (int)(day - days_from_civil(y, 1, 1));
}

void gen_day_init(struct gen_day *d, int64_t day, uint64_t seed)
{
    d->day = day;
    date_format(day, d->date);
    int doy = day_of_year(day);

    /* UK climate: daily mean ~4.5 C mid-January, ~17 C mid-July; weather on top as a few
     * slow waves with seed-dependent phases, so consecutive days are correlated. */
    double mean = 10.8 - 6.3 * cos(TWO_PI * (doy - 15) / 365.25);
    static const double amp[4] = { 2.2, 1.6, 1.1, 0.7 };
    static const double period[4] = { 13.7, 7.3, 4.1, 2.9 };
    for (int k = 0; k < 4; k++) {
        uint64_t key = prng_key(TAG_WEATHER, seed, (uint64_t)k, 0);
        double phase = (double)(key >> 11) * 0x1.0p-53 * TWO_PI;
        mean += amp[k] * sin(TWO_PI * (double)day / period[k] + phase);
    }
    d->winter = clampf((float)((15.0 - mean) / 13.0), 0.0f, 1.0f);
    d->heating = clampf((float)((15.5 - mean) / 3.0), 0.0f, 1.0f);

    /* London: solar noon near 12:00 UTC; day length 7.8 h (December) to 16.6 h (June). */
    double daylen = 12.0 + 4.4 * sin(TWO_PI * (doy - 80) / 365.25);
    double sunrise = 12.0 - daylen / 2, sunset = 12.0 + daylen / 2;
    double gloom = 0.12 * d->winter; /* overcast winter days need some light all day */
    /* The day's cloud, shared by every home: a clear day gives full sun, an overcast one a
     * fifth of it. */
    uint64_t ck = prng_key(TAG_WEATHER, seed, 100, (uint64_t)day);
    double clear = 0.2 + 0.8 * ((double)(ck >> 11) * 0x1.0p-53);

    for (int s = 0; s < GEN_SLOTS; s++) {
        int64_t t = day * 86400 + (int64_t)s * 1800;
        int64_t local = t + uk_utc_offset(t);
        int64_t lday = floor_div(local, 86400);
        d->lslot[s] = (uint8_t)((local - lday * 86400) / 1800);
        int wd = (int)(((lday % 7) + 7 + 4) % 7); /* 0 = Sunday; 1970-01-01 was a Thursday */
        d->weekend[s] = wd == 0 || wd == 6;
        double h = s / 2.0 + 0.25;
        double dark = (sunrise + 0.75 - h) / 1.0;
        double dusk = (h - (sunset - 0.75)) / 1.0;
        if (dusk > dark)
            dark = dusk;
        d->dark[s] = clampf((float)(dark > gloom ? dark : gloom), 0.0f, 1.0f);
        double up = (h - sunrise) / daylen;
        d->sun[s] = up > 0 && up < 1 ? (float)(sin(TWO_PI / 2 * up) * clear) : 0.0f;
        /* Coldest just before dawn, warmest mid-afternoon. */
        d->temp[s] = (float)(mean + 3.5 * cos(TWO_PI * (h - 15.0) / 24.0));
    }
}

static float bump(float h, float centre, float width)
{
    float x = (h - centre) / width;
    return expf(-0.5f * x * x);
}

/* Smooth step from 0 to 1 around `at` (half an hour wide). */
static float rise(float h, float at)
{
    return 1.0f / (1.0f + expf(-(h - at) * 6.0f));
}

void gen_household_init(struct gen_household *h, enum gen_kind kind, uint64_t seed,
                        uint64_t meter_index)
{
    struct prng r;
    prng_seed(&r, prng_key(TAG_HOUSE, seed, meter_index, 0));
    h->kind = kind;

    /* Occupants: one to five, UK household sizes. */
    double u = prng_unit(&r);
    int occ = u < 0.29 ? 1 : u < 0.64 ? 2 : u < 0.80 ? 3 : u < 0.93 ? 4 : 5;
    float size = 0.55f + 0.25f * (float)occ;
    float thrift = 0.75f + 0.5f * prng_unitf(&r); /* lognormal-ish spread of habits */

    h->base_wh = (25.0f + 40.0f * prng_unitf(&r)) * (0.8f + 0.2f * (float)occ) * thrift;
    h->act_wh = 150.0f * size * thrift;
    h->light_wh = (25.0f + 45.0f * prng_unitf(&r)) * size;
    h->event_p = 0.08f + 0.10f * prng_unitf(&r);
    h->event_wh = 200.0f + 200.0f * prng_unitf(&r);
    /* Heat loss: a flat ~80 W/K to a draughty semi ~360 W/K, per half-hour; homes with
     * storage heaters are more often flats. */
    h->loss_wh = (80.0f + 280.0f * prng_unitf(&r)) * 0.5f * (kind == GEN_ELEC_E7 ? 0.7f : 1.0f);
    h->setpoint = 16.0f + 3.0f * prng_unitf(&r); /* base temperature: gains cover the rest */
    h->store_max_wh = (1.5f + prng_unitf(&r) * 2.0f) * 2550.0f * 0.5f; /* 1.5-3.5 heaters */
    h->immersion_wh = 3000.0f * 0.5f;
    h->immersion_from = (uint8_t)(3 + prng_below(&r, 6));  /* 01:30 .. 04:00 local */
    h->immersion_slots = (uint8_t)(2 + prng_below(&r, 3)); /* 1 to 2 hours */

    float wake = 6.0f + 1.5f * prng_unitf(&r);
    float bed = 22.25f + 1.5f * prng_unitf(&r);
    float home_day = 0.15f + 0.55f * prng_unitf(&r); /* works from home, retired, ... */
    float eve = 18.0f + 1.5f * prng_unitf(&r);
    float lie_in = 1.0f + 1.5f * prng_unitf(&r);

    for (int we = 0; we < 2; we++) {
        float w = wake + (we ? lie_in : 0.0f);
        float b = bed + (we ? 0.5f : 0.0f);
        for (int s = 0; s < GEN_SLOTS; s++) {
            float hr = (float)s / 2.0f + 0.25f;
            float awake = rise(hr, w) * (1.0f - rise(hr, b));
            float a = 0.05f; /* overnight: fridge cycling and standby live in base_wh */
            a += 0.9f * bump(hr, w + 0.75f, 0.6f);
            if (we) {
                a += 0.55f * bump(hr, 12.75f, 1.8f);
                a += (home_day + 0.25f) * 0.5f * rise(hr, w + 1.5f) * (1.0f - rise(hr, 17.0f));
            } else {
                a += home_day * 0.5f * rise(hr, 9.0f) * (1.0f - rise(hr, 16.5f));
            }
            a += 1.25f * bump(hr, eve, 1.2f);
            a += 0.35f * awake * rise(hr, 17.0f) * (1.0f - rise(hr, b));
            h->act[we][s] = a * (0.25f + 0.75f * awake);
            h->awake[we][s] = awake;
            /* Heating timer: weekday mornings and evenings, all day at weekends. */
            float on = we ? rise(hr, w - 0.5f) * (1.0f - rise(hr, b - 0.5f))
                          : rise(hr, w - 0.5f) * (1.0f - rise(hr, w + 2.0f))
                            + (rise(hr, 16.5f - 0.5f * home_day) * (1.0f - rise(hr, b - 0.5f)))
                            + home_day * rise(hr, w + 2.0f) * (1.0f - rise(hr, 16.0f));
            h->heat_on[we][s] = clampf(on, 0.0f, 1.0f);
        }
        /* Warm-up boost: the first half-hour after the timer comes on draws the most. */
        for (int s = 1; s < GEN_SLOTS; s++)
            if (h->heat_on[we][s] > 0.5f && h->heat_on[we][s - 1] <= 0.5f)
                h->heat_on[we][s] *= 1.4f;
    }
    /* Solar panels of 2.5 to 4.5 kWp: 1,250 to 2,250 Wh a half-hour in full sun (drawn
     * last, so the household's other traits do not depend on it). */
    h->pv_wh = 1250.0f + 1000.0f * prng_unitf(&r);
}

/* Energy (Wh) the household would use in UTC slot s of day d, before noise and bursts. */
static float expected_wh(const struct gen_household *h, const struct gen_day *d, int s,
                         float store_wh)
{
    int ls = d->lslot[s], we = d->weekend[s];
    float heat = clampf(h->setpoint - d->temp[s], 0.0f, 30.0f) * h->loss_wh * d->heating;
    float indoors = 1.0f + 0.25f * d->winter;
    switch (h->kind) {
    case GEN_GAS:
        /* Heating on the timer; hot water and cooking follow activity. */
        return heat * h->heat_on[we][ls] + 300.0f * h->act[we][ls];
    case GEN_ELEC_E7: {
        float v = h->base_wh + h->act_wh * h->act[we][ls] * indoors
                + h->light_wh * d->dark[s] * h->awake[we][ls];
        if (ls >= 1 && ls < 15) { /* 00:30-07:30 local: the cheap night band */
            v += store_wh;
            if (ls >= h->immersion_from && ls < h->immersion_from + h->immersion_slots)
                v += h->immersion_wh;
        }
        return v;
    }
    case GEN_ELEC_DIRECT:
        return h->base_wh + h->act_wh * h->act[we][ls] * indoors
             + h->light_wh * d->dark[s] * h->awake[we][ls]
             + 0.35f * heat * h->heat_on[we][ls] * h->awake[we][ls];
    case GEN_EXPORT: {
        /* Panels' output less what the home itself uses at the time. */
        float pv = h->pv_wh * d->sun[s] * d->sun[s];
        float home = h->base_wh + h->act_wh * h->act[we][ls] * 0.5f;
        return pv > home ? pv - home : 0.0f;
    }
    case GEN_ELEC_GAS_HOME:
    default:
        return h->base_wh + h->act_wh * h->act[we][ls] * indoors
             + h->light_wh * d->dark[s] * h->awake[we][ls];
    }
}

void gen_household_day(const struct gen_household *h, const struct gen_day *d,
                       uint64_t seed, uint64_t meter_index, double missing_rate,
                       int32_t wh[GEN_SLOTS], char quality[GEN_SLOTS])
{
    struct prng r;
    prng_seed(&r, prng_key(TAG_DAY, seed, meter_index, (uint64_t)d->day));

    /* Storage heaters charge overnight for the whole day's heat need, up to their input. */
    float store_wh = 0.0f;
    if (h->kind == GEN_ELEC_E7) {
        float need = 0.0f;
        for (int s = 0; s < GEN_SLOTS; s++)
            need += clampf(h->setpoint - d->temp[s], 0.0f, 30.0f) * h->loss_wh * d->heating;
        store_wh = clampf(need / 14.0f, 0.0f, h->store_max_wh);
    }

    int gas = h->kind == GEN_GAS;
    for (int s = 0; s < GEN_SLOTS; s++) {
        float e = expected_wh(h, d, s, store_wh);
        uint64_t x = prng_next(&r);
        float u = (float)(x >> 40) * 0x1.0p-24f;
        float a = h->act[d->weekend[s]][d->lslot[s]];
        float v;
        if (h->kind == GEN_EXPORT) {
            /* Passing cloud: output varies around the expected, no appliance bursts. */
            v = e * (0.7f + 0.6f * u);
            int32_t w = (int32_t)(v + 0.5f);
            wh[s] = w < 0 ? 0 : w > GEN_MAX_WH ? GEN_MAX_WH : w;
            quality[s] = 'A';
            continue;
        }
        if (gas) {
            /* A boiler cycles: half-hours vary widely around the expected draw. */
            v = e * (0.55f + 0.9f * u);
            if (e < 60.0f && u < 0.5f)
                v = 0.0f; /* boiler idle and nobody running hot water */
        } else {
            v = h->base_wh * (0.9f + 0.2f * u) + (e - h->base_wh) * (0.6f + 0.8f * u);
        }
        /* Appliance bursts (kettle, oven, shower, washing machine) where there is activity;
         * the low 32 bits of the same draw decide, the top 24 gave u. */
        uint32_t cut = (uint32_t)(clampf(h->event_p * a, 0.0f, 0.99f) * 4294967295.0f);
        if ((uint32_t)x < cut)
            v += h->event_wh * (gas ? 3.0f : 1.0f) * (0.3f + 1.4f * prng_unitf(&r));
        int32_t w = (int32_t)(v + 0.5f);
        wh[s] = w < 0 ? 0 : w > GEN_MAX_WH ? GEN_MAX_WH : w;
        quality[s] = 'A';
    }

    /* Now and then the head-end estimates a run it could not read: the expected value. */
    if (prng_unit(&r) < 0.004) {
        int from = (int)prng_below(&r, GEN_SLOTS), len = 2 + (int)prng_below(&r, 7);
        for (int s = from; s < from + len && s < GEN_SLOTS; s++) {
            int32_t w = (int32_t)(expected_wh(h, d, s, store_wh) + 0.5f);
            wh[s] = w < 0 ? 0 : w > GEN_MAX_WH ? GEN_MAX_WH : w;
            quality[s] = 'E';
        }
    }
    /* Communication gaps: runs of 1 to 4 intervals (mean 2.5), so about missing_rate of
     * the intervals are absent. */
    if (missing_rate > 0 && prng_unit(&r) < missing_rate * GEN_SLOTS / 2.5) {
        int from = (int)prng_below(&r, GEN_SLOTS), len = 1 + (int)prng_below(&r, 4);
        for (int s = from; s < from + len && s < GEN_SLOTS; s++) {
            wh[s] = -1;
            quality[s] = 'M';
        }
    }
}
