#include "backend/validate.h"

#include <stddef.h>

#include "backend/mpan.h"

const char *validate_fuel(const char *mpxn, size_t len)
{
    int check_ok;
    switch (mpxn_classify(mpxn, len, &check_ok)) {
    case MPXN_MPAN_CORE:
    case MPXN_MPAN_FULL:
        return "elec";
    case MPXN_MPRN:
        return "gas";
    case MPXN_INVALID:
        break;
    }
    if (len == 11) {
        for (size_t i = 0; i < len; i++)
            if (mpxn[i] < '0' || mpxn[i] > '9')
                return NULL;
        return "elec";
    }
    return NULL;
}
