#include "backend/gen_out.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int gen_out_open(struct gen_out *o, const char *path, size_t cap, struct mo_err *err)
{
    memset(o, 0, sizeof *o);
    o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (o->fd < 0)
        return mo_err_at(err, path, 0, 0, "io", "cannot create %s: %s", path, strerror(errno));
    if (cap < 4 * GEN_OUT_LINE_MAX)
        cap = 4 * GEN_OUT_LINE_MAX;
    o->buf = malloc(cap);
    if (!o->buf) {
        close(o->fd);
        o->fd = -1;
        return mo_err_at(err, path, 0, 0, "out_of_memory", "no memory for the output buffer of %s", path);
    }
    o->cap = cap;
    return 0;
}

int gen_out_flush(struct gen_out *o)
{
    size_t off = 0;
    while (off < o->len && !o->err_no) {
        ssize_t n = write(o->fd, o->buf + off, o->len - off);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            o->err_no = errno;
        } else {
            off += (size_t)n;
        }
    }
    /* After an error the rest is dropped: the caller fails the whole file anyway. */
    o->len = 0;
    return o->err_no ? -1 : 0;
}

int gen_out_close(struct gen_out *o, const char *path, struct mo_err *err)
{
    int rc = 0;
    if (o->fd >= 0) {
        gen_out_flush(o);
        if (close(o->fd) != 0 && !o->err_no)
            o->err_no = errno;
        o->fd = -1;
        if (o->err_no)
            rc = mo_err_at(err, path, 0, 0, "io", "cannot write %s: %s", path, strerror(o->err_no));
    }
    free(o->buf);
    o->buf = NULL;
    return rc;
}
