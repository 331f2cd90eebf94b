/* notify.h - the loader's file events as they arrive on channel meterops_load
 * (functions/notify.sql): {"file_id": N, "status": "...", "progress_rows": N}. */
#ifndef MO_NOTIFY_H
#define MO_NOTIFY_H

#include <stdint.h>

#define NOTIFY_LOAD_CHANNEL "meterops_load"

struct load_event {
    int64_t file_id;
    char status[12];
    int64_t progress_rows;
};

/* 0 and ev filled, or -1 when the payload is not such an object (ev untouched): an
 * event from a newer loader with more members still parses; a malformed one is ignored
 * by the caller rather than trusted. */
int notify_parse_load(const char *payload, struct load_event *ev);

#endif
