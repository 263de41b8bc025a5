#!/usr/bin/env bash
# Rebuild samples/ from the packaged sample figures: the returned workbooks as `dti demo` fills
# them and the references file. The expected scores are not written here: they are computed by
# hand from the seed in tests/data/expected_demo_2023.csv, and tests check dti against them.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dti demo "$tmp/demo" >/dev/null
rm -rf returned && mkdir returned
cp "$tmp"/demo/2-phieu-nhan-ve/*.xlsx returned/
cp "$tmp/demo/tham-chieu.csv" references_2023.csv
echo "samples rebuilt: $(ls returned | wc -l) returned workbooks, references_2023.csv"
