/* xmlerr.c - see xmlerr.h. */
#include "backend/xmlerr.h"

#include <stdio.h>
#include <string.h>

static void copy_msg(char *to, size_t len, const char *msg, const char *none)
{
    snprintf(to, len, "%s", msg ? msg : none);
    size_t n = strlen(to);
    while (n && (to[n - 1] == '\n' || to[n - 1] == ' '))
        to[--n] = '\0';
}

void xml_errors_record(void *ctx, xmlErrorPtr e)
{
    struct xml_errors *x = ctx;
    if (!e || e->level < XML_ERR_ERROR)
        return;
    if (e->domain == XML_FROM_SCHEMASV) {
        /* a schema violation: the document goes on being read, to its end */
        if (x->xsd_count++ == 0) {
            copy_msg(x->xsd_msg, sizeof x->xsd_msg, e->message, "not valid");
            x->xsd_line = e->line > 0 ? e->line : (x->rd ? xmlTextReaderGetParserLineNumber(x->rd) : 0);
            x->xsd_col = e->int2 > 0 ? e->int2 : (x->rd ? xmlTextReaderGetParserColumnNumber(x->rd) : 0);
        }
        return;
    }
    if (x->xml_msg[0])
        return;
    copy_msg(x->xml_msg, sizeof x->xml_msg, e->message, "not well-formed");
    x->xml_line = e->line;
    x->xml_col = e->int2;
}
