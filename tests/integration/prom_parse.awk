# prom_parse.awk - a strict reader of the Prometheus text exposition format (version 0.0.4),
# for tests/integration/status_checks.sh where promtool is absent (and beside it): prints
# "ok SAMPLES" or the first offending line as "bad LINE: why", exit 0 or 1.
#   # HELP name text        text escapes only \\ and \n
#   # TYPE name kind        once per name, before its samples
#   name{label="value",...} value [timestamp]
# Label values escape \\, \" and \n; a series (name and labels) appears once; every
# sample's family has a TYPE line.
function bad(why) { printf "bad %d: %s: %s\n", NR, why, $0; failed = 1; exit 1 }
BEGIN {
    name = "[a-zA-Z_:][a-zA-Z0-9_:]*"
    lname = "[a-zA-Z_][a-zA-Z0-9_]*"
    lvalue = "\"([^\"\\\\]|\\\\[\\\\\"n])*\""
    pair = lname "=" lvalue
    number = "([-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?|[-+]?Inf|NaN)"
    sample_re = "^" name "(\\{(" pair "(," pair ")*,?)?\\})? " number "( -?[0-9]+)?$"
    samples = 0
}
/^# HELP / {
    if ($3 !~ ("^" name "$")) bad("HELP names no metric")
    if (help[$3]++) bad("a second HELP for " $3)
    text = $0; sub(/^# HELP [^ ]+ ?/, "", text)
    gsub(/\\\\|\\n/, "", text)
    if (text ~ /\\/) bad("HELP text with an escape other than \\\\ and \\n")
    next
}
/^# TYPE / {
    if (NF != 4 || $3 !~ ("^" name "$")) bad("TYPE line is not '# TYPE name kind'")
    if ($4 !~ /^(counter|gauge|histogram|summary|untyped)$/) bad("unknown TYPE " $4)
    if (type[$3]) bad("a second TYPE for " $3)
    if (seen_family[$3]) bad("TYPE after samples of " $3)
    type[$3] = $4
    next
}
/^#/ { next }
/^$/ { bad("empty line") }
{
    if ($0 !~ sample_re) bad("not a sample line")
    metric = $0; sub(/[{ ].*/, "", metric)
    family = metric
    if (!(family in type)) {
        f = family; sub(/_(sum|count|bucket|total|created)$/, "", f)
        if (!(f in type)) bad("sample of " metric " with no TYPE line")
        family = f
    }
    seen_family[family] = 1
    series = $0; sub(/ [^ ]+( -?[0-9]+)?$/, "", series)
    if (series in seen) bad("the same series twice")
    seen[series] = 1
    samples++
}
END { if (!failed) print "ok " samples }
