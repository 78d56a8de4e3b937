#!/usr/bin/env bash
# Render page 1 of an exported report (DOCX) to a PNG for checking by eye.
#
#   scripts/render_report.sh report.docx [output-folder]
#
# Needs LibreOffice (soffice) and poppler (pdftoppm); on Debian/Ubuntu:
#   apt-get install -y --no-install-recommends libreoffice-writer poppler-utils fonts-thai-tlwg
# Without TH Sarabun New installed, fontconfig draws the text in a Thai
# fallback (Laksaman from fonts-thai-tlwg has the same metrics as TH SarabunPSK).
# The PDF and PNG go to bench/output/ (git-ignored) unless a folder is given.
set -euo pipefail

if [[ $# -lt 1 || ! -f "$1" ]]; then
    echo "usage: $0 REPORT.docx [OUTPUT-FOLDER]" >&2
    echo "  make one with: flask --app bot export-report --year 2569 --format docx --output bench/output/report.docx" >&2
    exit 1
fi
for tool in soffice pdftoppm; do
    if ! command -v "$tool" >/dev/null; then
        echo "$tool is not installed (apt-get install libreoffice-writer poppler-utils)" >&2
        exit 1
    fi
done

input=$1
here=$(cd "$(dirname "$0")/.." && pwd)
out=${2:-$here/bench/output}
mkdir -p "$out"
name=$(basename "${input%.*}")
# A private LibreOffice profile, so a running office or a root-owned profile cannot block the conversion.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
soffice -env:UserInstallation="file://$profile" --headless --convert-to pdf --outdir "$out" "$input" >/dev/null
pdftoppm -png -r "${DPI:-110}" -f 1 -l 1 -singlefile "$out/$name.pdf" "$out/$name-page1"
pages=$(pdfinfo "$out/$name.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}' || true)
echo "$out/$name-page1.png (page 1 of ${pages:-?}; PDF: $out/$name.pdf)"
