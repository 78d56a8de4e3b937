#!/usr/bin/env bash
# Render page 1 of an exported report (DOCX) to a PNG for checking by eye, and
# say how full each page is.
#
#   scripts/render_report.sh report.docx [output-folder]
#   ALL_PAGES=1 scripts/render_report.sh report.docx     # every page as a small PNG too
#
# Fill is how far down the text between the 2 cm margins the last line of the
# page reaches (the page number below is not counted): 50% is a half-empty page.
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
if [[ -n "${ALL_PAGES:-}" ]]; then
    pdftoppm -png -r 50 "$out/$name.pdf" "$out/$name-page"
fi
pages=$(pdfinfo "$out/$name.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}' || true)
echo "$out/$name-page1.png (page 1 of ${pages:-?}; PDF: $out/$name.pdf)"
pdftotext -bbox "$out/$name.pdf" - | awk -v margin=56.693 '
    function attr(name,   value) {
        if (!match($0, name "=\"[0-9.]+\"")) return 0
        value = substr($0, RSTART, RLENGTH); sub(/^[^"]*"/, "", value); sub(/"$/, "", value)
        return value + 0
    }
    function close_page() {
        if (!page) return
        fill[page] = (last - margin) / (height - 2 * margin)
    }
    /<page / { close_page(); page++; height = attr("height"); last = margin }
    /<word / { y = attr("yMax"); if (y < height - margin && y > last) last = y }
    END {
        close_page()
        line = "page fill:"
        low = 2
        for (i = 1; i <= page; i++) {
            line = line sprintf(" %d:%d%%", i, fill[i] * 100 + 0.5)
            if (i < page && fill[i] < low) { low = fill[i]; at = i }
        }
        print line
        if (page > 1) printf "emptiest page before the last: %d%% (page %d)\n", low * 100 + 0.5, at
    }'
