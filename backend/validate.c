#include "backend/validate.h"

#include <stddef.h>

#include "backend/mpan.h"

const char *validate_fuel(const char *mpxn, size_t len)
{
    struct mpxn_id m;
    if (mpxn_parse(mpxn, len, &m))
        return NULL;
    return m.gas ? "gas" : "elec";
}
