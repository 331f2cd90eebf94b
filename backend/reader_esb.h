/* reader_esb.h - what the esb-hdf reader has found out about the file it reads (its
 * tests ask; the loader needs neither). st: a state the format's header() and rows ran on. */
#ifndef MO_READER_ESB_H
#define MO_READER_ESB_H

#include "backend/reader.h"

/* Nonzero once a kW read type was seen: values are average power over the half hour. */
int reader_esb_kw_average(const struct reader_state *st);
/* Nonzero while the file is taken to run newest first (ESB's order; decided from the
 * first two distinct stamps). */
int reader_esb_descending(const struct reader_state *st);

#endif
