/* gen_xml.c - see gen_xml.h. */
#include "backend/gen_xml.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/linesplit.h"
#include "backend/regxml.h"

static void put_escaped(FILE *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        default: putc(s[i], out);
        }
    }
}

int gen_csv_to_xml(const char *csv_path, const char *xml_path, const char *root,
                   const char *record, struct mo_err *err)
{
    FILE *in = fopen(csv_path, "r");
    if (!in)
        return mo_err_at(err, csv_path, 0, 0, "io", "cannot open: %s", strerror(errno));
    FILE *out = fopen(xml_path, "w");
    if (!out) {
        fclose(in);
        return mo_err_at(err, xml_path, 0, 0, "io", "cannot create: %s", strerror(errno));
    }
    struct linesplit ls;
    if (linesplit_init(&ls, ',') < 0) {
        fclose(in);
        fclose(out);
        return mo_err_set(err, "out_of_memory", "out of memory");
    }
    char *line = NULL, *cols[REGXML_MAX_COLS] = { 0 };
    size_t cap = 0;
    ssize_t n;
    int ncols = 0, rc = 0;
    long ln = 0;
    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<%s xmlns=\"%s\">\n", root, REGXML_NS);
    while ((n = getline(&line, &cap, in)) > 0) {
        ln++;
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        char **f;
        size_t *l;
        int nf = linesplit_split(&ls, line, (size_t)n, &f, &l, NULL);
        if (nf < 0 || nf > REGXML_MAX_COLS || (ln > 1 && nf != ncols)) {
            rc = mo_err_at(err, csv_path, ln, 0, "io", "not a registry line gen wrote");
            break;
        }
        if (ln == 1) {
            for (int i = 0; i < nf; i++)
                cols[i] = strdup(f[i]);
            ncols = nf;
            continue;
        }
        fprintf(out, "  <%s>", record);
        for (int i = 0; i < nf; i++) {
            if (!l[i])
                continue; /* an empty field is an omitted element */
            fprintf(out, "<%s>", cols[i]);
            put_escaped(out, f[i], l[i]);
            fprintf(out, "</%s>", cols[i]);
        }
        fprintf(out, "</%s>\n", record);
    }
    fprintf(out, "</%s>\n", root);
    free(line);
    for (int i = 0; i < ncols; i++)
        free(cols[i]);
    linesplit_free(&ls);
    fclose(in);
    if ((ferror(out) | fclose(out)) && rc == 0)
        rc = mo_err_at(err, xml_path, 0, 0, "io", "cannot write: %s", strerror(errno));
    return rc;
}
