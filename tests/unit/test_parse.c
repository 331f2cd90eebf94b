/* test_parse - what a parse thread leaves in a chunk (backend/parse.c): accepted rows and
 * their readings, and each rejected row with its line, column and code, for the loader's
 * own checks (range scaled to the meter, meter, alignment, ended) and the line checks
 * around the reader (encoding, CSV). No server: the registry is built by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "backend/halfhour.h"
#include "backend/parse.h"

#define METER_HH "2700003645222"     /* half-hourly, in the registry */
#define METER_H "2700003645231"      /* hourly, in the registry */
#define METER_NEW "1999999999991"    /* a valid MPAN core the registry lacks */
#define NOW 1719792000               /* 2024-07-01T00:00:00Z: the load's start */

static char *long_names[4] = { "mpxn", "timestamp", "kwh", "quality" };

/* A long file with quality column, as loadfile.c leaves it after the header. */
static void long_file(struct fileload *f)
{
    memset(f, 0, sizeof *f);
    f->fmt = reader_find("long");
    assert_non_null(f->fmt);
    f->stream.parallel = 1;
    f->fast_lines = 1;
    f->gen = 1;
    f->now = NOW;
    meters_init(&f->meters);
    assert_int_equal(meters_add(&f->meters, METER_HH, 13, 1001, 30), 0);
    assert_int_equal(meters_add(&f->meters, METER_H, 13, 1002, 60), 1);
    f->colnames = long_names;
    f->ncols = 4;
    size_t size = f->fmt->state_size ? f->fmt->state_size : 1;
    f->seq_state.fmt = f->fmt;
    f->seq_state.path = "t.csv";
    f->seq_state.line = 1;
    f->seq_state.priv = calloc(1, size);
    f->priv_after_header = calloc(1, size);
    size_t lens[4] = { 4, 9, 3, 7 };
    struct mo_err err;
    assert_int_equal(f->fmt->header(&f->seq_state, long_names, lens, 4, &err), 0);
    memcpy(f->priv_after_header, f->seq_state.priv, size);
}

static void free_file(struct fileload *f)
{
    meters_free(&f->meters);
    free(f->seq_state.priv);
    free(f->priv_after_header);
}

/* Parses text as the chunk whose first line is line 2. */
static void parse_text(struct fileload *f, const char *text, struct chunk *c)
{
    memset(c, 0, sizeof *c);
    c->f = f;
    c->stream = &f->stream;
    c->buf = strdup(text);
    c->len = strlen(text);
    c->first_line = 2;
    struct parser p;
    assert_int_equal(parser_init(&p), 0);
    parse_chunk(&p, c);
    parser_free(&p);
    f->gen++; /* the next parser must not take this one's state for current */
}

static void free_chunk(struct chunk *c)
{
    free(c->buf);
    free(c->rows);
    free(c->rds);
    free(c->errs);
    free(c->pool);
}

static const char *reject_name(const struct chunk *c, const struct parsed_reject *e)
{
    return e->name == NO_NAME ? "-" : c->pool + e->name;
}

static void test_accepted_readings_carry_day_slot_value_and_columns(void **state)
{
    (void)state;
    struct fileload f;
    long_file(&f);
    struct chunk c;
    parse_text(&f, METER_HH ",2024-06-01T00:30:00Z,0.215,A\n"
                   METER_HH ",2024-06-01T23:30:00Z,1.2345,E\n"
                   METER_H ",2024-06-02T01:00:00Z,2,\n", &c);
    assert_false(c.oom);
    assert_int_equal(c.lines, 3);
    assert_int_equal(c.nerrs, 0);
    assert_int_equal(c.nrows, 3);
    assert_int_equal(c.nrds, 3);
    int32_t june1 = (int32_t)days_from_civil(2024, 6, 1);
    const struct parsed_row *r = &c.rows[1];
    assert_int_equal(r->line, 3);
    assert_int_equal(r->first, 1);
    assert_int_equal(r->n, 1);
    assert_memory_equal(c.buf + r->off, METER_HH ",2024-06-01T23:30:00Z,1.2345,E", r->len);
    const struct parsed_reading *d = &c.rds[0];
    assert_int_equal(d->meter, 0);
    assert_int_equal(d->day, june1);
    assert_int_equal(d->slot, 1);
    assert_int_equal(d->wh, 215);
    assert_int_equal(d->quality, 'A');
    assert_int_equal(d->minutes, 30);
    assert_int_equal(d->column, 2);   /* the interval: timestamp */
    assert_int_equal(d->vcolumn, 3);  /* the value: kwh */
    d = &c.rds[1];
    assert_int_equal(d->slot, 47);
    assert_int_equal(d->wh, 1235);    /* half away from zero */
    assert_int_equal(d->quality, 'E');
    d = &c.rds[2];
    assert_int_equal(d->meter, 1);
    assert_int_equal(d->day, june1 + 1);
    assert_int_equal(d->slot, 1);     /* the hourly meter's second hour */
    assert_int_equal(d->minutes, 60);
    assert_int_equal(d->wh, 2000);
    assert_int_equal(d->quality, 'A'); /* empty quality is actual */
    assert_false(c.has_new);
    free_chunk(&c);
    free_file(&f);
}

static void test_each_loader_check_rejects_with_its_line_column_and_code(void **state)
{
    (void)state;
    struct fileload f;
    long_file(&f);
    struct chunk c;
    parse_text(&f, METER_HH ",2024-06-01T00:30:00Z,60.000,A\n"   /* 2: over 50000 Wh */
                   METER_NEW ",2024-06-01T00:30:00Z,0.1,A\n"     /* 3: not registered */
                   METER_H ",2024-06-01T00:30:00Z,0.1,A\n"       /* 4: hourly meter */
                   METER_HH ",2024-06-30T23:30:00Z,0.1,A\n"      /* 5: ends at NOW: fine */
                   METER_HH ",2024-07-01T00:00:00Z,0.1,A\n"      /* 6: ends after NOW */
                   "caf\xc3,2024-06-01T00:30:00Z,0.1,A\n"         /* 7: cut UTF-8 */
                   METER_HH ",2024-06-01T00:30:00Z,0.1\n", &c);  /* 8: three fields */
    assert_false(c.oom);
    assert_int_equal(c.lines, 7);
    assert_int_equal(c.nrows, 1);
    assert_int_equal(c.rows[0].line, 5);
    assert_int_equal(c.nerrs, 6);
    static const struct {
        int64_t line;
        const char *code, *name;
        int column;
    } want[6] = {
        { 2, RJ_VALUE_RANGE, "kwh", 3 },
        { 3, RJ_UNKNOWN_METER, "mpxn", 1 },
        { 4, RJ_MISALIGNED, "timestamp", 2 },
        { 6, RJ_FUTURE, "timestamp", 2 },
        { 7, RJ_ENCODING, "-", 0 },
        { 8, RJ_FIELD_COUNT, "-", 0 },
    };
    for (int i = 0; i < 6; i++) {
        const struct parsed_reject *e = &c.errs[i];
        assert_int_equal(e->line, want[i].line);
        assert_string_equal(e->code, want[i].code);
        assert_int_equal(e->column, want[i].column);
        assert_string_equal(reject_name(&c, e), want[i].name);
    }
    assert_string_equal(c.pool + c.errs[0].msg, "60.000 kWh in 30 minutes is more than meter "
                        METER_HH " can plausibly record (at most 50000 Wh)");
    assert_string_equal(c.pool + c.errs[1].msg, "meter " METER_NEW " is not in the registry "
                        "(register it, or load with --create-meters)");
    assert_string_equal(c.pool + c.errs[2].msg, "2024-06-01T00:30:00Z is not on a 60-minute "
                        "boundary (UTC) of meter " METER_H);
    assert_string_equal(c.pool + c.errs[4].msg, "the line is not valid UTF-8 (byte 4)");
    /* the raw line of a rejection is the line as read, without its newline */
    assert_memory_equal(c.buf + c.errs[1].off, METER_NEW ",2024-06-01T00:30:00Z,0.1,A",
                        c.errs[1].len);
    free_chunk(&c);
    free_file(&f);
}

static void test_fast_and_general_paths_leave_the_same_chunk(void **state)
{
    (void)state;
    const char *text = METER_HH ",2024-06-01T00:00:00Z,0.100,A\n"
                       METER_HH ",2024-06-01T00:30:00Z,0.101,A\n"
                       METER_HH ",2024-06-01T00:45:00Z,0.102,A\n"
                       METER_HH ",2024-06-01T01:00:00Z,99.000,A\n"
                       METER_H ",2024-06-01T01:00:00Z,0.5,E\n"
                       METER_HH ",2024-06-01T01:30:00Z,0.103,A";  /* no final newline */
    struct fileload f;
    long_file(&f);
    struct chunk fast, general;
    parse_text(&f, text, &fast);
    f.fast_lines = 0;
    parse_text(&f, text, &general);
    assert_int_equal(fast.nrows, 4);
    assert_int_equal(fast.nrows, general.nrows);
    assert_int_equal(fast.nrds, general.nrds);
    assert_int_equal(fast.nerrs, 2);
    assert_int_equal(fast.nerrs, general.nerrs);
    assert_memory_equal(fast.rows, general.rows, fast.nrows * sizeof *fast.rows);
    for (size_t i = 0; i < fast.nrds; i++) {
        const struct parsed_reading *a = &fast.rds[i], *b = &general.rds[i];
        assert_int_equal(a->meter, b->meter);
        assert_int_equal(a->day, b->day);
        assert_int_equal(a->wh, b->wh);
        assert_int_equal(a->slot, b->slot);
        assert_int_equal(a->quality, b->quality);
        assert_int_equal(a->minutes, b->minutes);
        assert_int_equal(a->column, b->column);
        assert_int_equal(a->vcolumn, b->vcolumn);
    }
    for (size_t i = 0; i < fast.nerrs; i++) {
        assert_int_equal(fast.errs[i].line, general.errs[i].line);
        assert_string_equal(fast.errs[i].code, general.errs[i].code);
        assert_int_equal(fast.errs[i].column, general.errs[i].column);
        assert_string_equal(fast.pool + fast.errs[i].msg, general.pool + general.errs[i].msg);
    }
    assert_int_equal(fast.errs[0].line, 4);
    assert_string_equal(fast.errs[0].code, RJ_MISALIGNED);
    assert_int_equal(fast.errs[1].line, 5);
    assert_string_equal(fast.errs[1].code, RJ_VALUE_RANGE);
    free_chunk(&fast);
    free_chunk(&general);
    free_file(&f);
}

static void test_meters_named_by_option_or_created_by_the_file(void **state)
{
    (void)state;
    struct fileload f;
    long_file(&f);
    f.create_meters = 1;
    struct chunk c;
    parse_text(&f, METER_NEW ",2024-06-01T00:30:00Z,0.1,A\n"
                   METER_HH ",2024-06-01T01:00:00Z,0.2,A\n", &c);
    assert_int_equal(c.nerrs, 0);
    assert_int_equal(c.nrds, 2);
    assert_true(c.has_new);
    /* a new meter: its id in the pool, its interval the reading's default (30) */
    assert_true(c.rds[0].meter & NEW_METER);
    assert_int_equal(c.rds[0].idlen, 13);
    assert_memory_equal(c.pool + (c.rds[0].meter & ~NEW_METER), METER_NEW, 13);
    assert_int_equal(c.rds[0].minutes, 30);
    assert_int_equal(c.rds[1].meter, 0);
    free_chunk(&c);

    /* --meter: every reading is the named meter's, whatever the row says */
    f.create_meters = 0;
    f.meter_opt.given = 1;
    f.meter_opt.index = 1;
    memcpy(f.meter_opt.id, METER_H, 13);
    f.meter_opt.idlen = 13;
    parse_text(&f, METER_NEW ",2024-06-01T01:00:00Z,0.1,A\n", &c);
    assert_int_equal(c.nerrs, 0);
    assert_int_equal(c.nrds, 1);
    assert_int_equal(c.rds[0].meter, 1);
    assert_int_equal(c.rds[0].minutes, 60);
    free_chunk(&c);

    /* --meter naming an unregistered meter: rejected, and no column is to blame */
    f.meter_opt.index = -1;
    memcpy(f.meter_opt.id, METER_NEW, 13);
    parse_text(&f, METER_HH ",2024-06-01T01:00:00Z,0.1,A\n", &c);
    assert_int_equal(c.nrds, 0);
    assert_int_equal(c.nerrs, 1);
    assert_string_equal(c.errs[0].code, RJ_UNKNOWN_METER);
    assert_int_equal(c.errs[0].column, 0);
    assert_int_equal(c.errs[0].name, NO_NAME);
    free_chunk(&c);
    free_file(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted_readings_carry_day_slot_value_and_columns),
        cmocka_unit_test(test_each_loader_check_rejects_with_its_line_column_and_code),
        cmocka_unit_test(test_fast_and_general_paths_leave_the_same_chunk),
        cmocka_unit_test(test_meters_named_by_option_or_created_by_the_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
