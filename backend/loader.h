/* loader.h - the loading engine: parse threads, one connection per file being loaded,
 * and the lease keeper, working the queue in meterops.load_file.
 *
 * With jobs = N the engine runs N file threads (each with its own connection, each file
 * in one transaction) and N parse threads shared by the files in progress, so one large
 * file keeps every core busy and several small files load side by side. A separate
 * autocommit connection renews the leases of the files in progress and publishes their
 * progress about once a second.
 *
 * What becomes of a file is reported through load_events (from the engine's threads;
 * the callbacks serialise their own output). */
#ifndef MO_LOADER_H
#define MO_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "backend/err.h"

struct loader;

struct load_report {
    int64_t file_id;
    const char *path;
    const char *status;     /* loaded, rejected, failed; or released (given back to the
                             * queue on stop), lost (the lease ran out, another loader has it) */
    const char *format;
    int64_t rows_total, rows_loaded, rows_rejected, readings;
    double seconds;
    const char *message;    /* why, for everything but a clean load */
};

struct load_events {
    void *ctx;
    void (*started)(void *ctx, int64_t file_id, const char *path, int64_t bytes);
    /* A rejected row; path:line:column style (column 0 = whole line). */
    void (*reject)(void *ctx, int64_t file_id, const char *path, int64_t line, int column,
                   const char *code, const char *message);
    void (*finished)(void *ctx, const struct load_report *r);
    /* Something an operator should know (reconnecting, partition made, ...). */
    void (*notice)(void *ctx, const char *message);
};

enum loader_mode {
    LOADER_FILES,   /* claim only the given files; done when they are all final */
    LOADER_DRAIN,   /* claim anything; done when nothing is left to claim */
    LOADER_DAEMON,  /* claim anything, wait for more, until stopped */
};

/* Knobs for tests and tuning (doc/loader.md, "Knobs"); 0 means the default in each. */
struct loader_tuning {
    size_t chunk_bytes;         /* MO_LOAD_CHUNK_BYTES: bytes a chunk holds (2 MB) */
    size_t open_days;           /* MO_LOAD_OPEN_DAYS: the open-day table, in half-hourly
                                 * days (32 MB worth) */
    size_t batch_bytes;         /* MO_LOAD_BATCH_BYTES: the first COPY batch (4 MB) */
    int throttle_ms;            /* MO_LOAD_THROTTLE_MS: pause after each chunk (none) */
    int retry_ms;               /* MO_LOAD_RETRY_MS: how long a lost database is retried
                                 * before the loader gives up (0: two minutes) */
    int read_delay_ms;          /* MO_LOAD_READ_DELAY_MS: pause before each read of the
                                 * file, deaf to the stop (tests: a read that hangs) */
    int worker_nice;            /* MO_LOAD_PARSE_NICE: of the parse and hashing threads
                                 * (10; here 0 is nice 0) */
    int serial;                 /* MO_LOAD_SERIAL=1: every format read in order */
    int no_fast_lines;          /* MO_LOAD_NOFAST=1: every line through the splitter */
    int64_t keep_errors;        /* --keep-errors, MO_LOAD_KEEP_ERRORS: rejected rows kept
                                 * per code and file (1000); -1 keeps none */
    size_t max_line_bytes;      /* --max-line-bytes: a longer line is rejected as
                                 * line_too_long, never held whole (LOADER_MAX_LINE) */
    int citus_via_coordinator;  /* --citus-direct off: on a Citus coordinator the rows go
                                 * through it, not straight to the workers (shardwriter.h) */
};

/* The line-length limit unless --max-line-bytes says: the widest meter line we know is a
 * few hundred bytes (a wide meter-day of 50 columns; the real LCL and ESB files stay under
 * 70), a registry record under 2 kB; 1 MiB leaves a margin of hundreds. */
#define LOADER_MAX_LINE ((size_t)1 << 20)
#define LOADER_MAX_LINE_MIN ((size_t)256)
#define LOADER_MAX_LINE_MAX ((size_t)64 << 20)

/* The defaults: every size and pause its module's own, parse threads at nice 10. The
 * MO_LOAD_* variables are read by `meterops load` (cli/cmd_load.c), never in backend/. */
void loader_tuning_defaults(struct loader_tuning *t);

struct loader_config {
    const char *conninfo;
    int jobs;
    int lease_seconds;
    const char *owner;          /* claimed_by: host:pid */
    int64_t loader_id;          /* its meterops.loader row (heartbeat), 0: none */
    enum loader_mode mode;
    const int64_t *ids;         /* LOADER_FILES */
    size_t nids;
    const struct loader_tuning *tuning; /* NULL: loader_tuning_defaults */
};

struct loader *loader_start(const struct loader_config *cfg, const struct load_events *ev,
                            struct mo_err *err);
/* LOADER_FILES: one more file of the run (it is claimable at once, so loading starts
 * while the next file is still being hashed). */
int loader_add_file(struct loader *loader, int64_t file_id);
/* Something was queued (a NOTIFY, a new inbox file): idle file threads look again. */
void loader_wake(struct loader *loader);
/* Stops claiming; files in progress are rolled back and given back to the queue. */
void loader_stop(struct loader *loader);
/* Nonzero when the work of the mode is done (LOADER_FILES: call loader_files_final). */
int loader_idle(struct loader *loader);
/* LOADER_FILES: the caller saw all its files final (some may be loaded by others). */
void loader_files_final(struct loader *loader);
/* Nonzero when every file thread gave up (the database stayed unreachable). */
int loader_gave_up(struct loader *loader);
/* Waits up to ms milliseconds for the engine to change state. */
void loader_wait(struct loader *loader, int ms);
/* Joins every thread, closes connections; returns nonzero when a file thread gave up
 * (the database stayed unreachable). */
int loader_finish(struct loader *loader);

/* Progress of the files in progress, for a terminal display. */
struct load_progress {
    int active;
    int64_t bytes_done, bytes_total, rows;
};
void loader_progress(struct loader *loader, struct load_progress *p);

#endif
