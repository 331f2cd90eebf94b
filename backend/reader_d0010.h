/* reader_d0010.h - UK DTC flows: which one a file is, from its ZHV header line.
 * The reader itself is reader_d0010 (reader.h); doc/formats.md "d0010" says what it reads. */
#ifndef MO_READER_D0010_H
#define MO_READER_D0010_H

#include <stddef.h>

enum dtc_kind { DTC_NONE = 0, DTC_D0010, DTC_OTHER };

/* What line 1 (buf[0..len), the bytes up to the first newline or more) is: no DTC flow,
 * a D0010 meter-reading flow, or another DTC flow, whose id ("D0086001") goes into
 * flow[0..n) (NUL-terminated) for the refusal. */
enum dtc_kind dtc_sniff(const char *buf, size_t len, char *flow, size_t n);

#endif
