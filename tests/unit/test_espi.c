/* The Green Button reader (espi.h) on the real feeds in tests/fixtures/realdata
 * (SOURCES.md 1b-1g), their parsers' expected results, and hostile files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backend/espi.h"
#include "backend/xsd.h"
#include "backend/reader.h"

struct tally {
    int64_t ok, refused;
    int64_t wh[2], n[2];
    const char *first_code;
    char first_message[256];
    long first_line;
    int estimated;
};

static int on_reading(void *ctx, const struct doc_reading *r)
{
    struct tally *t = ctx;
    if (r->code) {
        if (!t->refused++) {
            t->first_code = r->code;
            snprintf(t->first_message, sizeof t->first_message, "%s", r->message);
            t->first_line = r->line;
        }
        return 0;
    }
    t->ok++;
    t->wh[r->channel] += r->wh;
    t->n[r->channel]++;
    t->estimated += r->quality == 'E';
    return 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b)
        b[n] = '\0';
    *len = (size_t)n;
    return b;
}

static const char *fixture(char *buf, size_t len, const char *rel)
{
    const char *src = getenv("MO_SRCDIR");
    snprintf(buf, len, "%s/tests/fixtures/realdata/%s", src ? src : ".", rel);
    return buf;
}

/* Reads a fixture; returns espi_read_memory's result. */
static int read_fixture(const char *rel, const struct espi_opts *o, struct tally *t,
                        struct espi_info *info, struct mo_err *err)
{
    char path[1024];
    size_t len;
    char *b = slurp(fixture(path, sizeof path, rel), &len);
    if (!b)
        fail_msg("cannot read %s (is MO_SRCDIR set?)", path);
    memset(t, 0, sizeof *t);
    mo_err_clear(err);
    const struct doc_sink sink = { t, on_reading };
    int rc = espi_read_memory(b, len, path, o, &sink, info, err);
    free(b);
    return rc;
}

static int read_text(const char *xml, struct tally *t, struct mo_err *err)
{
    memset(t, 0, sizeof *t);
    mo_err_clear(err);
    const struct doc_sink sink = { t, on_reading };
    return espi_read_memory(xml, strlen(xml), "t.xml", NULL, &sink, NULL, err);
}

/* The oracle: greenbutton_objects' expected results, one "...: N Wh" line per reading. */
static void expected_totals(const char *rel, int64_t *n, int64_t *wh)
{
    char path[1024];
    size_t len;
    char *b = slurp(fixture(path, sizeof path, rel), &len);
    if (!b)
        fail_msg("cannot read %s", path);
    *n = *wh = 0;
    for (char *line = strtok(b, "\n"); line; line = strtok(NULL, "\n")) {
        char *u = strstr(line, " Wh");
        if (!u)
            continue;
        char *p = u;
        while (p > line && p[-1] >= '0' && p[-1] <= '9')
            p--;
        *wh += strtoll(p, NULL, 10);
        (*n)++;
    }
    free(b);
}

static void check_against_expected(const char *xml, const char *txt)
{
    struct tally t;
    struct espi_info info;
    struct mo_err err;
    assert_int_equal(read_fixture(xml, NULL, &t, &info, &err), 0);
    int64_t n, wh;
    expected_totals(txt, &n, &wh);
    assert_true(n > 0);
    assert_int_equal(t.ok, n);
    assert_int_equal(t.refused, 0);
    assert_int_equal(t.wh[0], wh);
}

static void test_coastal_year_matches_expected_results(void **state)
{
    (void)state;
    check_against_expected("greenbutton-gba-samples/Coastal_Multi_Family_Jan_1_2011_to_Jan_1_2012_RetailCustomer_5.xml",
                           "greenbutton-gba-samples/expected_results/Coastal_Multi_Family_Jan_1_2011_to_Jan_1_2012_RetailCustomer_5.txt");
}

static void test_nine_days_and_containerized_match_expected_results(void **state)
{
    (void)state;
    check_against_expected("greenbutton-gba-samples/TestGBDataHourlyNineDaysBinnedDaily.xml",
                           "greenbutton-gba-samples/expected_results/TestGBDataHourlyNineDaysBinnedDaily.txt");
    check_against_expected("greenbutton-gba-samples/electric_containerized.xml",
                           "greenbutton-gba-samples/expected_results/electric_containerized.txt");
}

static void test_daily_blocks_same_year_as_monthly(void **state)
{
    (void)state;
    struct tally t;
    struct espi_info info;
    struct mo_err err;
    assert_int_equal(read_fixture("greenbutton-gba-samples/Coastal_Multi_Family_Daily_Jan_1_2011_to_Jan_1_2012_RetailCustomer_4.xml",
                                  NULL, &t, &info, &err), 0);
    assert_int_equal(t.ok, 8760);
    assert_int_equal(t.wh[0], 4425305);
    assert_int_equal(info.blocks, 365);
    assert_int_equal(info.tz_offset, -28800);
    assert_string_equal(info.dst_start_rule, "360E2000");
}

static void test_daily_readings_refused_as_interval_unsupported(void **state)
{
    (void)state;
    struct tally t;
    struct mo_err err;
    int64_t n, wh;
    assert_int_equal(read_fixture("greenbutton-gba-samples/TestGBDataOneYearDailyBinnedMonthly.xml",
                                  NULL, &t, NULL, &err), 0);
    expected_totals("greenbutton-gba-samples/expected_results/TestGBDataOneYearDailyBinnedMonthly.txt",
                    &n, &wh);
    assert_int_equal(t.refused, n);
    assert_int_equal(t.ok, 0);
    assert_string_equal(t.first_code, RJ_ESPI_INTERVAL);
}

static void test_reading_type_after_its_blocks(void **state)
{
    (void)state;
    struct tally t;
    struct mo_err err;
    /* the SDK samples give the ReadingType at the end of the feed */
    assert_int_equal(read_fixture("greenbutton-sdk-demo/hourlyForMonthNov.xml", NULL, &t, NULL, &err), 0);
    assert_int_equal(t.ok, 721);
    assert_int_equal(t.refused, 0);
}

static void test_power_of_ten_three_is_kwh(void **state)
{
    (void)state;
    struct tally t;
    struct mo_err err;
    assert_int_equal(read_fixture("greenbutton-sdk-demo/GETBatchSampleEUI_InitialSDK_2012.xml",
                                  NULL, &t, NULL, &err), 0);
    assert_int_equal(t.ok, 768);
    assert_int_equal(t.wh[0] % 1000, 0);
    assert_int_equal(t.wh[0], 2882000);
}

static void test_flow_direction_19_is_export(void **state)
{
    (void)state;
    struct tally t;
    struct mo_err err;
    assert_int_equal(read_fixture("greenbutton-sdk-demo/BatchFeedThreeUsagePoints_M.xml", NULL,
                                  &t, NULL, &err), 0);
    assert_int_equal(t.n[0] + t.n[1], 384);
    assert_int_equal(t.n[1], 192); /* two of the four MeterReadings are flowDirection 19 */
    assert_int_equal(t.wh[1], 30195);
    assert_int_equal(t.wh[0], 181365);
}

static void test_any_prefix_with_unit_named(void **state)
{
    (void)state;
    struct tally t;
    struct mo_err err;
    /* ns0:/ns1: prefixes and no ReadingType: refused until the unit is named */
    assert_int_equal(read_fixture("greenbutton-verdigris-utility-fixtures/PGEIntervalBlock.xml",
                                  NULL, &t, NULL, &err), -1);
    assert_string_equal(err.code, "espi_unit");
    assert_true(err.line > 0);
    assert_non_null(strstr(err.message, "--unit"));
    const struct espi_opts wh = { .default_uom = ESPI_UOM_WH, .default_p10 = 0 };
    assert_int_equal(read_fixture("greenbutton-verdigris-utility-fixtures/PGEIntervalBlock.xml",
                                  &wh, &t, NULL, &err), 0);
    assert_int_equal(t.ok, 2556);
    assert_int_equal(t.estimated, 0);
    /* espi: prefix declared on each entry */
    assert_int_equal(read_fixture("greenbutton-verdigris-utility-fixtures/ESPIIntervalBlock.xml",
                                  &wh, &t, NULL, &err), 0);
    assert_int_equal(t.refused, 444);
}

static void test_gas_and_water_refused_by_unit(void **state)
{
    (void)state;
    struct tally t;
    struct mo_err err;
    assert_int_equal(read_fixture("greenbutton-sdk-demo/Gas.xml", NULL, &t, NULL, &err), 0);
    assert_int_equal(t.ok, 0);
    assert_string_equal(t.first_code, RJ_ESPI_UNIT);
    assert_non_null(strstr(t.first_message, "169 (therm)"));
    assert_int_equal(read_fixture("greenbutton-sdk-demo/Water.xml", NULL, &t, NULL, &err), 0);
    assert_non_null(strstr(t.first_message, "US gallons"));
    /* an empty ReadingType: no unit, not guessed */
    assert_int_equal(read_fixture("greenbutton-gba-samples/ngma_gas_provider_2024-07-16.xml",
                                  NULL, &t, NULL, &err), -1);
    assert_string_equal(err.code, "espi_unit");
}

static void test_files_without_readings_say_so(void **state)
{
    (void)state;
    struct tally t;
    struct mo_err err;
    assert_int_equal(read_fixture("greenbutton-verdigris-utility-fixtures/PGEReadingType.xml",
                                  NULL, &t, NULL, &err), -1);
    assert_string_equal(err.code, "no_readings");
    assert_non_null(strstr(err.message, "48 ReadingTypes"));
    assert_int_equal(read_fixture("greenbutton-openespi-fixtures/ServiceCategory.xml", NULL, &t,
                                  NULL, &err), -1);
    assert_string_equal(err.code, "not_espi");
    assert_non_null(strstr(err.message, "XML, not a Green Button feed"));
    assert_int_equal(read_fixture("greenbutton-verdigris-utility-fixtures/PGEUsageSummary.xml",
                                  NULL, &t, NULL, &err), -1);
    assert_string_equal(err.code, "xml_syntax");
    assert_int_equal(err.line, 1);
}

#define FEED_HEAD "<feed xmlns='http://www.w3.org/2005/Atom'><entry><content>" \
    "<ReadingType xmlns='http://naesb.org/espi'><flowDirection>1</flowDirection>" \
    "<powerOfTenMultiplier>-3</powerOfTenMultiplier><uom>72</uom></ReadingType>" \
    "</content></entry><entry><content><IntervalBlock xmlns='http://naesb.org/espi'>"
#define FEED_TAIL "</IntervalBlock></content></entry></feed>"
#define READING(start, v) "<IntervalReading><timePeriod><duration>1800</duration><start>" \
    #start "</start></timePeriod><value>" #v "</value></IntervalReading>"

static void test_multiplier_converted_exactly(void **state)
{
    (void)state;
    struct tally t;
    struct mo_err err;
    /* 1500 mWh is 1.5 Wh: rounded half away from zero, once, from the integer */
    assert_int_equal(read_text(FEED_HEAD READING(1700000000, 1500) READING(1700001800, 1499)
                               READING(1700003600, 999999999999) FEED_TAIL, &t, &err), 0);
    assert_int_equal(t.ok, 3);
    assert_int_equal(t.wh[0], 2 + 1 + 1000000000);
}

static void test_fractional_start_refused(void **state)
{
    (void)state;
    struct tally t;
    struct mo_err err;
    assert_int_equal(read_text(FEED_HEAD READING(1700000000.5, 10) FEED_TAIL, &t, &err), 0);
    assert_int_equal(t.refused, 1);
    assert_string_equal(t.first_code, RJ_TIMESTAMP);
}

static void test_billion_laughs_refused_unread(void **state)
{
    (void)state;
    struct tally t;
    struct mo_err err;
    const char *bomb =
        "<?xml version='1.0'?>\n<!-- a comment first -->\n<!DOCTYPE lolz [\n"
        "<!ENTITY lol 'lol'>\n<!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>\n"
        "<!ENTITY lol3 '&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'>\n"
        "<!ENTITY lol9 '&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;'>\n]>\n"
        "<feed xmlns='http://www.w3.org/2005/Atom'>&lol9;</feed>\n";
    assert_int_equal(read_text(bomb, &t, &err), -1);
    assert_string_equal(err.code, "xml_dtd");
    assert_string_equal(err.file, "t.xml");
    assert_int_equal(t.ok + t.refused, 0);
}

static void test_external_entity_refused(void **state)
{
    (void)state;
    struct tally t;
    struct mo_err err;
    const char *xxe = "<?xml version='1.0'?><!DOCTYPE feed [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                      "<feed xmlns='http://www.w3.org/2005/Atom'>&x;</feed>";
    assert_int_equal(read_text(xxe, &t, &err), -1);
    assert_string_equal(err.code, "xml_dtd");
    /* an entity used without a DTD is not well-formed, and nothing is fetched */
    assert_int_equal(read_text("<feed xmlns='http://www.w3.org/2005/Atom'>&x;</feed>", &t, &err), -1);
    assert_string_equal(err.code, "xml_syntax");
    assert_int_equal(err.line, 1);
}

static void test_deep_nesting_refused_with_position(void **state)
{
    (void)state;
    struct tally t;
    struct mo_err err;
    size_t depth = 100000;
    char *x = malloc(depth * 3 + 200);
    size_t n = (size_t)sprintf(x, "<feed xmlns='http://www.w3.org/2005/Atom'>\n");
    for (size_t i = 0; i < depth; i++)
        memcpy(x + n, "<a>", 3), n += 3;
    x[n] = '\0';
    assert_int_equal(read_text(x, &t, &err), -1);
    free(x);
    assert_string_equal(err.code, "xml_limit");
    assert_int_equal(err.line, 2);
    assert_true(err.column > 0);
}

static void test_long_name_and_text_refused(void **state)
{
    (void)state;
    struct tally t;
    struct mo_err err;
    char name[300], x[20000];
    memset(name, 'n', 200);
    name[200] = '\0';
    snprintf(x, sizeof x, "<feed xmlns='http://www.w3.org/2005/Atom'><%s/></feed>", name);
    assert_int_equal(read_text(x, &t, &err), -1);
    assert_string_equal(err.code, "xml_limit");
    int k = snprintf(x, sizeof x, "<feed xmlns='http://www.w3.org/2005/Atom'><title>");
    memset(x + k, 'a', 10000);
    snprintf(x + k + 10000, sizeof x - (size_t)k - 10000, "</title></feed>");
    assert_int_equal(read_text(x, &t, &err), -1);
    assert_string_equal(err.code, "xml_limit");
}

static void test_utf16_refused(void **state)
{
    (void)state;
    struct tally t;
    struct mo_err err;
    const char x[] = "\xff\xfe<\0f\0e\0e\0d\0>\0";
    const struct doc_sink sink = { &t, on_reading };
    memset(&t, 0, sizeof t);
    assert_int_equal(espi_read_memory(x, sizeof x - 1, "u.xml", NULL, &sink, NULL, &err), -1);
    assert_string_equal(err.code, "xml_encoding");
}

static void test_sniff(void **state)
{
    (void)state;
    const char *feed = "\xef\xbb\xbf<?xml version='1.0'?>\n<!-- c -->\n<ns1:feed xmlns:ns1='http://www.w3.org/2005/Atom' xmlns:ns0='http://naesb.org/espi'>";
    assert_int_equal(espi_sniff(feed, strlen(feed)), 1);
    assert_int_equal(espi_sniff("<root/>", 7), 2);
    assert_int_equal(espi_sniff("{\"count\": 1}", 12), 0);
    assert_int_equal(espi_sniff("mpxn,timestamp,kwh\n", 19), 0);
}

/* --xsd: each real sample against the built-in ESPI schema. The verdicts are xmllint's
 * (`xmllint --nonet --schema schemas/espi/espiDerived.xsd`): these 10 are invalid, the
 * other 28 valid; a valid one then reads as without the schema. ServiceCategory.xml and
 * PGEUsageSummary.xml, whose roots are not a feed, are refused as not_espi first. */
static const char *const xsd_invalid_samples[] = {
    "greenbutton-gba-samples/TestGBDataHourlyNineDaysBinnedDaily.xml",
    "greenbutton-gba-samples/gas_containerized.xml",
    "greenbutton-gba-samples/gas_direct.xml",
    "greenbutton-gba-samples/ngma_gas_provider_2024-07-16.xml",
    "greenbutton-gba-samples/ngma_natural_gas_billing_billing_data_Service_1_1_2021-05-26_to_2024-04-25.xml",
    "greenbutton-openespi-fixtures/ServiceCategory.xml",
    "greenbutton-openespi-fixtures/Usage-Subscription-Feed-Anonymized.xml",
    "greenbutton-verdigris-utility-fixtures/BulkSCEIntervalBlock.xml",
    "greenbutton-verdigris-utility-fixtures/BulkSCEUsageSummaryAndIntervalBlock.xml",
    "greenbutton-verdigris-utility-fixtures/PGEUsageSummary.xml",
};

static void test_xsd_verdicts_match_xmllint(void **state)
{
    (void)state;
    struct mo_err err;
    struct xsd *sc = xsd_load(XSD_ESPI, &err);
    assert_non_null(sc);
    char dir[1024], cmd[1200];
    snprintf(cmd, sizeof cmd, "cd '%s' && ls greenbutton-*/*.xml", fixture(dir, sizeof dir, ""));
    FILE *ls = popen(cmd, "r");
    assert_non_null(ls);
    char rel[512];
    int n = 0, invalid = 0, schema_refused = 0;
    while (fgets(rel, sizeof rel, ls)) {
        rel[strcspn(rel, "\n")] = '\0';
        int expect = 0;
        for (size_t i = 0; i < sizeof xsd_invalid_samples / sizeof xsd_invalid_samples[0]; i++)
            expect |= strcmp(rel, xsd_invalid_samples[i]) == 0;
        struct espi_opts o = { .schema = xsd_schema(sc) };
        struct tally t;
        read_fixture(rel, &o, &t, NULL, &err);
        int by_schema = strcmp(err.code, "xsd_invalid") == 0;
        int got = by_schema || (expect && strcmp(err.code, "not_espi") == 0);
        schema_refused += by_schema;
        if (got != expect)
            fail_msg("%s: %s by the schema (%s: %s)", rel, got ? "refused" : "not refused", err.code, err.message);
        if (got && strcmp(err.code, "xsd_invalid") == 0 && (err.line < 1 || err.column < 1))
            fail_msg("%s: xsd_invalid without a line and column", rel);
        n++, invalid += got;
    }
    pclose(ls);
    assert_int_equal(n, 38);
    assert_int_equal(invalid, 10);
    assert_int_equal(schema_refused, 8);
    xsd_free(sc);
}

static void test_xsd_violation_named_at_its_line(void **state)
{
    (void)state;
    struct mo_err err;
    struct xsd *sc = xsd_load(XSD_ESPI, &err);
    assert_non_null(sc);
    const char *xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
        "<id>urn:uuid:1</id><title>t</title><updated>2024-01-01T00:00:00Z</updated>\n"
        "<entry><id>urn:uuid:2</id><title>t</title><updated>2024-01-01T00:00:00Z</updated><content>\n"
        "<IntervalBlock xmlns=\"http://naesb.org/espi\"><interval><duration>3600</duration><start>1293840000</start></interval>\n"
        "<IntervalReading><timePeriod><duration>3600</duration><start>1293840000</start></timePeriod><value>5</value></IntervalReading>\n"
        "<IntervalReading><timePeriod><duration>3600</duration><start>1293843600</start></timePeriod><valeu>5</valeu></IntervalReading>\n"
        "</IntervalBlock></content></entry></feed>\n";
    struct espi_opts o = { .schema = xsd_schema(sc), .default_uom = ESPI_UOM_WH };
    struct tally t;
    memset(&t, 0, sizeof t);
    mo_err_clear(&err);
    const struct doc_sink sink = { &t, on_reading };
    assert_int_equal(espi_read_memory(xml, strlen(xml), "v.xml", &o, &sink, NULL, &err), -1);
    assert_string_equal(err.code, "xsd_invalid");
    assert_int_equal(err.line, 7);
    assert_true(err.column > 0);
    assert_non_null(strstr(err.message, "valeu"));
    assert_int_equal(t.ok + t.refused, 0); /* refused before any reading reaches the loader */
    /* without the schema the same feed reads (the misspelt element is ignored) */
    o.schema = NULL;
    memset(&t, 0, sizeof t);
    mo_err_clear(&err);
    assert_int_equal(espi_read_memory(xml, strlen(xml), "v.xml", &o, &sink, NULL, &err), 0);
    xsd_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_coastal_year_matches_expected_results),
        cmocka_unit_test(test_nine_days_and_containerized_match_expected_results),
        cmocka_unit_test(test_daily_blocks_same_year_as_monthly),
        cmocka_unit_test(test_daily_readings_refused_as_interval_unsupported),
        cmocka_unit_test(test_reading_type_after_its_blocks),
        cmocka_unit_test(test_power_of_ten_three_is_kwh),
        cmocka_unit_test(test_flow_direction_19_is_export),
        cmocka_unit_test(test_any_prefix_with_unit_named),
        cmocka_unit_test(test_gas_and_water_refused_by_unit),
        cmocka_unit_test(test_files_without_readings_say_so),
        cmocka_unit_test(test_multiplier_converted_exactly),
        cmocka_unit_test(test_fractional_start_refused),
        cmocka_unit_test(test_billion_laughs_refused_unread),
        cmocka_unit_test(test_external_entity_refused),
        cmocka_unit_test(test_deep_nesting_refused_with_position),
        cmocka_unit_test(test_long_name_and_text_refused),
        cmocka_unit_test(test_utf16_refused),
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_xsd_verdicts_match_xmllint),
        cmocka_unit_test(test_xsd_violation_named_at_its_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
