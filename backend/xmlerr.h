/* xmlerr.h - what libxml2 reports while a document streams through an xmlTextReader
 * (espi.c, regxml.c): the first well-formedness error and the schema violations (the
 * first, where, and how many), each with its line and column. */
#ifndef MO_XMLERR_H
#define MO_XMLERR_H

#include <libxml/xmlreader.h>

struct xml_errors {
    xmlTextReaderPtr rd;        /* for a position libxml2 does not give */
    char xml_msg[300];          /* "": none */
    long xml_line;
    int xml_col;
    char xsd_msg[300];
    long xsd_line;
    int xsd_col;
    long xsd_count;
};

/* For xmlTextReaderSetStructuredErrorHandler, with ctx a struct xml_errors (set before
 * xmlTextReaderSetSchema: the validator takes the reader's handler then). */
void xml_errors_record(void *ctx, xmlErrorPtr e);

#endif
