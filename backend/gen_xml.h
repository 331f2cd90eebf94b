/* gen_xml.h - `meterops gen --format xml`: a registry feed written as CSV, rewritten as
 * the XML of the same records (regxml.h, schemas/registry/registry.xsd): root ROOT in the
 * namespace urn:meterops:registry:1, one RECORD element per data line, one child per
 * non-empty field named after its header column. */
#ifndef MO_GEN_XML_H
#define MO_GEN_XML_H

#include "backend/err.h"

int gen_csv_to_xml(const char *csv_path, const char *xml_path, const char *root,
                   const char *record, struct mo_err *err);

#endif
