#include "backend/filehash.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void to_hex(const unsigned char *md, unsigned n, char *hex)
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < n; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[2 * n] = '\0';
}

/* What a file that is not regular is, for the message. */
static const char *file_kind(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a regular file";
}

int filehash_open_regular(const char *path, int64_t *size, struct mo_err *err)
{
    /* O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return mo_err_at(err, path, 0, 0, "file_open", "cannot open: %s", strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) < 0) {
        mo_err_at(err, path, 0, 0, "file_read", "cannot stat: %s", strerror(errno));
        close(fd);
        return -1;
    }
    if (!S_ISREG(sb.st_mode)) {
        mo_err_at(err, path, 0, 0, "file_not_regular", "%s, not a regular file: only regular "
                  "files are loaded", file_kind(sb.st_mode));
        close(fd);
        return -1;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        (void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    *size = (int64_t)sb.st_size;
    return fd;
}

int filehash_file(const char *path, struct filehash *out, struct mo_err *err)
{
    memset(out, 0, sizeof *out);
    int64_t size;
    int fd = filehash_open_regular(path, &size, err);
    if (fd < 0)
        return -1;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(ctx);
        close(fd);
        return mo_err_at(err, path, 0, 0, "sha256", "cannot start sha256 (libcrypto)");
    }
    static const size_t bufsize = 1 << 20;
    unsigned char *buf = OPENSSL_malloc(bufsize);
    int have_line = 0;
    int rc = 0;
    if (!buf) {
        rc = mo_err_at(err, path, 0, 0, "out_of_memory", "out of memory");
        goto done;
    }
    for (;;) {
        /* never past one byte beyond the size at open: a file that grows without end
         * (or faster than it is read) is read once, and its size says it changed */
        int64_t left = size + 1 - out->bytes;
        ssize_t n = left > 0 ? read(fd, buf, (size_t)left < bufsize ? (size_t)left : bufsize) : 0;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = mo_err_at(err, path, 0, 0, "file_read", "cannot read: %s", strerror(errno));
            goto done;
        }
        if (n == 0)
            break;
        if (!have_line) {
            for (ssize_t i = 0; i < n && !have_line; i++) {
                if (buf[i] == '\n' || out->first_len + 1 == sizeof out->first_line)
                    have_line = 1;
                else
                    out->first_line[out->first_len++] = (char)buf[i];
            }
        }
        EVP_DigestUpdate(ctx, buf, (size_t)n);
        out->bytes += n;
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    EVP_DigestFinal_ex(ctx, md, &mdlen);
    to_hex(md, mdlen, out->sha256);
done:
    OPENSSL_free(buf);
    EVP_MD_CTX_free(ctx);
    close(fd);
    return rc;
}

int filehash_head(const char *path, struct filehash *out, struct mo_err *err)
{
    memset(out, 0, sizeof *out);
    int fd = filehash_open_regular(path, &out->bytes, err);
    if (fd < 0)
        return -1;
    ssize_t n;
    while ((n = pread(fd, out->first_line, sizeof out->first_line - 1, 0)) < 0 && errno == EINTR)
        ;
    close(fd);
    if (n < 0)
        return mo_err_at(err, path, 0, 0, "file_read", "cannot read: %s", strerror(errno));
    out->first_line[n] = '\0';
    out->head_len = (size_t)n;
    out->first_len = strcspn(out->first_line, "\n");
    out->first_line[out->first_len] = '\0';
    return 0;
}

struct sha256_stream {
    EVP_MD_CTX *ctx;
};

struct sha256_stream *sha256_stream_new(void)
{
    struct sha256_stream *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->ctx = EVP_MD_CTX_new();
    if (!s->ctx || EVP_DigestInit_ex(s->ctx, EVP_sha256(), NULL) != 1) {
        sha256_stream_free(s);
        return NULL;
    }
    return s;
}

void sha256_stream_add(struct sha256_stream *s, const void *data, size_t len)
{
    EVP_DigestUpdate(s->ctx, data, len);
}

void sha256_stream_end(struct sha256_stream *s, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    EVP_DigestFinal_ex(s->ctx, md, &mdlen);
    to_hex(md, mdlen, hex);
    sha256_stream_free(s);
}

void sha256_stream_free(struct sha256_stream *s)
{
    if (!s)
        return;
    EVP_MD_CTX_free(s->ctx);
    free(s);
}
