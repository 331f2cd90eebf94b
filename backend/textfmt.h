/* textfmt.h - how the console, `meterops status` and `meterops load`'s progress line write
 * numbers, sizes, durations, ETAs, times and progress bars. Pure functions into caller
 * buffers (always NUL-terminated, truncated when short), so they are unit-tested and shared
 * by ui/ and cli/; they live in backend/ because both layers sit on it. */
#ifndef MO_TEXTFMT_H
#define MO_TEXTFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* s as it may be printed on a line: every control character (C0, DEL, and the C1 controls
 * U+0080-U+009F as UTF-8) written as a visible escape (\n, \r, \t, \xNN), so text from
 * a file or a file's name can neither end a line (forging the next one) nor send a
 * terminal sequence. Returns s itself when nothing needs escaping, else buf (cut to fit,
 * never inside an escape). */
const char *fmt_visible(char *buf, size_t len, const char *s);
/* The escape fmt_visible writes for the control character at s ("\n", "\x1B", the two
 * bytes of a C1 control as "\xC2\x85"), its bytes in *n; NULL when s is no control
 * character. The one rule: the console draws (ui/draw.c), measures (text_next) and the
 * cli prints (text_terminal) a control character as this escape. */
const char *fmt_control(const char *s, size_t *n, char esc[9]);

/* 1234567 -> "1,234,567"; negative numbers keep their sign. */
const char *fmt_count(char *buf, size_t len, int64_t n);
/* A rate or count that must fit a narrow column: "950", "12.3k", "4.5M", "1.2G". */
const char *fmt_si(char *buf, size_t len, double v);
/* Sizes as pg_size_pretty writes them (1024-based): "512 bytes", "8.2 MB", "1.5 GB". */
const char *fmt_bytes(char *buf, size_t len, int64_t bytes);
/* Compact elapsed time: "42s", "4m02s", "1h02m", "3d04h"; negative -> "-". */
const char *fmt_duration(char *buf, size_t len, int64_t seconds);
/* Time left as a clock: "0:42", "12:05", "1:02:03"; negative (unknown) -> "--:--". */
const char *fmt_eta(char *buf, size_t len, int64_t seconds);
/* A time as the local clock: "14:02:31" when it is on now's day, else "06-01 14:02";
 * 0 (not set) -> "-". */
const char *fmt_when(char *buf, size_t len, int64_t unix_s, int64_t now);
/* How long ago, relative: "now" under a second, "42s ago", "3m ago", "2h ago", "4d ago".
 * The absolute time is fmt_when's, shown on demand. */
const char *fmt_ago(char *buf, size_t len, int64_t seconds);
/* A progress bar of exactly `width` cells for fraction 0..1: UTF-8 full blocks, an
 * eighth-block for the remainder and light shade for the rest; with utf8 false, '#' and
 * '.'. Fractions outside 0..1 are clamped. Returns buf. */
const char *fmt_bar(char *buf, size_t len, int width, double fraction, bool utf8);

#endif
