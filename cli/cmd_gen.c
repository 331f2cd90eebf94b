/* meterops gen: synthetic registry and readings files (backend/gen.h). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/gen.h"
#include "backend/gen_fault.h"
#include "backend/halfhour.h"
#include "cli/cmd.h"

static void gen_usage(FILE *out)
{
    fprintf(out,
        "Usage: meterops gen --meters N --days D --start YYYY-MM-DD --out DIR [OPTIONS]\n"
        "Writes realistic synthetic smart-meter data into DIR: customers.csv, tariffs.csv,\n"
        "meters.csv, bills.csv, the readings and manifest.csv. Same options, same bytes.\n\n"
        "  --meters N          meters to generate (electricity, and gas for gas-heated homes)\n"
        "  --days D            UTC days of half-hourly readings from --start\n"
        "  --start DATE        first day (UTC); the last day must be over already\n"
        "  --format F          long (mpxn,timestamp,kwh,quality; default) or wide\n"
        "                      (mpxn,date and one column per half-hour)\n"
        "  --out DIR           output directory (created if missing; files of the same\n"
        "                      names are replaced)\n"
        "  --error-rate R      replace about R of the readings lines by realistic faults,\n"
        "                      listed in manifest.csv (default 0)\n"
        "  --missing-rate R    leave out about R of the intervals (default 0.0005)\n"
        "  --seed S            random seed (default 1)\n"
        "  --files K           split the readings into K files by meter (default 1)\n"
        "  --jobs J            threads writing readings files (default 1); the output\n"
        "                      does not depend on it\n"
        "  --quiet             no summary line\n"
        "Layouts: doc/formats.md, sections \"Registry feeds\" and \"Generated data\".\n");
}

static int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    char *end;
    errno = 0;
    if (*s == '-' || *s == '\0')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int parse_rate(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || end == s || !(v >= 0 && v <= 1))
        return -1;
    *out = v;
    return 0;
}

static int gen_cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {
        { "meters", required_argument, NULL, 'm' },
        { "days", required_argument, NULL, 'd' },
        { "start", required_argument, NULL, 's' },
        { "format", required_argument, NULL, 'f' },
        { "out", required_argument, NULL, 'o' },
        { "error-rate", required_argument, NULL, 'e' },
        { "missing-rate", required_argument, NULL, 'M' },
        { "seed", required_argument, NULL, 'S' },
        { "files", required_argument, NULL, 'k' },
        { "jobs", required_argument, NULL, 'j' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct gen_opts o;
    gen_opts_default(&o);
    int have_meters = 0, have_days = 0, have_start = 0, quiet = 0, c;
    uint64_t v;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'm':
            if (parse_u64(optarg, 1, 100000000, &v) < 0) {
                cli_error("gen", "--meters '%s' is not a whole number between 1 and 100000000", optarg);
                return EXIT_FAIL;
            }
            o.meters = (uint32_t)v;
            have_meters = 1;
            break;
        case 'd':
            if (parse_u64(optarg, 1, 3660, &v) < 0) {
                cli_error("gen", "--days '%s' is not a whole number between 1 and 3660", optarg);
                return EXIT_FAIL;
            }
            o.days = (int)v;
            have_days = 1;
            break;
        case 's':
            if (date_parse(optarg, strlen(optarg), &o.start_day) < 0) {
                cli_error("gen", "--start '%s' is not a date like 2024-06-01", optarg);
                return EXIT_FAIL;
            }
            have_start = 1;
            break;
        case 'f':
            if (strcmp(optarg, "long") == 0)
                o.wide = 0;
            else if (strcmp(optarg, "wide") == 0)
                o.wide = 1;
            else {
                cli_error("gen", "--format '%s': gen writes long or wide", optarg);
                return EXIT_FAIL;
            }
            break;
        case 'o': o.out_dir = optarg; break;
        case 'e':
            if (parse_rate(optarg, &o.error_rate) < 0) {
                cli_error("gen", "--error-rate '%s' is not a number between 0 and 1", optarg);
                return EXIT_FAIL;
            }
            break;
        case 'M':
            if (parse_rate(optarg, &o.missing_rate) < 0) {
                cli_error("gen", "--missing-rate '%s' is not a number between 0 and 1", optarg);
                return EXIT_FAIL;
            }
            break;
        case 'S':
            if (parse_u64(optarg, 0, UINT64_MAX, &o.seed) < 0) {
                cli_error("gen", "--seed '%s' is not a whole number", optarg);
                return EXIT_FAIL;
            }
            break;
        case 'k':
            if (parse_u64(optarg, 1, 100000, &v) < 0) {
                cli_error("gen", "--files '%s' is not a whole number between 1 and 100000", optarg);
                return EXIT_FAIL;
            }
            o.files = (int)v;
            break;
        case 'j':
            if (parse_u64(optarg, 1, 256, &v) < 0) {
                cli_error("gen", "--jobs '%s' is not a whole number between 1 and 256", optarg);
                return EXIT_FAIL;
            }
            o.jobs = (int)v;
            break;
        case 'q': quiet = 1; break;
        case 'h': gen_usage(stdout); return EXIT_OK;
        default: gen_usage(stderr); return EXIT_FAIL;
        }
    }
    if (optind != argc || !have_meters || !have_days || !have_start || !o.out_dir) {
        cli_error("gen", optind != argc ? "unexpected argument '%s'"
                         : "--meters, --days, --start and --out are required%s",
                  optind != argc ? argv[optind] : "");
        gen_usage(stderr);
        return EXIT_FAIL;
    }
    o.now = (int64_t)time(NULL);

    struct gen_summary sum;
    struct mo_err err;
    mo_err_clear(&err);
    if (gen_run(&o, &sum, &err) < 0) {
        char msg[1024];
        mo_err_format(&err, msg, sizeof msg);
        cli_error("gen", "%s", msg);
        return EXIT_FAIL;
    }
    if (!quiet) {
        printf("%s: %u meters (%u gas, %u Economy 7) of %u customers, %d day(s), %s\n",
               o.out_dir, sum.meters, sum.gas_meters, sum.e7_meters, sum.customers, o.days,
               o.wide ? "wide" : "long");
        printf("readings: %llu in %llu lines, %d file(s), %.1f MB; %llu intervals missing; "
               "%llu faults injected",
               (unsigned long long)sum.readings, (unsigned long long)sum.lines, sum.files,
               (double)sum.bytes / 1e6, (unsigned long long)sum.missing,
               (unsigned long long)sum.faults);
        /* By rejection code (two kinds of fault share value_range, two field_count). */
        const char *sep = " (";
        for (int k = 0; k < GEN_NFAULTS; k++) {
            const char *code = gen_fault_code((enum gen_fault_kind)k);
            unsigned long long n = 0;
            int first = 1;
            for (int j = 0; j < GEN_NFAULTS; j++)
                if (strcmp(gen_fault_code((enum gen_fault_kind)j), code) == 0) {
                    first = first && j >= k;
                    n += sum.fault_count[j];
                }
            if (first && n) {
                printf("%s%s %llu", sep, code, n);
                sep = ", ";
            }
        }
        printf("%s\n", sum.faults ? ")" : "");
    }
    return EXIT_OK;
}

const struct mo_cmd cmd_gen_entry = {
    "gen", "--meters N --days D --start DATE --out DIR [--format long|wide] [--error-rate R] [--seed S]",
    "write realistic synthetic registry and readings files", gen_cmd_run,
};
