# realdata_expected.sh - figures computed from the raw real files by awk, with exact decimal
# arithmetic on the digit strings and no code shared with the readers or the loader.
# Sourced by the reader and loader tests that check their totals against these.

# Wh of a decimal string: kWh * 1000 (or, halve=1, average kW over half an hour * 500),
# rounded half away from zero. Fractions are padded to 9 digits so the value is an exact
# integer count of nano-units (< 2^53 for any plausible reading).
AWK_WH='
function wh(v, halve,   n, p, ip, fp, u) {
    n = split(v, p, ".")
    ip = p[1]; fp = (n > 1) ? p[2] : ""
    fp = substr(fp "000000000", 1, 9)
    u = ip * 1000000000 + fp
    if (halve) return int((u + 1000000) / 2000000)
    return int((u + 500000) / 1000000)
}'

# LCL: last field is the value (space-padded); Null rows are value_missing.
lcl_expected() {
    awk -F, "$AWK_WH"'
    { sub(/\r$/, "") }
    NR == 1 { next }
    { rows++; v = $NF; gsub(/ /, "", v)
      if (v == "Null" || v == "") { printf "reject %d %d value_missing\n", NR, NF; next }
      n++; sum += wh(v, 0) }
    END { printf "rows %d\nreadings %d\nch0.readings %d\nch0.wh %.0f\nch0.distinct %d\n", rows, n, n, sum, n }' "$1"
}

# ESB: channel from the Read Type, kW rows halved; every row must be its own instant.
esb_expected() {
    awk -F, "$AWK_WH"'
    { sub(/\r$/, "") }
    NR == 1 { next }
    { rows++; ch = ($4 ~ /Export/) ? 1 : 0; n[ch]++; sum[ch] += wh($3, $4 ~ /\(kW\)$/) }
    END { printf "rows %d\nreadings %d\n", rows, n[0] + n[1]
          for (c = 0; c < 2; c++)
              printf "ch%d.readings %d\nch%d.wh %.0f\nch%d.distinct %d\n", c, n[c], c, sum[c], c, n[c] }' "$1"
}

