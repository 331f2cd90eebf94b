/* gen_long - synthetic long-format meter data for bench/load.sh.
 *
 *   gen_long METERS DAYS START_DATE OUTDIR
 *
 * writes, for METERS half-hourly electricity meters (valid MPAN cores) over DAYS days:
 *   OUTDIR/meters.tsv     registry rows (mpxn, fuel, interval) for COPY into meterops.meter
 *   OUTDIR/readings.csv   the long CSV (mpxn,timestamp,kwh), grouped by meter, by time
 *   OUTDIR/corrected.csv  the same meter-days with every value changed (the merge path)
 *   OUTDIR/days.bin       the same readings already shaped as reading_day rows, binary
 *                         COPY (meter_id = position in meters.tsv), for the server-side
 *                         ceiling
 * Values are deterministic: a daily load shape plus noise from a fixed-seed generator.
 * GEN_SKIP_CORRECTED=1 leaves corrected.csv empty (national-scale runs without (d)).
 * Kept in bench/ until `meterops gen` is on the same branch. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/copy.h"
#include "backend/halfhour.h"
#include "backend/mpan.h"

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

static FILE *open_out(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(2);
    }
    setvbuf(f, NULL, _IOFBF, 1 << 20);
    return f;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: gen_long METERS DAYS START_DATE OUTDIR\n");
        return 2;
    }
    long meters = atol(argv[1]), days = atol(argv[2]);
    int64_t day0;
    if (meters <= 0 || days <= 0 || date_parse(argv[3], strlen(argv[3]), &day0) < 0) {
        fprintf(stderr, "gen_long: bad arguments\n");
        return 2;
    }
    FILE *reg = open_out(argv[4], "meters.tsv");
    FILE *csv = open_out(argv[4], "readings.csv");
    const char *skip = getenv("GEN_SKIP_CORRECTED");
    int corrected = !(skip && *skip == '1');
    FILE *cor = open_out(argv[4], "corrected.csv");
    FILE *bin = open_out(argv[4], "days.bin");
    fputs("mpxn,timestamp,kwh\n", csv);
    fputs("mpxn,timestamp,kwh\n", cor);
    struct copybuf b;
    copybuf_init(&b);
    copybuf_header(&b);
    char date[16];
    for (long m = 0; m < meters; m++) {
        char mpan[16];
        snprintf(mpan, sizeof mpan, "27%010ld", m);
        mpan[12] = (char)('0' + mpan_check_digit(mpan));
        mpan[13] = '\0';
        fprintf(reg, "%s\telec\t30\n", mpan);
        int base = 80 + (int)(next_rand() % 200);
        for (long d = 0; d < days; d++) {
            int64_t day = day0 + d;
            date_format(day, date);
            int32_t wh[48];
            uint64_t set[2] = { (UINT64_C(1) << 48) - 1, 0 }, est[2] = { 0, 0 };
            for (int s = 0; s < 48; s++) {
                /* night trough, morning and evening peaks */
                int shape = s < 12 ? 0 : s < 18 ? 150 : s < 34 ? 60 : s < 44 ? 300 : 100;
                wh[s] = base + shape + (int)(next_rand() % 250);
                fprintf(csv, "%s,%sT%02d:%02d:00Z,%d.%03d\n", mpan, date, s / 2, s % 2 * 30,
                        wh[s] / 1000, wh[s] % 1000);
                int w2 = wh[s] + 1 + (int)(next_rand() % 20);
                if (corrected)
                    fprintf(cor, "%s,%sT%02d:%02d:00Z,%d.%03d\n", mpan, date, s / 2,
                            s % 2 * 30, w2 / 1000, w2 % 1000);
            }
            copybuf_day(&b, m + 1, day, 48, wh, set, est, 1);
            if (b.len > (1 << 20)) {
                fwrite(b.p, 1, b.len, bin);
                copybuf_reset(&b);
            }
        }
    }
    copybuf_trailer(&b);
    fwrite(b.p, 1, b.len, bin);
    copybuf_free(&b);
    int bad = 0;
    bad |= fclose(reg) != 0;
    bad |= fclose(csv) != 0;
    bad |= fclose(cor) != 0;
    bad |= fclose(bin) != 0;
    if (bad) {
        fprintf(stderr, "gen_long: write failed (disk full?)\n");
        return 2;
    }
    return 0;
}
