/* chart.h - the arithmetic of the Customer view's charts, pure (no curses, no database) so
 * it is tested on its own: which of the theme's four chart levels a value falls in, the
 * glyph of a heatmap cell or of one row of a vertical bar (UTF-8 blocks to an eighth, or
 * ASCII), and the calendar of local days (weekdays, the Monday a week starts on). */
#ifndef MO_CHART_H
#define MO_CHART_H

#include <stdbool.h>
#include <stddef.h>

enum { CHART_LEVELS = 4 };

/* 0 for nothing (v <= 0), else 1..CHART_LEVELS: the quarter of max that v reaches (v at or
 * above max is the top level). The view draws level k in the theme's role chartK. */
int chart_level(double v, double max);

/* A heatmap cell: level 0..4, or -1 for a missing reading. */
const char *chart_heat_glyph(int level, bool utf8);

/* Row `row` (0 the bottom) of a vertical bar of `height` rows for v of max: a full block,
 * a partial block to the eighth (UTF-8) or '#' and '.' for at least half a row (ASCII), or
 * a blank. */
const char *chart_bar_glyph(double v, double max, int height, int row, bool utf8);
/* Eighths of `width` columns a horizontal bar for v of max fills (0 .. 8*width). */
int chart_bar_eighths(double v, double max, int width);
/* A horizontal bar of `width` columns into buf (UTF-8 blocks, or '#' whole columns). */
void chart_hbar(double v, double max, int width, bool utf8, char *buf, size_t len);

/* Days since 1970-01-01 of a YYYY-MM-DD date; -1 when it is not one. */
long chart_day_parse(const char *s);
void chart_day_format(long day, char *buf, size_t len); /* YYYY-MM-DD */
int chart_weekday(long day);                             /* 0 Monday .. 6 Sunday */
long chart_week_start(long day);                         /* the Monday on or before day */
extern const char *const chart_weekday_names[7];         /* "Mon" .. "Sun" */
extern const char *const chart_month_names[12];          /* "Jan" .. "Dec" */

#endif
