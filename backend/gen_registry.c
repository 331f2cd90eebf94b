#include "backend/gen_registry.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/gen_prng.h"
#include "backend/halfhour.h"
#include "backend/mpan.h"

enum { TAG_SUPPLY = 0x53, TAG_CUSTOMER = 0x43, TAG_MPAN = 0x4d, TAG_MPRN = 0x47,
       TAG_ACCOUNT = 0x41, TAG_INSTALL = 0x49 };

/* Prices in the range of the 2024 Ofgem cap; names as suppliers print them. Codes are
 * what meters.csv refers to. Economy 7 runs its night band 00:30-07:30 local time. */
static const struct gen_tariff tariff_defs[GEN_NTARIFFS] = {
    [GEN_TARIFF_ELEC_SVT] = {
        .code = "ELEC-SVT", .name = "Standard Variable, electricity", .fuel = "elec",
        .standing_e4 = 601200, .valid_from = "2000-01-01", .nbands = 1,
        .bands = { { .band = "all day", .start_min = 0, .end_min = 1440, .unit_e4 = 223600 } },
    },
    [GEN_TARIFF_ELEC_FIX] = {
        .code = "ELEC-FIX12", .name = "Fixed 12 Months, electricity", .fuel = "elec",
        .standing_e4 = 457500, .valid_from = "2000-01-01", .nbands = 1,
        .bands = { { .band = "all day", .start_min = 0, .end_min = 1440, .unit_e4 = 241500 } },
    },
    [GEN_TARIFF_ELEC_E7] = {
        .code = "ELEC-E7", .name = "Economy 7", .fuel = "elec",
        .standing_e4 = 601200, .valid_from = "2000-01-01", .nbands = 3,
        .bands = { { .band = "day", .start_min = 0, .end_min = 30, .unit_e4 = 278700 },
                   { .band = "night", .start_min = 30, .end_min = 450, .unit_e4 = 139300 },
                   { .band = "day", .start_min = 450, .end_min = 1440, .unit_e4 = 278700 } },
    },
    [GEN_TARIFF_GAS_SVT] = {
        .code = "GAS-SVT", .name = "Standard Variable, gas", .fuel = "gas",
        .standing_e4 = 314300, .valid_from = "2000-01-01", .nbands = 1,
        .bands = { { .band = "all day", .start_min = 0, .end_min = 1440, .unit_e4 = 54800 } },
    },
    /* Paid for export by a solar home's export meter (a credit), no standing charge. */
    [GEN_TARIFF_SEG] = {
        .code = "SEG-EXPORT", .name = "Smart Export Guarantee", .fuel = "elec",
        .standing_e4 = 0, .valid_from = "2000-01-01", .nbands = 1,
        .bands = { { .band = "all day", .start_min = 0, .end_min = 1440, .unit_e4 = 150000 } },
    },
    [GEN_TARIFF_GAS_FIX] = {
        .code = "GAS-FIX12", .name = "Fixed 12 Months, gas", .fuel = "gas",
        .standing_e4 = 279500, .valid_from = "2000-01-01", .nbands = 1,
        .bands = { { .band = "all day", .start_min = 0, .end_min = 1440, .unit_e4 = 59100 } },
    },
};

/* ---- identifiers --------------------------------------------------------------------- */

/* index -> 10-digit meter point id: an affine map modulo 10^10 with a multiplier coprime
 * to 10 is a bijection, so distinct indices give distinct ids. A < 1.8e9 keeps
 * index * A below 2^64 for every index below 10^10. */
void gen_mpan_core(uint64_t seed, uint64_t index, char out[14])
{
    const uint64_t mod = 10000000000ULL, a = 1640531527ULL;
    uint64_t b = prng_key(TAG_MPAN, seed, 0, 0) % mod;
    uint64_t id = ((index % mod) * a % mod + b) % mod;
    /* Distributor 10..23: the fourteen DNO areas. */
    unsigned dist = 10 + (unsigned)(prng_key(TAG_MPAN, seed, index, 1) % 14);
    out[0] = (char)('0' + dist / 10);
    out[1] = (char)('0' + dist % 10);
    for (int i = 11; i >= 2; i--) {
        out[i] = (char)('0' + id % 10);
        id /= 10;
    }
    out[12] = (char)('0' + mpan_check_digit(out));
    out[13] = '\0';
}

/* index -> 10-digit MPRN not starting with 0: bijective modulo 9 * 10^9 (the multiplier
 * is coprime to 2, 3 and 5). */
void gen_mprn(uint64_t seed, uint64_t index, char out[11])
{
    const uint64_t mod = 9000000000ULL, a = 1640531527ULL;
    uint64_t b = prng_key(TAG_MPRN, seed, 0, 0) % mod;
    uint64_t id = 1000000000ULL + ((index % mod) * a % mod + b) % mod;
    for (int i = 9; i >= 0; i--) {
        out[i] = (char)('0' + id % 10);
        id /= 10;
    }
    out[10] = '\0';
}

/* A bijection of 32-bit integers (xor-shift-multiply), so account numbers never repeat. */
static uint32_t perm32(uint32_t x, uint32_t key)
{
    x ^= key;
    x *= 0x9e3779b1u;
    x ^= x >> 16;
    x *= 0x85ebca6bu;
    x ^= x >> 13;
    return x;
}

void gen_account_no(uint64_t seed, uint32_t customer, char out[12])
{
    static const char hex[] = "0123456789ABCDEF";
    uint32_t v = perm32(customer, (uint32_t)prng_key(TAG_ACCOUNT, seed, 0, 0));
    out[0] = 'A';
    out[1] = '-';
    for (int i = 9; i >= 2; i--) {
        out[i] = hex[v & 15];
        v >>= 4;
    }
    out[10] = '\0';
}

/* ---- meters and customers ------------------------------------------------------------- */

static void periods_build(struct gen_bills *b, int64_t first_day, int ndays)
{
    b->nperiods = 0;
    int64_t d = first_day, end = first_day + ndays;
    while (d < end) {
        int y, m, dd;
        civil_from_days(d, &y, &m, &dd);
        int64_t next = days_from_civil(y, m, 1) + days_in_month(y, m);
        b->first_day[b->nperiods] = d;
        b->last_day[b->nperiods] = (next < end ? next : end) - 1;
        b->nperiods++;
        d = next;
    }
}

int gen_bills_period(const struct gen_bills *b, int64_t day)
{
    for (int p = 0; p < b->nperiods; p++)
        if (day <= b->last_day[p])
            return p;
    return b->nperiods - 1;
}

int gen_registry_build(struct gen_registry *reg, uint64_t seed, uint32_t nmeters,
                       int64_t first_day, int ndays, struct mo_err *err)
{
    memset(reg, 0, sizeof *reg);
    reg->seed = seed;
    reg->nmeters = nmeters;
    memcpy(reg->tariffs, tariff_defs, sizeof tariff_defs);
    for (int t = 0; t < GEN_NTARIFFS; t++) {
        struct gen_tariff *tf = &reg->tariffs[t];
        for (int s = 0; s < GEN_SLOTS; s++)
            for (int b = 0; b < tf->nbands; b++)
                if (s * 30 >= tf->bands[b].start_min && s * 30 < tf->bands[b].end_min)
                    tf->rate_e4[s] = tf->bands[b].unit_e4;
    }

    size_t months = (size_t)ndays / 28 + 2;
    reg->meters = calloc(nmeters, sizeof *reg->meters);
    reg->bills.first_day = calloc(months, sizeof(int64_t));
    reg->bills.last_day = calloc(months, sizeof(int64_t));
    if (!reg->meters || !reg->bills.first_day || !reg->bills.last_day)
        goto oom;
    periods_build(&reg->bills, first_day, ndays);
    size_t cells = (size_t)nmeters * (size_t)reg->bills.nperiods;
    reg->bills.wh = calloc(cells, sizeof(int64_t));
    reg->bills.cost = calloc(cells, sizeof(int64_t));
    if (!reg->bills.wh || !reg->bills.cost)
        goto oom;

    /* Walk customers, giving each its meters, until there are nmeters. About 12% are
     * Economy 7 homes with storage heaters, 12% all-electric on a flat tariff, the rest
     * heated by gas (a gas meter next to the electricity meter); 40% are on a fixed deal.
     * 8% of the homes not on Economy 7 have solar panels: an export meter after the
     * electricity meter, on the Smart Export Guarantee tariff. */
    uint32_t m = 0, c = 0;
    while (m < nmeters) {
        struct prng r;
        prng_seed(&r, prng_key(TAG_SUPPLY, seed, c, 0));
        double u = prng_unit(&r);
        int fixed = prng_unit(&r) < 0.4;
        int solar = prng_unit(&r) < 0.08 && u >= 0.12;
        struct gen_meter *e = &reg->meters[m];
        e->customer = c;
        if (u < 0.12) {
            e->kind = GEN_ELEC_E7;
            e->tariff = GEN_TARIFF_ELEC_E7;
        } else {
            e->kind = u < 0.24 ? GEN_ELEC_DIRECT : GEN_ELEC_GAS_HOME;
            e->tariff = fixed ? GEN_TARIFF_ELEC_FIX : GEN_TARIFF_ELEC_SVT;
        }
        gen_mpan_core(seed, m, e->mpxn);
        e->mpxn_len = 13;
        m++;
        if (solar && m < nmeters) {
            struct gen_meter *x = &reg->meters[m];
            x->customer = c;
            x->kind = GEN_EXPORT;
            x->tariff = GEN_TARIFF_SEG;
            gen_mpan_core(seed, m, x->mpxn);
            x->mpxn_len = 13;
            m++;
        }
        if (u >= 0.24 && m < nmeters) {
            struct gen_meter *g = &reg->meters[m];
            g->customer = c;
            g->kind = GEN_GAS;
            g->tariff = fixed ? GEN_TARIFF_GAS_FIX : GEN_TARIFF_GAS_SVT;
            gen_mprn(seed, m, g->mpxn);
            g->mpxn_len = 10;
            m++;
        }
        c++;
    }
    reg->ncustomers = c;
    return 0;
oom:
    gen_registry_free(reg);
    return mo_err_set(err, "out_of_memory", "not enough memory for %u meters", nmeters);
}

void gen_registry_free(struct gen_registry *reg)
{
    free(reg->meters);
    free(reg->bills.first_day);
    free(reg->bills.last_day);
    free(reg->bills.wh);
    free(reg->bills.cost);
    memset(reg, 0, sizeof *reg);
}

/* ---- people ---------------------------------------------------------------------------- */

/* Display name and its ASCII form for e-mail addresses. */
struct name { const char *text, *ascii; };

static const struct name first_names[] = {
    { "Oliver", "oliver" }, { "Amelia", "amelia" }, { "George", "george" }, { "Isla", "isla" },
    { "Harry", "harry" }, { "Ava", "ava" }, { "Noah", "noah" }, { "Mia", "mia" },
    { "Jack", "jack" }, { "Ivy", "ivy" }, { "Leo", "leo" }, { "Grace", "grace" },
    { "Arthur", "arthur" }, { "Freya", "freya" }, { "Muhammad", "muhammad" }, { "Lily", "lily" },
    { "Oscar", "oscar" }, { "Sophia", "sophia" }, { "Charlie", "charlie" }, { "Florence", "florence" },
    { "Thomas", "thomas" }, { "Emily", "emily" }, { "James", "james" }, { "Poppy", "poppy" },
    { "William", "william" }, { "Evie", "evie" }, { "Henry", "henry" }, { "Ella", "ella" },
    { "Alfie", "alfie" }, { "Sienna", "sienna" }, { "Margaret", "margaret" }, { "David", "david" },
    { "Susan", "susan" }, { "Peter", "peter" }, { "Patricia", "patricia" }, { "John", "john" },
    { "Zoë", "zoe" }, { "Siân", "sian" }, { "Niamh", "niamh" }, { "Rhys", "rhys" },
    { "Aoife", "aoife" }, { "Eilidh", "eilidh" }, { "Łukasz", "lukasz" }, { "Agnieszka", "agnieszka" },
    { "Priya", "priya" }, { "Arjun", "arjun" }, { "Fatima", "fatima" }, { "Chidi", "chidi" },
    { "Ngozi", "ngozi" }, { "Wei", "wei" }, { "José", "jose" }, { "Renée", "renee" },
};
static const struct name surnames[] = {
    { "Smith", "smith" }, { "Jones", "jones" }, { "Taylor", "taylor" }, { "Brown", "brown" },
    { "Williams", "williams" }, { "Wilson", "wilson" }, { "Johnson", "johnson" }, { "Davies", "davies" },
    { "Patel", "patel" }, { "Robinson", "robinson" }, { "Wright", "wright" }, { "Thompson", "thompson" },
    { "Evans", "evans" }, { "Walker", "walker" }, { "White", "white" }, { "Roberts", "roberts" },
    { "Green", "green" }, { "Hall", "hall" }, { "Thomas", "thomas" }, { "Clarke", "clarke" },
    { "Jackson", "jackson" }, { "Wood", "wood" }, { "Harris", "harris" }, { "Edwards", "edwards" },
    { "Turner", "turner" }, { "Martin", "martin" }, { "Cooper", "cooper" }, { "Hill", "hill" },
    { "Ward", "ward" }, { "Hughes", "hughes" }, { "Khan", "khan" }, { "Ali", "ali" },
    { "Singh", "singh" }, { "O'Brien", "obrien" }, { "O'Neill", "oneill" }, { "MacDonald", "macdonald" },
    { "Campbell", "campbell" }, { "Morgan", "morgan" }, { "Llewellyn", "llewellyn" }, { "Ní Bhriain", "nibhriain" },
    { "Kowalski", "kowalski" }, { "Nowak", "nowak" }, { "Müller", "muller" }, { "García", "garcia" },
    { "Okafor", "okafor" }, { "Chen", "chen" }, { "Nguyen", "nguyen" }, { "Smith-Jones", "smithjones" },
};
/* Small businesses on domestic-style supplies; some names carry a comma (quoted in CSV). */
static const struct name businesses[] = {
    { "The Corner Bakery Ltd", "cornerbakery" }, { "Patel & Sons, Newsagents", "patelandsons" },
    { "Riverside Dental Practice", "riversidedental" }, { "Green Lane Garage", "greenlanegarage" },
    { "St Mary's Church Hall", "stmaryshall" }, { "Hair by Siân", "hairbysian" },
    { "Brown, Clarke & Co", "brownclarke" }, { "The Old Forge Café", "oldforgecafe" },
};
/* Real postcode districts across Great Britain and Northern Ireland. */
static const char *const districts[] = {
    "SW1A", "SW11", "SE15", "N7", "NW3", "E14", "EC1V", "W5", "CR0", "BR1", "KT2", "TW9",
    "M20", "M14", "L8", "LS6", "S10", "B15", "CV4", "NG7", "LE2", "BS6", "BA1", "EX4",
    "PL4", "CF10", "SA1", "LL57", "G12", "EH10", "AB24", "DD1", "IV2", "BT9", "BT7", "NE6",
    "DH1", "YO10", "HU5", "OX4", "CB1", "NR2", "IP4", "CT1", "BN1", "PO5", "SO17", "GU1",
    "RG1", "MK9", "LU1", "AL1", "CM1", "CO1", "SS1", "ME4", "TN1", "DN1", "WF1", "HG1",
};
/* Inward code letters: the Royal Mail never uses C, I, K, M, O or V there. */
static const char inward_letters[] = "ABDEFGHJLNPQRSTUWXYZ";

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

struct person {
    char name[128];
    char postcode[16];
    char email[128];
    char phone[24];
};

static void person_make(uint64_t seed, uint32_t c, struct person *p)
{
    struct prng r;
    prng_seed(&r, prng_key(TAG_CUSTOMER, seed, c, 0));
    const char *dom[] = { "example.com", "example.org", "example.net" };
    const char *domain = dom[prng_below(&r, 3)];
    if (prng_unit(&r) < 0.03) {
        const struct name *b = &businesses[prng_below(&r, N_OF(businesses))];
        snprintf(p->name, sizeof p->name, "%s", b->text);
        snprintf(p->email, sizeof p->email, "accounts.%s%u@%s", b->ascii, c, domain);
    } else {
        const struct name *f = &first_names[prng_below(&r, N_OF(first_names))];
        const struct name *s = &surnames[prng_below(&r, N_OF(surnames))];
        snprintf(p->name, sizeof p->name, "%s %s", f->text, s->text);
        snprintf(p->email, sizeof p->email, "%s.%s%u@%s", f->ascii, s->ascii, c % 1000, domain);
    }
    if (prng_unit(&r) < 0.12)
        p->email[0] = '\0'; /* no e-mail on file */
    snprintf(p->postcode, sizeof p->postcode, "%s %c%c%c", districts[prng_below(&r, N_OF(districts))],
             (char)('0' + prng_below(&r, 10)), inward_letters[prng_below(&r, 20)],
             inward_letters[prng_below(&r, 20)]);
    /* Ofcom's ranges reserved for drama: never a real person's number. */
    double u = prng_unit(&r);
    if (u < 0.2)
        p->phone[0] = '\0';
    else if (u < 0.45)
        snprintf(p->phone, sizeof p->phone, "020 7946 0%03u", prng_below(&r, 1000));
    else
        snprintf(p->phone, sizeof p->phone, "07700 900%03u", prng_below(&r, 1000));
}

/* ---- CSV output ------------------------------------------------------------------------ */

/* One field, quoted when it holds a comma or a quote. */
static void csv_field(FILE *f, const char *s, int last)
{
    if (strpbrk(s, ",\"")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
    fputc(last ? '\n' : ',', f);
}

static FILE *csv_open(const char *path, const char *header, struct mo_err *err)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        mo_err_at(err, path, 0, 0, "io", "cannot create %s: %s", path, strerror(errno));
        return NULL;
    }
    fputs(header, f);
    return f;
}

static int csv_close(FILE *f, const char *path, struct mo_err *err)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return mo_err_at(err, path, 0, 0, "io", "cannot write %s: %s", path, strerror(errno ? errno : EIO));
    return 0;
}

int gen_write_customers(const struct gen_registry *reg, const char *path, struct mo_err *err)
{
    FILE *f = csv_open(path, "account_no,name,postcode,email,phone\n", err);
    if (!f)
        return -1;
    for (uint32_t c = 0; c < reg->ncustomers; c++) {
        char acct[12];
        struct person p;
        gen_account_no(reg->seed, c, acct);
        person_make(reg->seed, c, &p);
        csv_field(f, acct, 0);
        csv_field(f, p.name, 0);
        csv_field(f, p.postcode, 0);
        csv_field(f, p.email, 0);
        csv_field(f, p.phone, 1);
    }
    return csv_close(f, path, err);
}

static void fmt_e4(char *buf, size_t len, int64_t v)
{
    snprintf(buf, len, "%lld.%04lld", (long long)(v / 10000), (long long)(v % 10000));
}

static void fmt_minute(char *buf, size_t len, int m)
{
    snprintf(buf, len, "%02d:%02d", m / 60, m % 60);
}

int gen_write_tariffs(const struct gen_registry *reg, const char *path, struct mo_err *err)
{
    FILE *f = csv_open(path, "code,name,fuel,standing_p_day,valid_from,valid_to,band,"
                             "start_local,end_local,unit_p_kwh\n", err);
    if (!f)
        return -1;
    for (int t = 0; t < GEN_NTARIFFS; t++) {
        const struct gen_tariff *tf = &reg->tariffs[t];
        for (int b = 0; b < tf->nbands; b++) {
            char standing[32], from[24], to[24], unit[32];
            fmt_e4(standing, sizeof standing, tf->standing_e4);
            fmt_minute(from, sizeof from, tf->bands[b].start_min);
            fmt_minute(to, sizeof to, tf->bands[b].end_min);
            fmt_e4(unit, sizeof unit, tf->bands[b].unit_e4);
            csv_field(f, tf->code, 0);
            csv_field(f, tf->name, 0);
            csv_field(f, tf->fuel, 0);
            csv_field(f, standing, 0);
            csv_field(f, tf->valid_from, 0);
            csv_field(f, "", 0);
            csv_field(f, tf->bands[b].band, 0);
            csv_field(f, from, 0);
            csv_field(f, to, 0);
            csv_field(f, unit, 1);
        }
    }
    return csv_close(f, path, err);
}

int gen_write_meters(const struct gen_registry *reg, int64_t first_day, const char *path,
                     struct mo_err *err)
{
    FILE *f = csv_open(path, "mpxn,fuel,interval_minutes,account_no,tariff_code,installed_on,"
                             "removed_on,direction\n", err);
    if (!f)
        return -1;
    for (uint32_t m = 0; m < reg->nmeters; m++) {
        const struct gen_meter *gm = &reg->meters[m];
        char acct[12], installed[16];
        gen_account_no(reg->seed, gm->customer, acct);
        /* Installed two months to seven years before the first generated day. */
        date_format(first_day - 60 - (int64_t)(prng_key(TAG_INSTALL, reg->seed, m, 0) % 2500), installed);
        csv_field(f, gm->mpxn, 0);
        csv_field(f, gm->kind == GEN_GAS ? "gas" : "elec", 0);
        csv_field(f, "30", 0);
        csv_field(f, acct, 0);
        csv_field(f, reg->tariffs[gm->tariff].code, 0);
        csv_field(f, installed, 0);
        csv_field(f, "", 0);
        csv_field(f, gm->kind == GEN_EXPORT ? "export" : "import", 1);
    }
    return csv_close(f, path, err);
}

/* One bill per customer and period: all its meters' clean readings priced by band, plus
 * each meter's standing charge for the days of the period. Amounts in pence, rounded half
 * up to two decimals; issued the day after the period ends. */
int gen_write_bills(const struct gen_registry *reg, const char *path, struct mo_err *err)
{
    FILE *f = csv_open(path, "account_no,period_start,period_end,kwh,amount_p,issued_on\n", err);
    if (!f)
        return -1;
    const struct gen_bills *b = &reg->bills;
    uint32_t m = 0;
    while (m < reg->nmeters) {
        uint32_t c = reg->meters[m].customer, end = m;
        while (end < reg->nmeters && reg->meters[end].customer == c)
            end++;
        char acct[12];
        gen_account_no(reg->seed, c, acct);
        for (int p = 0; p < b->nperiods; p++) {
            int64_t days = b->last_day[p] - b->first_day[p] + 1;
            int64_t wh = 0, cost_e7 = 0; /* 10^-7 pence */
            for (uint32_t k = m; k < end; k++) {
                size_t cell = (size_t)k * (size_t)b->nperiods + (size_t)p;
                if (reg->meters[k].kind == GEN_EXPORT) { /* not use: a credit */
                    cost_e7 -= b->cost[cell];
                    continue;
                }
                wh += b->wh[cell];
                cost_e7 += b->cost[cell] + (int64_t)reg->tariffs[reg->meters[k].tariff].standing_e4 * days * 1000;
            }
            /* 10^-2 pence, half up (away from zero for a credit) */
            int64_t hundredths = cost_e7 >= 0 ? (cost_e7 + 50000) / 100000 : -((-cost_e7 + 50000) / 100000);
            char from[16], to[16], issued[16], kwh[32], amount[32];
            date_format(b->first_day[p], from);
            date_format(b->last_day[p], to);
            date_format(b->last_day[p] + 1, issued);
            snprintf(kwh, sizeof kwh, "%lld.%03lld", (long long)(wh / 1000), (long long)(wh % 1000));
            long long mag = (long long)(hundredths < 0 ? -hundredths : hundredths);
            snprintf(amount, sizeof amount, "%s%lld.%02lld", hundredths < 0 ? "-" : "", mag / 100, mag % 100);
            csv_field(f, acct, 0);
            csv_field(f, from, 0);
            csv_field(f, to, 0);
            csv_field(f, kwh, 0);
            csv_field(f, amount, 0);
            csv_field(f, issued, 1);
        }
        m = end;
    }
    return csv_close(f, path, err);
}
