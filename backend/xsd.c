/* xsd.c - see xsd.h. */
#include "backend/xsd.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlschemastypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "backend/embedded.h"

struct xsd {
    xmlSchemaPtr schema;
};

static const char *embedded(const char *name)
{
    for (const struct embedded_file *f = mo_schemas; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f->text;
    return NULL;
}

/* Serves a schema's imports ("atom.xsd", "xml.xsd", relative, as the schemas name them)
 * from the embedded copies; anything else, file or URL, is refused. */
static xmlParserInputPtr only_embedded(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    (void)id;
    const char *base = url ? strrchr(url, '/') : NULL;
    base = base ? base + 1 : url;
    const char *text = url && !strstr(url, "://") && base ? embedded(base) : NULL;
    if (!text || !ctxt)
        return NULL; /* libxml2 reports "failed to load external entity" */
    return xmlNewStringInputStream(ctxt, (const xmlChar *)text);
}

/* Once per process: libxml2 2.9 initialises its schema types lazily in the first
 * xmlSchemaParse, unguarded, so two loader threads compiling a schema at once raced. */
static void install_loader(void)
{
    xmlInitParser();
    xmlSchemaInitTypes();
    xmlSetExternalEntityLoader(only_embedded);
}

/* The first schema error, for the message. */
static void on_error(void *ctx, xmlErrorPtr e)
{
    char *msg = ctx;
    if (msg[0] || !e || !e->message)
        return;
    snprintf(msg, 300, "%s", e->message);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
}

void xsd_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, install_loader);
}

struct xsd *xsd_load(const char *name, struct mo_err *err)
{
    xsd_init();
    const char *text = embedded(name);
    struct xsd *sc = calloc(1, sizeof *sc);
    if (!text || !sc) {
        free(sc);
        mo_err_set(err, "out_of_memory", "schema %s is not in this build", name);
        return NULL;
    }
    char msg[300] = "";
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewMemParserCtxt(text, (int)strlen(text));
    if (pc) {
        xmlSchemaSetParserStructuredErrors(pc, on_error, msg);
        sc->schema = xmlSchemaParse(pc);
        xmlSchemaFreeParserCtxt(pc);
    }
    if (!sc->schema) {
        free(sc);
        mo_err_set(err, "xsd_compile", "cannot compile schema %s: %s", name, msg[0] ? msg : "out of memory");
        return NULL;
    }
    return sc;
}

void xsd_free(struct xsd *sc)
{
    if (!sc)
        return;
    xmlSchemaFree(sc->schema);
    free(sc);
}

void *xsd_schema(const struct xsd *sc)
{
    return sc ? sc->schema : NULL;
}
