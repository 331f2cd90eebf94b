#include "backend/gen.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/gen_fault.h"
#include "backend/gen_model.h"
#include "backend/gen_readings.h"
#include "backend/gen_xml.h"
#include "backend/gen_registry.h"
#include "backend/halfhour.h"

enum { REG_CUSTOMERS, REG_TARIFFS, REG_METERS, REG_BILLS, REG_MANIFEST, NREG };
static const char *const reg_names[NREG] = {
    "customers.csv", "tariffs.csv", "meters.csv", "bills.csv", "manifest.csv",
};

void gen_opts_default(struct gen_opts *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 1;
    o->files = 1;
    o->jobs = 1;
    o->missing_rate = 0.0005;
}

static int check_opts(const struct gen_opts *o, struct mo_err *err)
{
    if (o->meters < 1 || o->meters > GEN_MAX_METERS)
        return mo_err_set(err, "usage", "--meters must be between 1 and %u", GEN_MAX_METERS);
    if (o->days < 1 || o->days > 3660)
        return mo_err_set(err, "usage", "--days must be between 1 and 3660");
    if (o->start_day < days_from_civil(2000, 1, 1))
        return mo_err_set(err, "usage", "--start must be 2000-01-01 or later");
    /* A misaligned fault sits up to 29 minutes past the last interval start, and the
     * loader refuses readings that end after it started: keep an hour clear of now. */
    int64_t end = (o->start_day + o->days) * 86400;
    if (end + 3600 > o->now) {
        char last[16];
        date_format(o->start_day + o->days - 1, last);
        return mo_err_set(err, "usage", "the last day (%s) is not over yet: generated readings "
                          "would lie in the future; choose an earlier --start or fewer --days", last);
    }
    if (!(o->error_rate >= 0 && o->error_rate <= 0.5))
        return mo_err_set(err, "usage", "--error-rate must be between 0 and 0.5");
    if (!(o->missing_rate >= 0 && o->missing_rate <= 0.1))
        return mo_err_set(err, "usage", "--missing-rate must be between 0 and 0.1");
    if (o->files < 1 || (uint32_t)o->files > o->meters || o->files > 100000)
        return mo_err_set(err, "usage", "--files must be between 1 and the number of meters (at most 100000)");
    if (o->jobs < 1 || o->jobs > 256)
        return mo_err_set(err, "usage", "--jobs must be between 1 and 256");
    return 0;
}

struct pool {
    struct gen_file_job *jobs;
    int njobs;
    atomic_int next;
};

static void *pool_worker(void *arg)
{
    struct pool *pl = arg;
    for (;;) {
        int i = atomic_fetch_add(&pl->next, 1);
        if (i >= pl->njobs)
            return NULL;
        gen_readings_file(&pl->jobs[i]);
    }
}

static int run_jobs(struct gen_file_job *jobs, int njobs, int nthreads)
{
    struct pool pl = { .jobs = jobs, .njobs = njobs, .next = 0 };
    if (nthreads > njobs)
        nthreads = njobs;
    pthread_t *tids = calloc((size_t)nthreads, sizeof *tids);
    int started = 0;
    if (tids)
        for (; started < nthreads - 1; started++)
            if (pthread_create(&tids[started], NULL, pool_worker, &pl) != 0)
                break;
    pool_worker(&pl); /* this thread works too; with one job nothing else starts */
    for (int i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    free(tids);
    return 0;
}

static void path_join(char *out, size_t len, const char *dir, const char *name, int tmp)
{
    snprintf(out, len, "%s/%s%s%s", dir, tmp ? "." : "", name, tmp ? ".tmp" : "");
}

static int write_manifest(const char *path, struct gen_file_job *jobs, int njobs, struct mo_err *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return mo_err_at(err, path, 0, 0, "io", "cannot create %s: %s", path, strerror(errno));
    fputs("file,line,column,code\n", f);
    for (int i = 0; i < njobs; i++)
        if (jobs[i].faults.manifest_len)
            fwrite(jobs[i].faults.manifest, 1, jobs[i].faults.manifest_len, f);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return mo_err_at(err, path, 0, 0, "io", "cannot write %s", path);
    return 0;
}

/* mkdir -p: --out may name a directory whose parents do not exist yet. */
static int make_dirs(const char *dir)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(path, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

/* What one gen_run holds between its steps; run_free releases it. */
struct run {
    const struct gen_opts *o;
    struct gen_registry reg;
    struct gen_day *days;
    int *day_period;            /* billing period of each day */
    struct gen_file_job *jobs;  /* one per readings file */
    int njobs;
    char tmp[NREG][PATH_MAX];   /* the registry files' temporary names; emptied once renamed */
};

/* Allocates the run, builds the registry and names the registry files' temporaries; on
 * failure nothing is left to free. */
static int run_prepare(struct run *r, struct mo_err *err)
{
    const struct gen_opts *o = r->o;
    r->days = calloc((size_t)o->days, sizeof *r->days);
    r->day_period = calloc((size_t)o->days, sizeof *r->day_period);
    r->jobs = calloc((size_t)r->njobs, sizeof *r->jobs);
    if (!r->days || !r->day_period || !r->jobs) {
        free(r->days);
        free(r->day_period);
        free(r->jobs);
        return mo_err_set(err, "out_of_memory", "not enough memory");
    }
    if (gen_registry_build(&r->reg, o->seed, o->meters, o->start_day, o->days, err) < 0) {
        free(r->days);
        free(r->day_period);
        free(r->jobs);
        return -1;
    }
    for (int i = 0; i < NREG; i++)
        path_join(r->tmp[i], sizeof r->tmp[i], o->out_dir, reg_names[i], 1);
    return 0;
}

/* Removes what a failed run wrote (failed) and frees the run. */
static void run_free(struct run *r, int failed)
{
    if (failed) {
        for (int i = 0; i < NREG; i++)
            if (r->tmp[i][0])
                unlink(r->tmp[i]);
        for (int i = 0; i < r->njobs; i++)
            if (r->jobs[i].path[0])
                unlink(r->jobs[i].path);
    }
    for (int i = 0; i < r->njobs; i++)
        gen_faults_free(&r->jobs[i].faults);
    gen_registry_free(&r->reg);
    free(r->days);
    free(r->day_period);
    free(r->jobs);
}

/* Each day's shape and billing period, and one job per readings file: a contiguous
 * range of meters, named readings.csv or readings-NNN.csv. */
static void plan_jobs(struct run *r)
{
    const struct gen_opts *o = r->o;
    int njobs = r->njobs;
    for (int d = 0; d < o->days; d++) {
        gen_day_init(&r->days[d], o->start_day + d, o->seed);
        r->day_period[d] = gen_bills_period(&r->reg.bills, o->start_day + d);
    }
    int width = njobs >= 10000 ? 5 : njobs >= 1000 ? 4 : 3;
    for (int i = 0; i < njobs; i++) {
        struct gen_file_job *j = &r->jobs[i];
        j->reg = &r->reg;
        j->days = r->days;
        j->day_period = r->day_period;
        j->ndays = o->days;
        j->wide = o->wide;
        j->seed = o->seed;
        j->error_rate = o->error_rate;
        j->missing_rate = o->missing_rate;
        j->meter_from = (uint32_t)((uint64_t)o->meters * (uint64_t)i / (uint64_t)njobs);
        j->meter_to = (uint32_t)((uint64_t)o->meters * (uint64_t)(i + 1) / (uint64_t)njobs);
        j->file_index = i;
        if (njobs == 1)
            snprintf(j->name, sizeof j->name, "readings.csv");
        else
            snprintf(j->name, sizeof j->name, "readings-%0*d.csv", width, i + 1);
        path_join(j->path, sizeof j->path, o->out_dir, j->name, 1);
    }
}

/* Adds up the jobs' counts in file order; the first failed job's error ends it. */
static int collect_jobs(struct run *r, struct gen_summary *sum, struct mo_err *err)
{
    for (int i = 0; i < r->njobs; i++) {
        const struct gen_file_job *j = &r->jobs[i];
        if (j->rc < 0) {
            *err = j->err;
            return -1;
        }
        sum->lines += j->lines;
        sum->readings += j->readings;
        sum->missing += j->missing;
        sum->bytes += j->bytes;
        sum->faults += j->faults.total;
        for (int k = 0; k < GEN_NFAULTS; k++)
            sum->fault_count[k] += j->faults.count[k];
    }
    return 0;
}

static int rename_into_place(char *tmp, const char *dir, const char *name, struct mo_err *err)
{
    char final[PATH_MAX];
    path_join(final, sizeof final, dir, name, 0);
    if (rename(tmp, final) != 0)
        return mo_err_at(err, final, 0, 0, "io", "cannot rename %s to %s: %s", tmp, final, strerror(errno));
    tmp[0] = '\0';
    return 0;
}

/* --format xml: each registry CSV written under its temporary name becomes the XML of
 * the same records under the temporary name + ".xml"; that is what gets published. */
static int registry_as_xml(struct run *r, struct mo_err *err)
{
    static const char *const xml[][2] = {
        [REG_CUSTOMERS] = { "customers", "customer" }, [REG_TARIFFS] = { "tariffs", "tariff" },
        [REG_METERS] = { "meters", "meter" }, [REG_BILLS] = { "bills", "bill" },
    };
    for (int i = 0; i < REG_MANIFEST; i++) {
        char to[PATH_MAX];
        if (snprintf(to, sizeof to, "%s.xml", r->tmp[i]) >= (int)sizeof to)
            return mo_err_at(err, r->tmp[i], 0, 0, "io", "the path is too long");
        if (gen_csv_to_xml(r->tmp[i], to, xml[i][0], xml[i][1], err) < 0) {
            unlink(to);
            return -1;
        }
        unlink(r->tmp[i]);
        memcpy(r->tmp[i], to, sizeof r->tmp[i]);
    }
    return 0;
}

/* The name a registry file is published under. */
static const char *reg_name(const struct run *r, int i, char *buf, size_t len)
{
    if (!r->o->registry_xml || i == REG_MANIFEST)
        return reg_names[i];
    snprintf(buf, len, "%.*s.xml", (int)(strlen(reg_names[i]) - 4), reg_names[i]);
    return buf;
}

/* Everything is complete: give the files their names, the registry's first. */
static int publish_files(struct run *r, struct mo_err *err)
{
    if (r->o->registry_xml && registry_as_xml(r, err) < 0)
        return -1;
    char name[64];
    for (int i = 0; i < NREG; i++)
        if (rename_into_place(r->tmp[i], r->o->out_dir, reg_name(r, i, name, sizeof name), err) < 0)
            return -1;
    for (int i = 0; i < r->njobs; i++)
        if (rename_into_place(r->jobs[i].path, r->o->out_dir, r->jobs[i].name, err) < 0)
            return -1;
    return 0;
}

static void count_meters(const struct gen_registry *reg, struct gen_summary *sum)
{
    sum->meters = reg->nmeters;
    sum->customers = reg->ncustomers;
    for (uint32_t m = 0; m < reg->nmeters; m++) {
        sum->gas_meters += reg->meters[m].kind == GEN_GAS;
        sum->e7_meters += reg->meters[m].kind == GEN_ELEC_E7;
        sum->export_meters += reg->meters[m].kind == GEN_EXPORT;
    }
}

int gen_run(const struct gen_opts *o, struct gen_summary *sum, struct mo_err *err)
{
    memset(sum, 0, sizeof *sum);
    if (check_opts(o, err) < 0)
        return -1;
    if (make_dirs(o->out_dir) != 0)
        return mo_err_at(err, o->out_dir, 0, 0, "io", "cannot create directory %s: %s", o->out_dir,
                         strerror(errno));

    struct run r = { .o = o, .njobs = o->files };
    if (run_prepare(&r, err) < 0)
        return -1;
    int rc = -1;
    if (gen_write_customers(&r.reg, r.tmp[REG_CUSTOMERS], err) < 0 ||
        gen_write_tariffs(&r.reg, r.tmp[REG_TARIFFS], err) < 0 ||
        gen_write_meters(&r.reg, o->start_day, r.tmp[REG_METERS], err) < 0)
        goto out;
    plan_jobs(&r);
    run_jobs(r.jobs, r.njobs, o->jobs);
    if (collect_jobs(&r, sum, err) < 0 ||
        write_manifest(r.tmp[REG_MANIFEST], r.jobs, r.njobs, err) < 0 ||
        gen_write_bills(&r.reg, r.tmp[REG_BILLS], err) < 0 ||
        publish_files(&r, err) < 0)
        goto out;
    count_meters(&r.reg, sum);
    sum->files = r.njobs;
    rc = 0;
out:
    run_free(&r, rc < 0);
    return rc;
}
