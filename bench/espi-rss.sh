#!/bin/sh
# bench/espi-rss.sh [MB] - the Green Button reader on a feed of MB megabytes (default 2048):
# peak RSS and speed against libxml2's own xmlTextReader walking the same file, in one run
# (bench/bench_espi.c; no database: the loader's own memory is bench/memory.sh's).
#
# The feed is shaped like a utility's bulk export: one ReadingType (Wh, hourly), then
# UsagePoint after UsagePoint, each with a year of daily IntervalBlock entries carrying
# their Atom id, links, title and dates, until the file reaches MB. Written to BENCH_DIR
# (default TMPDIR), deleted at the end. Environment: BUILD (default build/).
set -eu
mb=${1:-2048}
srcdir=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$srcdir/build}
make -s -C "$build" bench/bench_espi >/dev/null
work=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/mo-espi-rss.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

awk -v limit="$((mb * 1048576))" 'BEGIN {
    ns = "http://naesb.org/espi"
    printf "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:espi=\"%s\">\n<id>urn:uuid:bulk</id><title>Bulk export</title>\n", ns
    print "<entry><id>urn:uuid:rt-1</id><link rel=\"self\" href=\"/espi/1_1/resource/ReadingType/1\"/><title>Energy Delivered (Wh)</title><content><espi:ReadingType><espi:accumulationBehaviour>4</espi:accumulationBehaviour><espi:commodity>1</espi:commodity><espi:flowDirection>1</espi:flowDirection><espi:intervalLength>3600</espi:intervalLength><espi:powerOfTenMultiplier>0</espi:powerOfTenMultiplier><espi:uom>72</espi:uom></espi:ReadingType></content></entry>"
    bytes = 600; t0 = 1672531200 # 2023-01-01
    for (u = 1; bytes < limit; u++) {
        s = sprintf("<entry><id>urn:uuid:up-%d</id><link rel=\"self\" href=\"/espi/1_1/resource/Subscription/%d/UsagePoint/1\"/><title>Service %d</title><content><espi:UsagePoint><espi:ServiceCategory><espi:kind>0</espi:kind></espi:ServiceCategory></espi:UsagePoint></content></entry>", u, u, u)
        print s; bytes += length(s) + 1
        for (d = 0; d < 365 && bytes < limit; d++) {
            day = t0 + d * 86400
            s = sprintf("<entry><id>urn:uuid:ib-%d-%d</id><link rel=\"self\" href=\"/espi/1_1/resource/Subscription/%d/UsagePoint/1/MeterReading/1/IntervalBlock/%d\"/><link rel=\"up\" href=\"/espi/1_1/resource/Subscription/%d/UsagePoint/1/MeterReading/1/IntervalBlock\"/><title>Day %d</title><published>2024-01-01T00:00:00Z</published><updated>2024-01-01T00:00:00Z</updated><content><espi:IntervalBlock><espi:interval><espi:duration>86400</espi:duration><espi:start>%d</espi:start></espi:interval>", u, d, u, d, u, d, day)
            for (h = 0; h < 24; h++)
                s = s sprintf("\n<espi:IntervalReading><espi:timePeriod><espi:duration>3600</espi:duration><espi:start>%d</espi:start></espi:timePeriod><espi:value>%d</espi:value></espi:IntervalReading>", day + h * 3600, (u * 31 + d * 7 + h * 13) % 900 + 100)
            s = s "</espi:IntervalBlock></content></entry>"
            print s; bytes += length(s) + 1
        }
    }
    print "</feed>"
}' >"$work/feed.xml"
echo "feed: $(wc -c <"$work/feed.xml") bytes"
"$build/bench/bench_espi" "$work/feed.xml"
