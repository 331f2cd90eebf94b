/* embedded.h - files the binary carries in itself (scripts/embed-files writes the tables). */
#ifndef MO_EMBEDDED_H
#define MO_EMBEDDED_H

struct embedded_file {
    const char *name; /* base name; NULL ends a table */
    const char *text;
};

/* schemas_xsd.c: the .xsd files under schemas/ (base names are unique) */
extern const struct embedded_file mo_schemas[];

#endif
