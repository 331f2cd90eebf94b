/* reader_doc.c - the formats read as documents (READER_DOCUMENT), not lines.
 *
 * format `espi`: Green Button (NAESB ESPI) Atom feeds. A document, not
 * lines: espi.c reads it and loaddoc.c hands its readings to the loader (doc/formats.md,
 * "espi"). Found by what the file starts with (fileheader.c), not by a CSV header. */
#include "backend/reader.h"

const struct reader_format reader_espi = {
    .name = "espi",
    .summary = "Green Button (NAESB ESPI) Atom XML feed; --meter / --export-meter name the meters",
    .kind = READER_READINGS,
    .stage = READER_STAGE_READINGS,
    .flags = READER_DOCUMENT,
};

/* format `octopus`: an Octopus Energy consumption API page (JSON), read by octopus.c. */
const struct reader_format reader_octopus = {
    .name = "octopus",
    .summary = "Octopus Energy consumption API page (JSON, kWh); --meter names the meter",
    .kind = READER_READINGS,
    .stage = READER_STAGE_READINGS,
    .flags = READER_DOCUMENT,
};
