/* replay.c - `make check` replays every seed (tests/fuzz/corpus/NAME) and every input a
 * fuzzer once crashed on (tests/fuzz/regress/NAME) through the harnesses, built without
 * libFuzzer (FUZZ_REPLAY): one TAP line per harness and directory. A broken promise
 * aborts, which the test driver reports; under the sanitizer build so does a memory
 * error. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz.h"

typedef int (*harness_fn)(const uint8_t *data, size_t size);

/* Runs each file of dir through fn; the number of files, -1 when one cannot be read. */
static long replay_dir(const char *dir, harness_fn fn)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0; /* no regressions (yet) for this harness */
    long n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096 + 256];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f) {
            n = -1;
            break;
        }
        /* an exact-size copy, so ASan sees a read past the input */
        fseek(f, 0, SEEK_END);
        long size = ftell(f);
        rewind(f);
        uint8_t *buf = malloc(size > 0 ? (size_t)size : 1);
        if (!buf || size < 0 || fread(buf, 1, (size_t)size, f) != (size_t)size) {
            fclose(f);
            free(buf);
            n = -1;
            break;
        }
        fclose(f);
        fprintf(stderr, "# %s\n", path);
        fn(buf, (size_t)size);
        free(buf);
        n++;
    }
    closedir(d);
    return n;
}

int main(void)
{
    static const struct {
        const char *name;
        harness_fn fn;
    } harnesses[] = {
#define FUZZ_ROW(name) { #name, fuzz_##name },
        FUZZ_HARNESSES(FUZZ_ROW)
    };
    const char *src = getenv("MO_SRCDIR");
    int t = 0, failed = 0;
    for (size_t i = 0; i < sizeof harnesses / sizeof *harnesses; i++) {
        static const char *const kinds[] = { "corpus", "regress" };
        for (int k = 0; k < 2; k++) {
            char dir[4096];
            snprintf(dir, sizeof dir, "%s/tests/fuzz/%s/%s", src ? src : ".", kinds[k],
                     harnesses[i].name);
            long n = replay_dir(dir, harnesses[i].fn);
            failed += n < 0 || (k == 0 && n == 0);
            printf("%s %d - %s: %ld %s input%s replayed\n", n < 0 || (k == 0 && n == 0) ?
                   "not ok" : "ok", ++t, harnesses[i].name, n, kinds[k], n == 1 ? "" : "s");
        }
    }
    printf("1..%d\n", t);
    return failed != 0;
}
