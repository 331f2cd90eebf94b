/* view_migration.h - the Migration view's state (view_migration.c): a move to another
 * server (`meterops migrate`) watched from both sides. The source is the console's own
 * database; the target is reached on a connection of the view's own, opened while the
 * view is shown and closed when another is. */
#ifndef MO_VIEW_MIGRATION_H
#define MO_VIEW_MIGRATION_H

#include <stdbool.h>
#include <stdint.h>

#include "backend/fetch_migration.h"
#include "ui/widget_list.h"

/* One line of the table: a relation of either side, reading_day per partition. */
struct mig_line {
    char relation[128];         /* its own copy: the answers it came from are freed when
                                 * new ones arrive, before the list finds its selection */
    int64_t src_rows, dst_rows; /* estimates, -1 unknown (no such relation on that side) */
    char copy_state[16];        /* "" unknown */
    int64_t copied_rows;        /* -1 none */
    bool differs;               /* the estimates differ beyond the tolerance */
    int64_t src_exact, dst_exact; /* exact counts (`c`), -1 not counted */
};

struct migration_state {
    struct mig_record *rec;     /* the newest move on the source (NULL: not known yet) */
    struct mig_side *src_side, *dst_side;
    struct mig_sizes *src_sizes, *dst_sizes;
    struct mig_copy *copy;
    char src_err[256], dst_err[256]; /* why the last fetch of each side failed ("" none) */
    int src_pending, dst_pending;    /* answers awaited on each side */
    struct dba *target;              /* NULL while the view is not shown */
    char target_conninfo[1024];      /* what `target` was opened with */
    uint64_t dst_gen;                /* bumped when `target` closes: older answers are stale */
    bool dst_answered;               /* the open connection has answered once */
    struct mig_sizes *src_exact, *dst_exact; /* exact counts asked with `c` (NULL: none) */
    int exact_pending;                /* count answers awaited */
    struct mig_line *lines;
    size_t nlines;
    struct list list;
};

#endif
