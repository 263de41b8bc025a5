#!/usr/bin/env bash
# Rebuild samples/ from the packaged sample figures: the returned workbooks as `dti demo` fills
# them, the references file, the merged workbook and the expected scores.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dti demo "$tmp/demo" >/dev/null
rm -rf returned && mkdir returned
cp "$tmp"/demo/2-phieu-nhan-ve/*.xlsx returned/
cp "$tmp/demo/references.csv" references_2023.csv
dti merge returned -o merged.xlsx --force >/dev/null || true   # exit 1: the demo's planted errors
dti score merged.xlsx --references references_2023.csv -o expected_scores.json --force >/dev/null
rm -f merged.xlsx
echo "samples rebuilt: $(ls returned | wc -l) returned workbooks, references_2023.csv, expected_scores.json"
