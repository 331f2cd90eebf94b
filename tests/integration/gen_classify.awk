# gen_classify.awk - an independent referee for `meterops gen --error-rate`: reads
# meters.csv, then readings files (long or wide, told by the header), and prints
# "file,line,column,code" for every data line that fails a check of the shared
# validation contract, naming the FIRST failing check in the contract's order (field
# count, meter id syntax / check digit, timestamp, value, unknown meter, alignment,
# duplicates against earlier clean lines). Written without the C code it checks, so the
# manifest can be compared with what a strict loader must find.
# Usage: awk -f gen_classify.awk meters.csv readings*.csv   (POSIX awk; no regex intervals)
BEGIN {
    FS = ","
    split("3 5 7 13 17 19 23 29 31 37 41 43", W, " ")
    split("31 28 31 30 31 30 31 31 30 31 30 31", DIM, " ")
}

function digits(s) { return s != "" && s !~ /[^0-9]/ }

function mpxn_code(m,    core, sum, i) {
    if (!digits(m)) return "mpxn_syntax"
    if (length(m) == 13 || length(m) == 21) {
        core = substr(m, length(m) - 12)
        sum = 0
        for (i = 1; i <= 12; i++) sum += substr(core, i, 1) * W[i]
        return (sum % 11) % 10 == substr(core, 13, 1) + 0 ? "" : "mpan_check_digit"
    }
    if (length(m) == 11 && substr(m, 1, 2) == "10") return ""      # Irish MPRN
    if (length(m) >= 6 && length(m) <= 10 && substr(m, 1, 1) != "0") return ""
    return "mpxn_syntax"
}

# the meter a valid id names: a full MPAN is its core (doc/formats.md, Meter identifiers)
function one(m) { return length(m) == 21 ? substr(m, 9) : m }

function date_ok(d,    y, mo, dd, dim) {
    if (length(d) != 10 || substr(d, 5, 1) != "-" || substr(d, 8, 1) != "-") return 0
    y = substr(d, 1, 4); mo = substr(d, 6, 2); dd = substr(d, 9, 2)
    if (!digits(y) || !digits(mo) || !digits(dd)) return 0
    mo += 0; dd += 0; y += 0
    if (mo < 1 || mo > 12) return 0
    dim = DIM[mo]
    if (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) dim = 29
    return dd >= 1 && dd <= dim
}

# ISO 8601 UTC "YYYY-MM-DDTHH:MM:SSZ" (the only form gen writes for clean lines).
function ts_ok(t,    hh, mi, ss) {
    if (length(t) != 20 || substr(t, 11, 1) != "T" || substr(t, 14, 1) != ":" ||
        substr(t, 17, 1) != ":" || substr(t, 20, 1) != "Z") return 0
    if (!date_ok(substr(t, 1, 10))) return 0
    hh = substr(t, 12, 2); mi = substr(t, 15, 2); ss = substr(t, 18, 2)
    if (!digits(hh) || !digits(mi) || !digits(ss)) return 0
    return hh + 0 <= 23 && mi + 0 <= 59 && ss + 0 <= 59
}

function value_code(v) {
    if (v == "") return "value_missing"
    if (v !~ /^-?[0-9]+(\.[0-9]+)?$/) return "value_syntax"
    if (v + 0 < 0 || v + 0 > 50) return "value_range"   # 100 kWh/h over half an hour
    return ""
}

function out(col, code) { print base "," FNR "," col "," code; bad++ }

FILENAME ~ /meters\.csv$/ { if (FNR > 1) known[one($1)] = 1; next }

FNR == 1 {
    base = FILENAME; sub(/.*\//, "", base)
    wide = $2 == "date"
    for (i = 1; i <= NF; i++) H[i] = $i
    next
}

!wide {
    if (NF != 4) { out("", "field_count"); next }
    c = mpxn_code($1); if (c != "") { out("mpxn", c); next }
    if (!ts_ok($2)) { out("timestamp", "timestamp_syntax"); next }
    c = value_code($3); if (c != "") { out("kwh", c); next }
    if (!(one($1) in known)) { out("mpxn", "unknown_meter"); next }
    if (substr($2, 18, 2) != "00" || (substr($2, 15, 2) != "00" && substr($2, 15, 2) != "30")) {
        out("timestamp", "misaligned_interval"); next
    }
    if ($4 != "A" && $4 != "E") { out("quality", "quality"); next }
    key = base SUBSEP one($1) SUBSEP $2
    if (key in seen) { out("kwh", seen[key] == $3 ? "duplicate_identical" : "duplicate_conflict"); next }
    seen[key] = $3
    clean++
    next
}

{
    if (NF != 50) { out("", "field_count"); next }
    c = mpxn_code($1); if (c != "") { out("mpxn", c); next }
    if (!date_ok($2)) { out("date", "timestamp_syntax"); next }
    c = ""
    present = 0
    for (i = 3; i <= NF; i++) {
        if ($i == "") continue   # an empty cell is a missing interval
        present++
        c = value_code($i)
        if (c != "") { col = H[i]; break }
    }
    if (c != "") { out(col, c); next }
    if (present == 0) { out("", "value_missing"); next }
    if (!(one($1) in known)) { out("mpxn", "unknown_meter"); next }
    key = base SUBSEP one($1) SUBSEP $2
    if (key in seen) {
        # gen's duplicate rows keep the earlier row's empty cells and change every value.
        same = 0; shape = 1
        for (i = 3; i <= NF; i++) {
            if (($i == "") != (seen[key, i] == "")) shape = 0
            else if ($i != "" && seen[key, i] == $i) same++
        }
        if (!shape) c = "duplicate_other_cells"
        else if (same == present) c = "duplicate_identical"
        else if (same == 0) c = "duplicate_conflict"
        else c = "duplicate_partly_same"
        # named by the first present cell, where the loader meets the first conflict
        col = ""
        for (i = 3; i <= NF && col == ""; i++) if ($i != "") col = H[i]
        out(col, c)
        next
    }
    seen[key] = 1
    for (i = 3; i <= NF; i++) seen[key, i] = $i
    clean++
}
