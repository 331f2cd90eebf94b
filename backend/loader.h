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

struct loader_config {
    const char *conninfo;
    int jobs;
    int lease_seconds;
    const char *owner;          /* claimed_by: host:pid */
    enum loader_mode mode;
    const int64_t *ids;         /* LOADER_FILES */
    size_t nids;
};

struct loader *loader_start(const struct loader_config *cfg, const struct load_events *ev,
                            struct mo_err *err);
/* LOADER_FILES: one more file of the run (it is claimable at once, so loading starts
 * while the next file is still being hashed). */
int loader_add_file(struct loader *L, int64_t file_id);
/* Something was queued (a NOTIFY, a new inbox file): idle file threads look again. */
void loader_wake(struct loader *L);
/* Stops claiming; files in progress are rolled back and given back to the queue. */
void loader_stop(struct loader *L);
/* Nonzero when the work of the mode is done (LOADER_FILES: call loader_files_final). */
int loader_idle(struct loader *L);
/* LOADER_FILES: the caller saw all its files final (some may be loaded by others). */
void loader_files_final(struct loader *L);
/* Nonzero when every file thread gave up (the database stayed unreachable). */
int loader_gave_up(struct loader *L);
/* Waits up to ms milliseconds for the engine to change state. */
void loader_wait(struct loader *L, int ms);
/* Joins every thread, closes connections; returns nonzero when a file thread gave up
 * (the database stayed unreachable). */
int loader_finish(struct loader *L);

/* Progress of the files in progress, for a terminal display. */
struct load_progress {
    int active;
    int64_t bytes_done, bytes_total, rows;
};
void loader_progress(struct loader *L, struct load_progress *p);

#endif
