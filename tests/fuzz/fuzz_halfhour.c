/* fuzz_halfhour.c - the timestamp and date parsers of backend/halfhour.c: a fault names a
 * column inside the text (or just past it); what parses formats back to the same instant;
 * local ESB times convert to UTC consistently with the UK/IE offset. */
#include "tests/fuzz/fuzz.h"

#include <string.h>

#include "backend/halfhour.h"

static void round_trip(int64_t t)
{
    char buf[32];
    ts_format_utc(t, buf);
    int64_t again;
    int col = 0;
    /* years 0000-9999 only: "0000-01-01 00:00+01:00" is an instant in year -1, which
     * formats as "-001-..." (20 characters too) and is no timestamp (regress/halfhour/
     * year0000_offset_before_year0; the plausible-date window refuses such rows) */
    if (strlen(buf) == 20 && buf[0] != '-')
        FUZZ_CHECK(ts_parse(buf, 20, 1, &again, &col) == 0 && again == t);
}

FUZZ_ENTRY(halfhour)
{
    const char *s = (const char *)data;
    int64_t t, day, utc;
    int col = 0, amb = 0;
    for (int need_zone = 0; need_zone <= 1; need_zone++) {
        col = 0;
        if (ts_parse(s, size, need_zone, &t, &col) == 0)
            round_trip(t);
        else
            FUZZ_CHECK(col >= 1 && (size_t)col <= size + 1);
    }
    if (date_parse(s, size, &day) == 0) {
        char buf[16];
        int64_t again;
        date_format(day, buf);
        FUZZ_CHECK(date_parse(buf, strlen(buf), &again) == 0 && again == day);
        int y, m, d;
        civil_from_days(day, &y, &m, &d);
        FUZZ_CHECK(days_from_civil(y, m, d) == day && d >= 1 && d <= days_in_month(y, m));
    }
    col = 0;
    if (ts_parse_dmy(s, size, &t, &col) == 0) {
        if (uk_local_to_utc(t, &utc, &amb) == 0) {
            FUZZ_CHECK(t - utc == uk_utc_offset(utc));
            if (amb)
                FUZZ_CHECK(t - (utc + 3600) == uk_utc_offset(utc + 3600));
            round_trip(utc);
        }
    } else {
        FUZZ_CHECK(col >= 1 && (size_t)col <= size + 1);
    }
    return 0;
}
