#!/bin/sh
# readers_realdata.sh - the lcl and esb-hdf readers against the real files, checked with
# figures computed here from the raw bytes by awk (exact decimal arithmetic on the digit
# strings, no C code shared with the readers): reading counts, the Null rows, Wh per
# channel, and that every ESB row became a distinct UTC instant (the autumn hour that the
# file writes twice included).
. "$MO_SRCDIR/tests/lib.sh"

prog="$MO_BUILDDIR/tests/unit/test_reader_realdata"
data="$MO_SRCDIR/tests/fixtures/realdata"

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

compare() { # compare FORMAT FILE EXPECTED-FUNCTION
    file="$data/$2"
    got=$("$prog" --totals "$1" "$file")
    ok $? "$1 reader parses $2"
    exp=$($3 "$file")
    echo "$exp" | while read -r key rest; do
        line=$(printf '%s\n' "$got" | grep -F -x -- "$key $rest")
        [ -n "$line" ] || { echo "MISSING $key $rest"; printf '%s\n' "$got" | grep -F -- "$key " | sed 's/^/GOT /'; }
    done >"$tmp/diff"
    is "$(cat "$tmp/diff")" "" "$2: reader totals match awk ($(echo "$exp" | grep -c .) figures)"
}

tmp=$(tmpdir)
trap 'rm -rf "$tmp"' EXIT

compare lcl uk-lcl-ukpn-original/MAC000002_byscratch_trailing_space_header.csv lcl_expected
# the only rejection in the UKPN file is its one Null (line 3240, column 3)
is "$("$prog" --totals lcl "$data/uk-lcl-ukpn-original/MAC000002_byscratch_trailing_space_header.csv" | grep -c '^reject ')" 1 \
    "UKPN file: exactly one rejected line"
for h in MAC000002 MAC000008 MAC000015 MAC000016; do
    compare lcl "uk-lcl-kaggle-halfhourly/$h.csv" lcl_expected
    is "$("$prog" --totals lcl "$data/uk-lcl-kaggle-halfhourly/$h.csv" | grep '^rejected ')" "rejected 0" \
        "Kaggle $h: no rejected line"
done
compare esb-hdf ie-esb-hdf/HDF_kWh_example_2022-2024.csv esb_expected
compare esb-hdf ie-esb-hdf/HDF_kW_example_2023.csv esb_expected
for h in HDF_kWh_example_2022-2024 HDF_kW_example_2023; do
    is "$("$prog" --totals esb-hdf "$data/ie-esb-hdf/$h.csv" | grep '^rejected ')" "rejected 0" \
        "ESB $h: no rejected line"
done

# The awk side can fail too: a value changed by one Wh changes the total.
sed 's/0\.2185/0.2195/' "$data/ie-esb-hdf/HDF_kWh_example_2022-2024.csv" >"$tmp/changed.csv"
a=$(esb_expected "$data/ie-esb-hdf/HDF_kWh_example_2022-2024.csv" | grep '^ch0.wh ')
b=$("$prog" --totals esb-hdf "$tmp/changed.csv" | grep '^ch0.wh ')
ok "$([ "$a" != "$b" ]; echo $?)" "a changed value shows up in the reader's Wh total ($a vs $b)"

done_testing
