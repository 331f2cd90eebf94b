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
 * interrupted). A partial load never exits 0. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#include "backend/csvline.h"
#include "backend/db.h"
#include "backend/filehash.h"
#include "backend/linesplit.h"
#include "backend/loader.h"
#include "backend/mpan.h"
#include "backend/queue.h"
#include "backend/reader.h"
#include "backend/validate.h"
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

/* The server's notices (a connection terminated by a restart, say) are not for the
 * operator's terminal: what matters is reported by the loader itself. */
static void quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static void load_usage(FILE *out)
{
    fprintf(out,
        "Usage: meterops load [OPTIONS] FILE...\n"
        "       meterops load --queued [OPTIONS]\n"
        "       meterops load --daemon [--inbox DIR] [OPTIONS]\n"
        "Validates and loads meter files through the queue in meterops.load_file.\n\n"
        "  --db CONNINFO          connection (keyword string or URI); else PG* variables\n"
        "  --jobs N               parse threads and files loaded at once (default: CPUs)\n"
        "  --format F             skip detection: long, wide, lcl, esb-hdf, customers, ...\n"
        "  --meter MPXN           every (import) reading of the file belongs to this meter\n"
        "  --export-meter MPXN    every export reading belongs to this meter\n"
        "  --create-meters        register unknown meters (interval from the data) instead\n"
        "                         of rejecting their rows as unknown_meter\n"
        "  --max-reject-ratio R   above this share of rejected rows a file is rejected and\n"
        "                         none of it lands (default 0.01)\n"
        "  --lease SECONDS        claim lease; a killed loader's files return to the queue\n"
        "                         this long after its last renewal (default 60)\n"
        "  --queued               load what is queued (e.g. requeued files) and exit\n"
        "  --daemon               load what is queued, wait for more, until SIGTERM\n"
        "  --inbox DIR            with --daemon: enqueue files written or moved into DIR\n"
        "  --quiet                no progress bar\n\n"
        "The options above are stored with each file, so a requeued file loads the same way.\n"
        "Exit status: 0 all rows loaded, 1 rows or files rejected or failed, 2 could not run.\n");
}

struct load_args {
    const char *conninfo;
    int jobs, lease, queued, daemon, quiet;
    const char *inbox;
    struct queue_options q;
};

static int meter_arg_ok(const char *s)
{
    return validate_fuel(s, strlen(s)) != NULL;
}

static long ncpu(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? n : 1;
}

/* The format to store with a file: --format, or what its header says ("unknown" when
 * nothing matches: the load then rejects the file with a header error at line 1). */
static const char *detect_format(const struct filehash *h, const char *forced)
{
    if (forced)
        return forced;
    struct linesplit ls;
    if (linesplit_init(&ls, ',') < 0)
        return "unknown";
    const char *text = h->first_line;
    size_t len = csvline_trim(&text, h->first_len, 1);
    char **f;
    size_t *l;
    const char *name = "unknown";
    int n = linesplit_split(&ls, text, len, &f, &l, NULL);
    if (n > 0) {
        const struct reader_format *fmt = reader_detect(f, l, n);
        if (fmt)
            name = fmt->name;
    }
    linesplit_free(&ls);
    return name;
}

/* The stage of a file in its job: registry feeds that others name come first (the claim
 * query holds a file back while an earlier stage of its job is queued or loading). */
static int format_stage(const char *format)
{
    if (strcmp(format, "customers") == 0 || strcmp(format, "tariffs") == 0)
        return 0;
    if (strcmp(format, "meters") == 0 || strcmp(format, "bills") == 0)
        return 1;
    return 2;
}

/* Reads only the header line to tell a file's stage; unreadable files sort last and are
 * reported when they are enqueued. */
static int file_stage(const char *path, const char *forced)
{
    if (forced)
        return format_stage(forced);
    struct filehash h;
    struct mo_err err;
    if (filehash_head(path, &h, &err) < 0)
        return 2;
    return format_stage(detect_format(&h, NULL));
}

/* Stable: files keep the command line's order within a stage. */
static void order_by_stage(char **paths, int n, const char *forced)
{
    int *stage = malloc((size_t)(n ? n : 1) * sizeof *stage);
    if (!stage)
        return;
    for (int i = 0; i < n; i++)
        stage[i] = file_stage(paths[i], forced);
    for (int i = 1; i < n; i++) {
        char *p = paths[i];
        int st = stage[i], j = i - 1;
        for (; j >= 0 && stage[j] > st; j--) {
            paths[j + 1] = paths[j];
            stage[j + 1] = stage[j];
        }
        paths[j + 1] = p;
        stage[j + 1] = st;
    }
    free(stage);
}

struct run {
    struct load_args *a;
    PGconn *conn;
    int64_t job_id;
    char owner[300];
    struct load_term term;
    int64_t *ids;
    size_t nids, capids;
    int could_not_run;
};

static int add_id(struct run *r, int64_t id)
{
    for (size_t i = 0; i < r->nids; i++)
        if (r->ids[i] == id)
            return 0;
    if (r->nids == r->capids) {
        size_t cap = r->capids ? r->capids * 2 : 16;
        int64_t *n = realloc(r->ids, cap * sizeof *n);
        if (!n)
            return -1;
        r->ids = n;
        r->capids = cap;
    }
    r->ids[r->nids++] = id;
    return 0;
}

/* Hashes and enqueues one file; returns 1 when it joined this run's files. */
static int enqueue_path(struct run *r, const char *arg)
{
    char path[PATH_MAX];
    if (!realpath(arg, path)) {
        term_note(&r->term, "%s: %s", arg, strerror(errno));
        r->could_not_run = 1;
        return 0;
    }
    /* Only a file the size of one queued, loading or loaded can be a copy of it: only such
     * a file is hashed now; any other is hashed by the loader while it reads it. */
    struct filehash h;
    struct mo_err err;
    mo_err_clear(&err);
    int seen = 0;
    if (filehash_head(path, &h, &err) < 0 ||
        (seen = queue_size_seen(r->conn, h.bytes, &err)) < 0 ||
        (seen && filehash_file(path, &h, &err) < 0)) {
        char msg[900];
        mo_err_format(&err, msg, sizeof msg);
        if (err.file[0])
            term_note(&r->term, "%s", msg);
        else
            term_note(&r->term, "%s: cannot enqueue: %s", path, msg);
        r->could_not_run = 1;
        return 0;
    }
    struct enqueue_result res;
    if (queue_enqueue(r->conn, r->job_id, path, seen ? h.sha256 : NULL, h.bytes,
                      detect_format(&h, r->a->q.format), &r->a->q, &res, &err) < 0) {
        term_note(&r->term, "%s: cannot enqueue: %s", path, err.message);
        r->could_not_run = 1;
        return 0;
    }
    switch (res.outcome) {
    case ENQUEUE_SKIPPED:
        term_note(&r->term, "%s: skipped: already loaded as file %lld on %s (meterops requeue %lld "
                  "loads it again)", path, (long long)res.file_id, res.when, (long long)res.file_id);
        return 0;
    case ENQUEUE_ADOPTED:
        term_note(&r->term, "%s: already %s as file %lld (since %s); waiting for it", path,
                  res.status, (long long)res.file_id, res.when);
        break;
    case ENQUEUE_ADDED:
        break;
    }
    if (add_id(r, res.file_id) < 0) {
        r->could_not_run = 1;
        return 0;
    }
    return 1;
}

/* LOADER_FILES: reports files other loaders finished; returns 1 when all are final. */
static int check_files(struct run *r)
{
    char *arr = malloc(r->nids * 21 + 3);
    if (!arr)
        return 0;
    queue_id_array(r->ids, r->nids, arr);
    const char *p[1] = { arr };
    struct mo_err err;
    mo_err_clear(&err);
    PGresult *res = db_query(r->conn, SQL_LOAD_FILE_STATE, 1, p, &err);
    free(arr);
    if (!res) {
        if (PQstatus(r->conn) != CONNECTION_OK)
            PQreset(r->conn);
        return 0;
    }
    int all = 1;
    for (int i = 0; i < PQntuples(res); i++) {
        const char *status = PQgetvalue(res, i, 1);
        int final = strcmp(status, "loaded") == 0 || strcmp(status, "rejected") == 0 ||
                    strcmp(status, "failed") == 0;
        if (!final) {
            all = 0;
            continue;
        }
        int64_t id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
        if (term_reported(&r->term, id) || strcmp(PQgetvalue(res, i, 9), r->owner) == 0)
            continue; /* reported by this run's own file threads */
        /* finished by another loader */
        const char *msg = PQgetvalue(res, i, 7);
        struct load_report rep = {
            .file_id = id, .path = PQgetvalue(res, i, 2), .status = status,
            .rows_total = strtoll(PQgetvalue(res, i, 3), NULL, 10),
            .rows_loaded = strtoll(PQgetvalue(res, i, 4), NULL, 10),
            .rows_rejected = strtoll(PQgetvalue(res, i, 5), NULL, 10),
            .readings = strtoll(PQgetvalue(res, i, 6), NULL, 10),
            .seconds = strtod(PQgetvalue(res, i, 8), NULL),
            .message = msg[0] ? msg : NULL,
        };
        term_report(&r->term, &rep);
    }
    PQclear(res);
    return all;
}

/* Exit status from what the run's files became. */
static int outcome(struct run *r, int only_own)
{
    int rc = EXIT_OK;
    pthread_mutex_lock(&r->term.mu);
    for (int i = 0; i < r->term.nfiles; i++) {
        struct term_file *f = &r->term.files[i];
        if (only_own) {
            int own = 0;
            for (size_t k = 0; k < r->nids; k++)
                own |= r->ids[k] == f->file_id;
            if (!own)
                continue;
        }
        if (strcmp(f->status, "loaded") == 0 && f->rows_rejected == 0)
            continue;
        if (strcmp(f->status, "released") == 0 || strcmp(f->status, "lost") == 0)
            continue;
        rc = EXIT_PARTIAL;
    }
    pthread_mutex_unlock(&r->term.mu);
    return rc;
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

/* Waits for a signal, the engine, the LISTEN connection or the inbox; at most ms. */
static void wait_events(struct run *r, int inotify_fd, int ms)
{
    struct pollfd pfd[3];
    int n = 0;
    pfd[n++] = (struct pollfd){ signal_pipe[0], POLLIN, 0 };
    if (r->conn && PQsocket(r->conn) >= 0)
        pfd[n++] = (struct pollfd){ PQsocket(r->conn), POLLIN, 0 };
    if (inotify_fd >= 0)
        pfd[n++] = (struct pollfd){ inotify_fd, POLLIN, 0 };
    if (poll(pfd, (nfds_t)n, ms) > 0 && (pfd[0].revents & POLLIN)) {
        char buf[16];
        (void)!read(signal_pipe[0], buf, sizeof buf);
    }
}

/* Drains NOTIFYs; returns 1 if one said a file is queued, 2 if others came. */
static int take_notifies(struct run *r)
{
    int queued = 0;
    if (!r->conn)
        return 0;
    if (!PQconsumeInput(r->conn)) {
        PQreset(r->conn);
        if (PQstatus(r->conn) == CONNECTION_OK) {
            PQclear(PQexec(r->conn, sql_text(SQL_CONSOLE_LISTEN)));
            return 1; /* something may have been queued while we were away */
        }
        return 0;
    }
    PGnotify *nt;
    while ((nt = PQnotifies(r->conn))) {
        if (strstr(nt->extra, "\"queued\""))
            queued = 1;
        else if (!queued)
            queued = 2;
        PQfreemem(nt);
    }
    return queued;
}

static void enqueue_inbox(struct run *r, const char *dir, const char *name)
{
    if (name[0] == '.')
        return; /* hidden or temporary files: writers rename them in when done */
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (enqueue_path(r, path))
        r->nids = 0; /* the daemon does not wait on particular files */
    r->could_not_run = 0;
}

static int run_daemon(struct run *r, struct loader *L)
{
    int ifd = -1;
    if (r->a->inbox) {
        ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (ifd < 0 || inotify_add_watch(ifd, r->a->inbox, IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
            term_note(&r->term, "cannot watch %s: %s", r->a->inbox, strerror(errno));
            if (ifd >= 0)
                close(ifd);
            return EXIT_FAIL;
        }
        /* files already waiting in the inbox (the loaded ones are skipped by sha256) */
        DIR *d = opendir(r->a->inbox);
        struct dirent *de;
        while (d && (de = readdir(d)))
            if (de->d_type == DT_REG || de->d_type == DT_UNKNOWN)
                enqueue_inbox(r, r->a->inbox, de->d_name);
        if (d)
            closedir(d);
        loader_wake(L);
    }
    PQclear(PQexec(r->conn, sql_text(SQL_CONSOLE_LISTEN)));
    term_note(&r->term, "daemon started (%s)%s%s", r->owner, r->a->inbox ? "; inbox " : "",
              r->a->inbox ? r->a->inbox : "");
    while (!got_signal) {
        wait_events(r, ifd, 500);
        if (got_signal)
            break;
        if (take_notifies(r) == 1)
            loader_wake(L);
        if (ifd >= 0) {
            char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
            ssize_t n;
            int any = 0;
            while ((n = read(ifd, buf, sizeof buf)) > 0) {
                for (char *p = buf; p < buf + n;) {
                    struct inotify_event *ev = (struct inotify_event *)p;
                    if (ev->len && !(ev->mask & IN_ISDIR)) {
                        enqueue_inbox(r, r->a->inbox, ev->name);
                        any = 1;
                    }
                    p += sizeof *ev + ev->len;
                }
            }
            if (any)
                loader_wake(L);
        }
        term_tick(&r->term, L);
    }
    term_note(&r->term, "stopping (signal %d): files in progress go back to the queue",
              (int)got_signal);
    if (ifd >= 0)
        close(ifd);
    return EXIT_OK;
}

static int load_run(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },
        { "jobs", required_argument, NULL, 'j' },
        { "format", required_argument, NULL, 'f' },
        { "meter", required_argument, NULL, 'm' },
        { "export-meter", required_argument, NULL, 'x' },
        { "create-meters", no_argument, NULL, 'c' },
        { "max-reject-ratio", required_argument, NULL, 'r' },
        { "lease", required_argument, NULL, 'l' },
        { "queued", no_argument, NULL, 'Q' },
        { "daemon", no_argument, NULL, 'D' },
        { "inbox", required_argument, NULL, 'i' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct load_args a = { .jobs = (int)ncpu(), .lease = 60 };
    a.q.max_reject_ratio = 0.01;
    const char *env_lease = getenv("MO_LOAD_LEASE");
    if (env_lease && atoi(env_lease) > 0)
        a.lease = atoi(env_lease);
    int c;
    char *end;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:j:f:m:x:cr:l:QDi:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'd': a.conninfo = optarg; break;
        case 'j':
            a.jobs = (int)strtol(optarg, &end, 10);
            if (*end || a.jobs < 1 || a.jobs > 64) {
                cli_error("load", "--jobs wants a number from 1 to 64, not '%s'", optarg);
                return EXIT_FAIL;
            }
            break;
        case 'f':
            if (!reader_find(optarg)) {
                cli_error("load", "unknown format '%s'", optarg);
                return EXIT_FAIL;
            }
            a.q.format = optarg;
            break;
        case 'm': a.q.meter = optarg; break;
        case 'x': a.q.export_meter = optarg; break;
        case 'c': a.q.create_meters = 1; break;
        case 'r':
            a.q.max_reject_ratio = strtod(optarg, &end);
            if (*end || a.q.max_reject_ratio < 0 || a.q.max_reject_ratio > 1) {
                cli_error("load", "--max-reject-ratio wants a number from 0 to 1, not '%s'", optarg);
                return EXIT_FAIL;
            }
            break;
        case 'l':
            a.lease = (int)strtol(optarg, &end, 10);
            if (*end || a.lease < 1) {
                cli_error("load", "--lease wants a number of seconds, not '%s'", optarg);
                return EXIT_FAIL;
            }
            break;
        case 'Q': a.queued = 1; break;
        case 'D': a.daemon = 1; break;
        case 'i': a.inbox = optarg; break;
        case 'q': a.quiet = 1; break;
        case 'h': load_usage(stdout); return EXIT_OK;
        default: load_usage(stderr); return EXIT_FAIL;
        }
    }
    int nfiles = argc - optind;
    if ((a.queued || a.daemon) == (nfiles > 0) || (a.queued && a.daemon) || (a.inbox && !a.daemon)) {
        cli_error("load", nfiles ? "give FILEs, or --queued / --daemon, not both"
                              : "name the files to load (or --queued / --daemon)");
        load_usage(stderr);
        return EXIT_FAIL;
    }
    if ((a.q.meter && !meter_arg_ok(a.q.meter)) || (a.q.export_meter && !meter_arg_ok(a.q.export_meter))) {
        cli_error("load", "--meter / --export-meter want an MPAN (13 or 21 digits) or an MPRN");
        return EXIT_FAIL;
    }
    struct run r;
    memset(&r, 0, sizeof r);
    r.a = &a;
    term_init(&r.term, a.quiet);
    struct mo_err err;
    mo_err_clear(&err);
    r.conn = db_connect(a.conninfo, &(const struct db_session){ .kind = DB_LOADER, .app_name = "meterops load" }, &err);
    if (!r.conn) {
        cli_error("load", "%s", err.message);
        return EXIT_FAIL;
    }
    PQsetNoticeProcessor(r.conn, quiet_notices, NULL);
    PGresult *res = db_query(r.conn, SQL_LOAD_SCHEMA_READY, 0, NULL, &err);
    if (!res || PQgetvalue(res, 0, 0)[0] != 't') {
        cli_error("load", res ? "schema meterops is missing: run meterops db migrate first" : "%s",
                  err.message);
        PQclear(res);
        PQfinish(r.conn);
        return EXIT_FAIL;
    }
    PQclear(res);
    char host[256] = "localhost";
    gethostname(host, sizeof host - 1);
    snprintf(r.owner, sizeof r.owner, "%s:%d", host, (int)getpid());
    char args[2048] = "";
    for (int i = 1; i < argc; i++)
        snprintf(args + strlen(args), sizeof args - strlen(args), "%s%s", i > 1 ? " " : "", argv[i]);
    if (queue_job_start(r.conn, host, (int)getpid(), args, &r.job_id, &err) < 0) {
        cli_error("load", "cannot record the load job: %s", err.message);
        PQfinish(r.conn);
        return EXIT_FAIL;
    }
    setup_signals();
    int rc = EXIT_OK;
    /* The engine starts first: each file can be claimed as soon as it is enqueued, and
     * loads while the next one is hashed. */
    struct load_events ev = term_events(&r.term);
    struct loader_config cfg = {
        .conninfo = a.conninfo, .jobs = a.jobs, .lease_seconds = a.lease, .owner = r.owner,
        .mode = a.daemon ? LOADER_DAEMON : a.queued ? LOADER_DRAIN : LOADER_FILES,
    };
    struct loader *L = loader_start(&cfg, &ev, &err);
    if (!L) {
        cli_error("load", "%s", err.message);
        queue_job_finish(r.conn, r.job_id, "failed", &err);
        PQfinish(r.conn);
        return EXIT_FAIL;
    }
    order_by_stage(argv + optind, nfiles, a.q.format);
    for (int i = optind; i < argc && !got_signal; i++) {
        size_t before = r.nids;
        enqueue_path(&r, argv[i]);
        if (r.nids > before && loader_add_file(L, r.ids[r.nids - 1]) < 0)
            r.could_not_run = 1;
    }
    if (nfiles > 0 && r.nids == 0) {
        /* everything skipped (or unreadable) */
        loader_files_final(L);
        loader_finish(L);
        term_clear(&r.term);
        rc = r.could_not_run ? EXIT_FAIL : EXIT_OK;
        queue_job_finish(r.conn, r.job_id, r.could_not_run ? "failed" : "done", &err);
        PQfinish(r.conn);
        free(r.ids);
        return rc;
    }
    if (a.daemon) {
        rc = run_daemon(&r, L);
    } else {
        if (nfiles > 0)
            PQclear(PQexec(r.conn, sql_text(SQL_CONSOLE_LISTEN)));
        int checks = 0;
        while (!got_signal) {
            if (nfiles > 0) {
                wait_events(&r, -1, 200);
                int heard = take_notifies(&r);
                if ((heard || ++checks % 5 == 1) && check_files(&r)) {
                    loader_files_final(L);
                    break;
                }
                if (loader_gave_up(L))
                    break; /* the database stayed unreachable: exit 2 below */
            } else {
                loader_wait(L, 200);
                if (loader_idle(L))
                    break;
            }
            term_tick(&r.term, L);
        }
        if (got_signal) {
            term_note(&r.term, "interrupted: files in progress go back to the queue");
            rc = EXIT_FAIL;
        }
    }
    loader_stop(L);
    int gave_up = loader_finish(L);
    term_clear(&r.term);
    if (rc == EXIT_OK) {
        rc = outcome(&r, nfiles > 0);
        if (gave_up || r.could_not_run)
            rc = EXIT_FAIL;
    }
    if (queue_job_finish(r.conn, r.job_id, gave_up || (got_signal && !a.daemon) ? "failed" : "done", &err) < 0 &&
        !gave_up)
        term_note(&r.term, "cannot close the load job: %s", err.message);
    PQfinish(r.conn);
    free(r.ids);
    return rc;
}

const struct mo_cmd cmd_load_entry = {
    "load", "[--db C] [--jobs N] [--format F] [--meter MPXN] [--create-meters] FILE... | --queued | --daemon",
    "validate and load meter files (queue, threads, binary COPY)", load_run,
};
