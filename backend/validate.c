#include "backend/validate.h"

#include <stddef.h>

#include <string.h>

#include "backend/halfhour.h"
#include "backend/mpan.h"

const char *validate_fuel(const char *mpxn, size_t len)
{
    struct mpxn_id m;
    if (mpxn_parse(mpxn, len, &m))
        return NULL;
    return m.gas ? "gas" : "elec";
}

int64_t validate_floor(const char *not_before)
{
    int64_t day, min;
    if (!not_before)
        not_before = VALIDATE_FLOOR_DEFAULT;
    if (date_parse(not_before, strlen(not_before), &day) < 0 ||
        date_parse(VALIDATE_FLOOR_MIN, strlen(VALIDATE_FLOOR_MIN), &min) < 0 || day < min)
        return -1;
    return day * 86400;
}
