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
# Wh are exact to the source (doc/formats.md, esb-hdf "Value"): a channel's total is the
# file's exact energy (counted in half-microwatt-hours, exact in a double) rounded once,
# a half to the even Wh (esb_exact prints the exact total).
esb_expected() {
    awk -F, '
    function units(v, halve,   n, p, fp) {
        n = split(v, p, "."); fp = (n > 1) ? p[2] : ""
        fp = substr(fp "000000000", 1, 9)
        return halve ? p[1] * 1000000000 + fp : 2 * (p[1] * 1000000000 + fp) }
    function rnd(u,   q, r) { q = int(u / 2000000); r = u - q * 2000000
        if (2 * r > 2000000 || (2 * r == 2000000 && q % 2 == 1)) q++; return q }
    { sub(/\r$/, "") }
    NR == 1 { next }
    { rows++; ch = ($4 ~ /Export/) ? 1 : 0; n[ch]++; tot[ch] += units($3, $4 ~ /\(kW\)$/) }
    END { printf "rows %d\nreadings %d\n", rows, n[0] + n[1]
          for (c = 0; c < 2; c++)
              if (exact) printf "ch%d.exact_wh %.7f\n", c, tot[c] / 2000000
              else printf "ch%d.readings %d\nch%d.wh %.0f\nch%d.distinct %d\n",
                          c, n[c], c, rnd(tot[c]), c, n[c] }' exact="${2:-0}" "$1"
}
# esb_exact FILE: each channel's exact Wh (ch0.exact_wh ...), for the loader tests
esb_exact() { esb_expected "$1" 1; }

