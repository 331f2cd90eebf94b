/* meterops gen: synthetic registry and readings files (backend/gen.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/gen.h"
#include "backend/gen_fault.h"
#include "backend/halfhour.h"
#include "cli/cmd.h"

enum {
    O_METERS, O_DAYS, O_START, O_FORMAT, O_OUT, O_ERROR_RATE, O_MISSING_RATE, O_SEED, O_FILES,
    O_JOBS, O_QUIET, O_END
};

static const struct cli_opt gen_opts[] = {
    [O_METERS] = { "meters", 0, CLI_INT, "N", "meters to generate (electricity, and gas for gas-heated homes)",
                   1, 100000000 },
    [O_DAYS] = { "days", 0, CLI_INT, "D", "UTC days of half-hourly readings from --start", 1, 3660 },
    [O_START] = { "start", 0, CLI_STRING, "DATE", "first day (UTC); the last day must be over already" },
    [O_FORMAT] = { "format", 0, CLI_STRING, "F",
                   "long (mpxn,timestamp,kwh,quality; default), wide\n"
                   "(mpxn,date and one column per half-hour), or xml (the\n"
                   "registry feeds as XML, the readings long)" },
    [O_OUT] = { "out", 0, CLI_STRING, "DIR",
                "output directory (created if missing; files of the same\n"
                "names are replaced)" },
    [O_ERROR_RATE] = { "error-rate", 0, CLI_REAL, "R",
                       "replace about R of the readings lines by realistic faults,\n"
                       "listed in manifest.csv (default 0)", 0, 1 },
    [O_MISSING_RATE] = { "missing-rate", 0, CLI_REAL, "R", "leave out about R of the intervals (default 0.0005)",
                         0, 1 },
    [O_SEED] = { "seed", 0, CLI_U64, "S", "random seed (default 1)" },
    [O_FILES] = { "files", 0, CLI_INT, "K", "split the readings into K files by meter (default 1)", 1, 100000 },
    [O_JOBS] = { "jobs", 0, CLI_INT, "J",
                 "threads writing readings files (default 1); the output\n"
                 "does not depend on it", 1, 256 },
    [O_QUIET] = { "quiet", 0, CLI_FLAG, NULL, "no summary line" },
    [O_END] = { 0 },
};

static const struct cli_spec gen_spec = {
    "gen",
    "Usage: meterops gen --meters N --days D --start YYYY-MM-DD --out DIR [OPTIONS]\n"
    "Writes realistic synthetic smart-meter data into DIR: customers.csv, tariffs.csv,\n"
    "meters.csv, bills.csv, the readings and manifest.csv. Same options, same bytes.\n\n",
    gen_opts,
    "Layouts: doc/formats.md, sections \"Registry feeds\" and \"Generated data\".\n",
};

struct gen_args {
    struct gen_opts o;
    int have_meters, have_days, have_start, quiet;
};

/* -1 to go on, else the exit status. */
static int take_option(struct gen_args *a, int k, const struct cli_parser *p)
{
    switch (k) {
    case O_METERS: a->o.meters = (uint32_t)p->ival; a->have_meters = 1; break;
    case O_DAYS: a->o.days = p->ival; a->have_days = 1; break;
    case O_START:
        if (date_parse(p->arg, strlen(p->arg), &a->o.start_day) < 0) {
            cli_error("gen", "--start '%s' is not a date like 2024-06-01", p->arg);
            return EXIT_FAIL;
        }
        a->have_start = 1;
        break;
    case O_FORMAT:
        if (strcmp(p->arg, "long") != 0 && strcmp(p->arg, "wide") != 0 && strcmp(p->arg, "xml") != 0) {
            cli_error("gen", "--format '%s': gen writes long, wide or xml", p->arg);
            return EXIT_FAIL;
        }
        a->o.wide = strcmp(p->arg, "wide") == 0;
        a->o.registry_xml = strcmp(p->arg, "xml") == 0;
        break;
    case O_OUT: a->o.out_dir = p->arg; break;
    case O_ERROR_RATE: a->o.error_rate = p->rval; break;
    case O_MISSING_RATE: a->o.missing_rate = p->rval; break;
    case O_SEED: a->o.seed = p->uval; break;
    case O_FILES: a->o.files = p->ival; break;
    case O_JOBS: a->o.jobs = p->ival; break;
    case O_QUIET: a->quiet = 1; break;
    }
    return -1;
}

static int gen_cmd_run(int argc, char **argv)
{
    struct gen_args a = { 0 };
    gen_opts_default(&a.o);
    struct cli_parser p;
    int opt, rc;
    cli_parser_init(&p, &gen_spec, argc, argv);
    while ((opt = cli_next(&p)) >= 0)
        if ((rc = take_option(&a, opt, &p)) >= 0)
            return rc;
    if (opt == CLI_BAD)
        return EXIT_FAIL;
    if (opt != CLI_DONE) {
        cli_usage(opt == CLI_HELP ? stdout : stderr, &gen_spec);
        return opt == CLI_HELP ? EXIT_OK : EXIT_FAIL;
    }
    if (optind != argc || !a.have_meters || !a.have_days || !a.have_start || !a.o.out_dir) {
        cli_error("gen", optind != argc ? "unexpected argument '%s'"
                         : "--meters, --days, --start and --out are required%s",
                  optind != argc ? argv[optind] : "");
        cli_usage(stderr, &gen_spec);
        return EXIT_FAIL;
    }
    a.o.now = (int64_t)time(NULL);

    struct gen_summary sum;
    struct mo_err err;
    mo_err_clear(&err);
    if (gen_run(&a.o, &sum, &err) < 0) {
        char msg[1024];
        mo_err_format(&err, msg, sizeof msg);
        cli_error("gen", "%s", msg);
        return EXIT_FAIL;
    }
    if (!a.quiet) {
        printf("%s: %u meters (%u gas, %u Economy 7, %u solar export) of %u customers, %d day(s), %s\n",
               a.o.out_dir, sum.meters, sum.gas_meters, sum.e7_meters, sum.export_meters, sum.customers, a.o.days,
               a.o.wide ? "wide" : "long");
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
    "gen", "write realistic synthetic registry and readings files", gen_cmd_run, &gen_spec,
};
