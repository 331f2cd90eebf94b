/* xsd.h - the XML Schemas the loader validates documents against, embedded in the binary
 * (schemas/, scripts/embed-files) and compiled offline: the Green Button (NAESB ESPI)
 * schema for `meterops load --xsd` (espiDerived.xsd, importing atom.xsd and xml.xsd) and
 * meterops' own registry.xsd for registry feeds as XML. Imports are served from the
 * embedded copies by an external-entity loader, installed once for the process, that
 * refuses every other resource: compiling a schema (or anything else libxml2 parses in
 * the process) never reaches the network or the disk. */
#ifndef MO_XSD_H
#define MO_XSD_H

#include "backend/err.h"

#define XSD_ESPI "espiDerived.xsd"
#define XSD_REGISTRY "registry.xsd"

struct xsd;

/* libxml2 initialised and the loader of embedded schemas installed, once for the process.
 * Call it before starting threads that parse XML: libxml2 2.9's own lazy initialisation
 * is not safe when two threads race to it. xsd_load calls it too. */
void xsd_init(void);

/* The compiled schema NAME (an embedded file; tens of milliseconds), or NULL with err.
 * Thread-safe. */
struct xsd *xsd_load(const char *name, struct mo_err *err);
void xsd_free(struct xsd *sc);

/* The libxml2 schema (xmlSchemaPtr) for xmlTextReaderSetSchema. */
void *xsd_schema(const struct xsd *sc);

#endif
