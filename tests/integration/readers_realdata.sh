#!/bin/sh
# readers_realdata.sh - the lcl and esb-hdf readers against the real files, checked with
# figures computed here from the raw bytes by awk (exact decimal arithmetic on the digit
# strings, no C code shared with the readers): reading counts, the Null rows, Wh per
# channel, and that every ESB row became a distinct UTC instant (the autumn hour that the
# file writes twice included).
. "$MO_SRCDIR/tests/lib.sh"

prog="$MO_BUILDDIR/tests/unit/test_reader_realdata"
data="$MO_SRCDIR/tests/fixtures/realdata"

. "$MO_SRCDIR/tests/realdata_expected.sh"

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
