/* enqueue.h - what a file is enqueued with and what became of it (queue_enqueue in
 * queue.h does it). Plain types, apart from queue.h so that callers above backend/
 * (load_session.h's users) never reach libpq through them. */
#ifndef MO_ENQUEUE_H
#define MO_ENQUEUE_H

#include <stdint.h>

struct queue_options {
    const char *format;         /* NULL: detected from the header */
    const char *meter;          /* --meter */
    const char *export_meter;   /* --export-meter */
    int create_meters;
    double max_reject_ratio;
    const char *not_before;     /* --not-before YYYY-MM-DD; NULL: the default (validate.h) */
    int future_margin;          /* --future-margin minutes (0: none, not stored) */
    const char *unit;           /* --unit Wh|kWh|m3: documents that do not say (NULL: none) */
    double calorific_value;     /* --calorific-value MJ/m3 for --unit m3 (0: the default) */
    int xsd;                    /* --xsd: XML feeds validated against their schema */
};

enum enqueue_outcome {
    ENQUEUE_ADDED,      /* a new queue row */
    ENQUEUE_SKIPPED,    /* same content loaded already: *file_id is that file */
    ENQUEUE_ADOPTED,    /* same content queued or loading already: *file_id is that file */
    ENQUEUE_CONFLICT,   /* same content, queued, loading or loaded as file_id with other
                         * meaning options (--meter, --export-meter): not enqueued; replace
                         * it with `meterops requeue file_id --meter ...` */
};

struct enqueue_result {
    enum enqueue_outcome outcome;
    int64_t file_id;
    char when[40];      /* when the earlier copy was loaded / queued */
    char status[16];
    /* ENQUEUE_CONFLICT: the earlier file's meaning options ("" when not given) */
    char old_meter[32], old_export_meter[32];
    char new_meter[32], new_export_meter[32];   /* and this run's, in their one spelling */
};

#endif
