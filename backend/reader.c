#include "backend/reader.h"

#include <string.h>

/* One line per format; detection tries them in this order, so more specific headers
 * (LCL, ESB) come before the generic long layout. */
const struct reader_format *const reader_formats[] = {
    /* formats (readers) */
    &reader_lcl,
    &reader_esb_hdf,
    &reader_wide,
    /* formats (loader) */
    &reader_long,
    /* formats (documents) */
    &reader_espi,
    &reader_octopus,
    /* formats (register reads) */
    &reader_d0010,
    /* formats (gen) */
    &reader_customers,
    &reader_tariffs,
    &reader_meters,
    &reader_bills,
    &reader_prices,
    &reader_lcl_prices,
    NULL,
};

const struct reader_format *reader_find(const char *name)
{
    for (size_t i = 0; reader_formats[i]; i++)
        if (strcmp(reader_formats[i]->name, name) == 0)
            return reader_formats[i];
    return NULL;
}

int reader_all_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned)(s[i] - '0') >= 10)
            return 0;
    return 1;
}

const struct reader_format *reader_detect(char *const *fields, const size_t *lens, int nfields)
{
    for (size_t i = 0; reader_formats[i]; i++)
        if (reader_formats[i]->sniff && reader_formats[i]->sniff(fields, lens, nfields))
            return reader_formats[i];
    return NULL;
}
