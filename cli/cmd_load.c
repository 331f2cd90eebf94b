/* meterops load - enqueue files and load them; or work the queue (--queued, --daemon).
 *
 *   meterops load [OPTIONS] FILE...   enqueue FILEs (one load_job row for the run), then
 *                                     work the queue until these files are final
 *   meterops load --queued            load whatever is queued, exit when nothing is left
 *   meterops load --daemon [--inbox DIR]
 *                                     load whatever is queued, forever: new files in DIR
 *                                     (closed after writing, or moved in) are enqueued,
 *                                     NOTIFY on meterops_load wakes the loader; SIGTERM /
 *                                     SIGINT give files in progress back to the queue and
 *                                     exit
 *
 * Exit status: 0 every row of every file loaded (a file skipped because the same content
 * was loaded already does not count against that); 1 some rows or files were rejected,
 * or a file failed; 2 could not run (bad usage, no database or schema, unreadable file,
 * interrupted). A partial load never exits 0. A daemon stopped by SIGTERM or SIGINT exits 0
 * (each file's outcome was reported as it ended), or 2 when it gave up on the database.
 *
 * This file parses options, runs a load session (backend/load_session.h) and prints what
 * it reports (cli/load_term.h); the session does the rest. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/load_session.h"
#include "backend/mpan.h"
#include "backend/validate.h"
#include "backend/reader.h"
#include "cli/cmd.h"
#include "cli/load_term.h"

static volatile sig_atomic_t got_signal;
static int signal_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
    got_signal = sig;
    if (signal_pipe[1] >= 0) {
        int saved = errno;
        (void)!write(signal_pipe[1], "s", 1);
        errno = saved;
    }
}

enum {
    O_DB, O_JOBS, O_FORMAT, O_METER, O_EXPORT_METER, O_CREATE_METERS, O_NOT_BEFORE, O_FUTURE_MARGIN,
    O_UNIT, O_CALORIFIC_VALUE, O_XSD, O_MAX_REJECT_RATIO, O_KEEP_ERRORS, O_MAX_LINE_BYTES, O_CITUS_DIRECT, O_LEASE, O_QUEUED, O_DAEMON, O_INBOX, O_QUIET,
    O_END
};

static const struct cli_opt load_opts[] = {
    [O_DB] = { "db", 'd', CLI_STRING, "CONNINFO",
               "connection (keyword string or URI); else PG* variables" },
    [O_JOBS] = { "jobs", 'j', CLI_INT, "N", "parse threads and files loaded at once (default: CPUs)",
                 1, 64 },
    [O_FORMAT] = { "format", 'f', CLI_STRING, "F", "skip detection: one of the formats below" },
    [O_METER] = { "meter", 'm', CLI_STRING, "MPXN", "every (import) reading of the file belongs to this meter" },
    [O_EXPORT_METER] = { "export-meter", 'x', CLI_STRING, "MPXN", "every export reading belongs to this meter" },
    [O_CREATE_METERS] = { "create-meters", 'c', CLI_FLAG, NULL,
                          "register unknown meters (interval from the data) instead\n"
                          "of rejecting their rows as unknown_meter" },
    [O_NOT_BEFORE] = { "not-before", 'n', CLI_STRING, "DATE",
                       "readings starting before this UTC day are rejected as\n"
                       "date_out_of_range (default " VALIDATE_FLOOR_DEFAULT ", at the earliest " VALIDATE_FLOOR_MIN ")" },
    [O_FUTURE_MARGIN] = { "future-margin", 'F', CLI_INT, "MINUTES",
                          "intervals ending up to this long after the load's start\n"
                          "are accepted (a head-end clock ahead; default 0, at most 1440)",
                          0, 1440 },
    [O_UNIT] = { "unit", 0, CLI_STRING, "U",
                 "the unit of files that do not say theirs: Wh or kWh for a\n"
                 "Green Button feed without a uom; m3 for an Octopus gas page\n"
                 "(SMETS2; kWh by the standard formula, default kWh)" },
    [O_CALORIFIC_VALUE] = { "calorific-value", 0, CLI_REAL, "MJ",
                            "with --unit m3: the gas's calorific value in MJ/m3\n"
                            "(default 39.5; 30 to 50)", 30, 50 },
    [O_XSD] = { "xsd", 0, CLI_FLAG, NULL,
                "strict XML: a Green Button feed must be valid against the\n"
                "ESPI schema (built in, compiled offline), else it is refused\n"
                "as xsd_invalid at the first violation's line and column" },
    [O_MAX_REJECT_RATIO] = { "max-reject-ratio", 'r', CLI_REAL, "R",
                             "above this share of rejected rows a file is rejected and\n"
                             "none of it lands (default 0.01)", 0, 1 },
    [O_KEEP_ERRORS] = { "keep-errors", 'k', CLI_INT, "N",
                        "rejected rows kept in load_error per code and file, by this\n"
                        "loader (default 1000; 0 keeps none); counts stay exact", 0, INT_MAX },
    [O_MAX_LINE_BYTES] = { "max-line-bytes", 0, CLI_INT, "N",
                           "a longer line is rejected as line_too_long, unread\n"
                           "(default 1048576; 256 to 67108864)", 256, 67108864 },
    [O_CITUS_DIRECT] = { "citus-direct", 0, CLI_STRING, "auto|off",
                         "on a Citus coordinator, each file's rows go straight into\n"
                         "the shards on the workers (auto, the default) or through\n"
                         "the coordinator (off)" },
    [O_LEASE] = { "lease", 'l', CLI_INT, "SECONDS",
                  "claim lease; a killed loader's files return to the queue\n"
                  "this long after its last renewal (default 60)", 1, INT_MAX },
    [O_QUEUED] = { "queued", 'Q', CLI_FLAG, NULL, "load what is queued (e.g. requeued files) and exit" },
    [O_DAEMON] = { "daemon", 'D', CLI_FLAG, NULL, "load what is queued, wait for more, until SIGTERM" },
    [O_INBOX] = { "inbox", 'i', CLI_STRING, "DIR", "with --daemon: enqueue files written or moved into DIR" },
    [O_QUIET] = { "quiet", 'q', CLI_FLAG, NULL, "no progress bar" },
    [O_END] = { 0 },
};

static const struct cli_spec load_spec = {
    "load",
    "Usage: meterops load [OPTIONS] FILE...\n"
    "       meterops load --queued [OPTIONS]\n"
    "       meterops load --daemon [--inbox DIR] [OPTIONS]\n"
    "Validates and loads meter files through the queue in meterops.load_file.\n\n",
    load_opts,
    "The options above are stored with each file, so a requeued file loads the same way.\n"
    "Exit status: 0 all rows loaded, 1 rows or files rejected or failed, 2 could not run.\n",
};

/* --help, then the formats --format takes (the reader registry's own words). */
static void load_usage(FILE *out)
{
    cli_usage(out, &load_spec);
    fprintf(out, "\nFormats (detected from the header line unless --format says):\n");
    for (int i = 0; reader_formats[i]; i++)
        fprintf(out, "  %-10s %s\n", reader_formats[i]->name, reader_formats[i]->summary);
}

struct load_args {
    struct load_session_config cfg;
    int quiet;
    char **files;
    int nfiles;
};

/* --meter / --export-meter: an id the one rule (mpan.h) accepts; *s becomes the meter's
 * one spelling (a full MPAN's core, the tail of the same string), which is what the
 * file's options store. */
static int meter_arg_ok(const char **s)
{
    struct mpxn_id id;
    if (!*s)
        return 1;
    if (mpxn_parse(*s, strlen(*s), &id))
        return 0;
    *s = id.id;
    return 1;
}

static int ncpu(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

/* The lease unless --lease says: MO_LOAD_LEASE, for tests that kill a loader. */
static int default_lease(void)
{
    const char *env = getenv("MO_LOAD_LEASE");
    int lease;
    if (env && cli_parse_int("load", "MO_LOAD_LEASE", env, 1, INT_MAX, &lease) == 0)
        return lease;
    return 60;
}

/* A positive whole number from the environment, else dflt (as unset). */
static int64_t env_positive(const char *name, int64_t max, int64_t dflt)
{
    const char *v = getenv(name);
    int64_t n;
    return v && cli_parse_i64(v, 1, max, &n) == 0 ? n : dflt;
}

/* The MO_LOAD_* knobs (doc/loader.md, "Knobs"), read once here and handed to the engine
 * through its configuration. */
static void tuning_from_env(struct loader_tuning *t)
{
    loader_tuning_defaults(t);
    t->chunk_bytes = (size_t)env_positive("MO_LOAD_CHUNK_BYTES", INT64_MAX, 0);
    t->open_days = (size_t)env_positive("MO_LOAD_OPEN_DAYS", INT64_MAX, 0);
    t->batch_bytes = (size_t)env_positive("MO_LOAD_BATCH_BYTES", INT64_MAX, 0);
    t->throttle_ms = (int)env_positive("MO_LOAD_THROTTLE_MS", INT_MAX, 0);
    t->retry_ms = (int)env_positive("MO_LOAD_RETRY_MS", INT_MAX, 0);
    t->read_delay_ms = (int)env_positive("MO_LOAD_READ_DELAY_MS", INT_MAX, 0);
    const char *keep = getenv("MO_LOAD_KEEP_ERRORS");
    int64_t k;
    if (keep && cli_parse_i64(keep, 0, INT64_MAX, &k) == 0)
        t->keep_errors = k ? k : -1;
    const char *nice = getenv("MO_LOAD_PARSE_NICE");
    int64_t n;
    if (nice && cli_parse_i64(nice, -20, 19, &n) == 0)
        t->worker_nice = (int)n;
    const char *v;
    t->serial = (v = getenv("MO_LOAD_SERIAL")) && *v == '1';
    t->no_fast_lines = (v = getenv("MO_LOAD_NOFAST")) && *v == '1';
}

/* Fills a from one option; -1, or the exit status when the command is over. */
static int take_option(struct load_args *a, int k, const struct cli_parser *p, int *daemon, int *queued)
{
    switch (k) {
    case O_DB: a->cfg.conninfo = p->arg; break;
    case O_JOBS: a->cfg.jobs = p->ival; break;
    case O_FORMAT:
        if (!reader_find(p->arg)) {
            cli_error("load", "unknown format '%s'", p->arg);
            return EXIT_FAIL;
        }
        a->cfg.q.format = p->arg;
        break;
    case O_METER: a->cfg.q.meter = p->arg; break;
    case O_EXPORT_METER: a->cfg.q.export_meter = p->arg; break;
    case O_CREATE_METERS: a->cfg.q.create_meters = 1; break;
    case O_NOT_BEFORE:
        if (validate_floor(p->arg) < 0) {
            cli_error("load", "--not-before wants a date YYYY-MM-DD from %s on, not '%s'",
                      VALIDATE_FLOOR_MIN, p->arg);
            return EXIT_FAIL;
        }
        a->cfg.q.not_before = p->arg;
        break;
    case O_FUTURE_MARGIN: a->cfg.q.future_margin = p->ival; break;
    case O_UNIT:
        if (strcmp(p->arg, "Wh") != 0 && strcmp(p->arg, "kWh") != 0 && strcmp(p->arg, "m3") != 0) {
            cli_error("load", "--unit wants Wh, kWh or m3, not '%s'", p->arg);
            return EXIT_FAIL;
        }
        a->cfg.q.unit = p->arg;
        break;
    case O_CALORIFIC_VALUE: a->cfg.q.calorific_value = p->rval; break;
    case O_XSD: a->cfg.q.xsd = 1; break;
    case O_MAX_REJECT_RATIO: a->cfg.q.max_reject_ratio = p->rval; break;
    case O_KEEP_ERRORS: a->cfg.tuning.keep_errors = p->ival ? p->ival : -1; break;
    case O_MAX_LINE_BYTES: a->cfg.tuning.max_line_bytes = (size_t)p->ival; break;
    case O_CITUS_DIRECT:
        if (strcmp(p->arg, "auto") != 0 && strcmp(p->arg, "off") != 0) {
            cli_error("load", "--citus-direct takes auto or off, not '%s'", p->arg);
            return EXIT_FAIL;
        }
        a->cfg.tuning.citus_via_coordinator = strcmp(p->arg, "off") == 0;
        break;
    case O_LEASE: a->cfg.lease_seconds = p->ival; break;
    case O_QUEUED: *queued = 1; break;
    case O_DAEMON: *daemon = 1; break;
    case O_INBOX: a->cfg.inbox = p->arg; break;
    case O_QUIET: a->quiet = 1; break;
    }
    return -1;
}

/* Parses argv into a; -1 to go on, else the exit status. */
static int parse_load_args(int argc, char **argv, struct load_args *a)
{
    memset(a, 0, sizeof *a);
    a->cfg.jobs = ncpu();
    a->cfg.lease_seconds = default_lease();
    tuning_from_env(&a->cfg.tuning);
    a->cfg.q.max_reject_ratio = 0.01;
    int daemon = 0, queued = 0, k, rc;
    struct cli_parser p;
    cli_parser_init(&p, &load_spec, argc, argv);
    while ((k = cli_next(&p)) >= 0)
        if ((rc = take_option(a, k, &p, &daemon, &queued)) >= 0)
            return rc;
    if (k == CLI_HELP || k == CLI_USAGE) {
        load_usage(k == CLI_HELP ? stdout : stderr);
        return k == CLI_HELP ? EXIT_OK : EXIT_FAIL;
    }
    if (k == CLI_BAD)
        return EXIT_FAIL;
    a->files = argv + optind;
    a->nfiles = argc - optind;
    if ((queued || daemon) == (a->nfiles > 0) || (queued && daemon) || (a->cfg.inbox && !daemon)) {
        cli_error("load", a->nfiles ? "give FILEs, or --queued / --daemon, not both"
                                    : "name the files to load (or --queued / --daemon)");
        load_usage(stderr);
        return EXIT_FAIL;
    }
    if (!meter_arg_ok(&a->cfg.q.meter) || !meter_arg_ok(&a->cfg.q.export_meter)) {
        cli_error("load", "--meter / --export-meter want an MPAN (13-digit core with its check "
                  "digit, or the 21-digit full MPAN), an 11-digit Irish MPRN (10...) or a 6-10 "
                  "digit gas MPRN");
        return EXIT_FAIL;
    }
    a->cfg.mode = daemon ? LOADER_DAEMON : queued ? LOADER_DRAIN : LOADER_FILES;
    return -1;
}

static int setup_signals(void)
{
    if (pipe(signal_pipe) < 0)
        return -1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    return 0;
}

/* " --meter X --export-meter Y", or " no --meter" when neither was given. */
static void meaning_options(char *buf, size_t n, const char *meter, const char *export_meter)
{
    buf[0] = '\0';
    if (meter && *meter)
        snprintf(buf, n, " --meter %s", meter);
    if (export_meter && *export_meter)
        snprintf(buf + strlen(buf), n - strlen(buf), " --export-meter %s", export_meter);
    if (!buf[0])
        snprintf(buf, n, " no --meter");
}

/* How a named file went into the queue, when that needs saying. */
static void on_enqueued(void *ctx, const char *path, const struct enqueue_result *res)
{
    struct load_term *t = ctx;
    char was[96], now[96];
    switch (res->outcome) {
    case ENQUEUE_CONFLICT:
        meaning_options(was, sizeof was, res->old_meter, res->old_export_meter);
        meaning_options(now, sizeof now, res->new_meter, res->new_export_meter);
        term_note(t, "%s: refused: the same content is %s as file %lld (%s) with%s; this run "
                  "says%s, so its rows would be another meter's: not loaded. To load file %lld "
                  "again with the new options%s: meterops requeue %lld --reason TEXT%s", path,
                  res->status, (long long)res->file_id, res->when, was, now,
                  (long long)res->file_id,
                  strcmp(res->status, "loaded") == 0 ? "" : " once it has ended",
                  (long long)res->file_id, now[1] == 'n' ? " (it keeps its meter)" : now);
        break;
    case ENQUEUE_SKIPPED:
        term_note(t, "%s: skipped: already loaded as file %lld on %s (meterops requeue %lld "
                  "loads it again)", path, (long long)res->file_id, res->when, (long long)res->file_id);
        break;
    case ENQUEUE_ADOPTED:
        term_note(t, "%s: already %s as file %lld (since %s); waiting for it", path,
                  res->status, (long long)res->file_id, res->when);
        break;
    case ENQUEUE_ADDED:
        break;
    }
}

/* Waits until the run is done, gave up, or a signal came; redraws the bar meanwhile. */
static void wait_run(struct load_session *s, struct load_term *t, enum loader_mode mode)
{
    int ms = mode == LOADER_DAEMON ? 500 : 200;
    while (!got_signal && load_session_wait(s, ms) == LOAD_SESSION_RUNNING) {
        if (got_signal)
            break;
        struct load_progress p;
        load_session_progress(s, &p);
        term_tick(t, &p);
    }
}

/* The command line as the load job records it. */
static void join_args(char *buf, size_t len, int argc, char **argv)
{
    buf[0] = '\0';
    for (int i = 1; i < argc; i++)
        snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i > 1 ? " " : "", argv[i]);
}

static int load_run(int argc, char **argv)
{
    struct load_args a;
    int rc = parse_load_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    struct load_term term;
    term_init(&term, a.quiet);
    char args[2048];
    join_args(args, sizeof args, argc, argv);
    setup_signals();
    a.cfg.args = args;
    a.cfg.wake_fd = signal_pipe[0];
    a.cfg.stop = &got_signal;
    struct load_events ev = term_events(&term);
    struct mo_err err;
    mo_err_clear(&err);
    struct load_session *s = load_session_open(&a.cfg, &ev, on_enqueued, &err);
    if (!s) {
        cli_error("load", "%s", err.message);
        return EXIT_FAIL;
    }
    struct load_session_result res;
    if (a.nfiles > 0 && load_session_enqueue(s, a.files, a.nfiles) == 0) {
        /* everything skipped (or unreadable) */
        load_session_close(s, 0, &res);
        term_clear(&term);
        return res.could_not_run ? EXIT_FAIL : res.files_short ? EXIT_PARTIAL : EXIT_OK;
    }
    wait_run(s, &term, a.cfg.mode);
    if (got_signal && a.cfg.mode == LOADER_DAEMON)
        term_note(&term, "stopping (signal %d): files in progress go back to the queue",
                  (int)got_signal);
    else if (got_signal)
        term_note(&term, "interrupted: files in progress go back to the queue");
    load_session_close(s, got_signal != 0, &res);
    term_clear(&term);
    if (got_signal && a.cfg.mode != LOADER_DAEMON)
        return EXIT_FAIL;
    /* A daemon's files were reported as each ended (and are in load_file); its own end,
     * by a signal, is not a partial load. */
    rc = res.files_short && a.cfg.mode != LOADER_DAEMON ? EXIT_PARTIAL : EXIT_OK;
    return res.gave_up || res.could_not_run ? EXIT_FAIL : rc;
}

const struct mo_cmd cmd_load_entry = {
    "load", "validate and load meter files (queue, threads, binary COPY)", load_run, &load_spec,
};
