/* bench_espi - the Green Button reader's memory and speed on a feed of any size, with no
 * database: what `meterops load` adds is bounded by its own caps (bench/memory.sh).
 *
 *   make bench/bench_espi && ./bench/bench_espi FEED.xml
 *
 * In the same run: (a) the baseline, libxml2's xmlTextReader walking every node of the
 * file once with the reader's parse options (what any streaming XML reader pays), then
 * (b) espi_read, both passes, into a sink that only sums. Prints bytes, readings, seconds
 * of each, b/a, and the process's peak RSS after each (getrusage: the peak so far). */
#include <fcntl.h>
#include <libxml/xmlreader.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backend/espi.h"

struct sum { int64_t wh, n, refused; };

static int on_reading(void *ctx, const struct doc_reading *r)
{
    struct sum *s = ctx;
    if (r->code)
        s->refused++;
    else
        s->wh += r->wh, s->n++;
    return 0;
}

struct fd_source { int fd; };

static int fd_read(void *ctx, char *buf, int len)
{
    return (int)read(((struct fd_source *)ctx)->fd, buf, (size_t)len);
}

static int fd_rewind(void *ctx, struct mo_err *err)
{
    if (lseek(((struct fd_source *)ctx)->fd, 0, SEEK_SET) == 0)
        return 0;
    return mo_err_set(err, "io", "cannot rewind the feed");
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double peak_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_espi FEED.xml\n");
        return 2;
    }
    struct stat st;
    if (stat(argv[1], &st) < 0) {
        perror(argv[1]);
        return 2;
    }
    double t0 = now();
    xmlTextReaderPtr xr = xmlReaderForFile(argv[1], NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
    if (!xr) {
        fprintf(stderr, "bench_espi: libxml2 cannot open %s\n", argv[1]);
        return 2;
    }
    long long nodes = 0;
    int rc;
    while ((rc = xmlTextReaderRead(xr)) == 1)
        nodes++;
    xmlFreeTextReader(xr);
    double base_s = now() - t0, base_rss = peak_mb();
    if (rc < 0) {
        fprintf(stderr, "bench_espi: %s is not well-formed XML\n", argv[1]);
        return 2;
    }

    struct fd_source fs = { open(argv[1], O_RDONLY) };
    if (fs.fd < 0) {
        perror(argv[1]);
        return 2;
    }
    const struct doc_source src = { fd_read, fd_rewind, &fs };
    struct sum s = { 0 };
    const struct doc_sink sink = { &s, on_reading };
    struct espi_info info;
    struct mo_err err;
    t0 = now();
    if (espi_read(&src, argv[1], &(struct espi_opts){ 0 }, &sink, &info, &err) < 0) {
        fprintf(stderr, "bench_espi: %s: %s\n", err.code, err.message);
        return 1;
    }
    double espi_s = now() - t0;
    close(fs.fd);
    printf("bytes %lld\nnodes %lld\nreadings %lld (refused %lld, %lld Wh)\n", (long long)st.st_size, nodes,
           (long long)s.n, (long long)s.refused, (long long)s.wh);
    printf("baseline xmlTextReader, one pass: %.2f s, %.0f MB/s, peak RSS %.1f MB\n", base_s,
           (double)st.st_size / 1e6 / base_s, base_rss);
    printf("espi_read, two passes: %.2f s, %.0f readings/s, peak RSS %.1f MB\n", espi_s,
           (double)(s.n + s.refused) / espi_s, peak_mb());
    printf("espi/baseline time: %.2f\n", espi_s / base_s);
    return 0;
}
