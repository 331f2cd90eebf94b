/* espi_schema.h - the Green Button (NAESB ESPI) XML Schema that `meterops load --xsd`
 * validates feeds against: schemas/espi/espiDerived.xsd with the atom.xsd and xml.xsd it
 * imports, embedded in the binary and compiled offline. The imports are served from the
 * embedded copies by an external-entity loader that refuses every other resource, so
 * compiling the schema (or anything else libxml2 parses in the process) never reaches
 * the network or the disk. */
#ifndef MO_ESPI_SCHEMA_H
#define MO_ESPI_SCHEMA_H

#include "backend/err.h"

struct espi_schema;

/* The compiled schema (tens of milliseconds), or NULL with err. Thread-safe. */
struct espi_schema *espi_schema_load(struct mo_err *err);
void espi_schema_free(struct espi_schema *sc);

/* For espi.c: the libxml2 schema (xmlSchemaPtr). */
void *espi_schema_xml(const struct espi_schema *sc);

#define ESPI_SCHEMA_NAME "espiDerived.xsd"

#endif
