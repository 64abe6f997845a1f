#!/bin/sh
# SPDX-License-Identifier: MIT
# Renders an SVG (a ladder or a plot) to PNG with a headless Chromium, to see what a
# browser shows. Optional: the test suite does not need it.
#
#   test/views/screenshot.sh picture.svg [picture.png]
#
# Chromium comes from `apt-get install chromium` (Debian); set CHROMIUM to use another.
set -eu
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 PICTURE.svg [PICTURE.png]" >&2
    exit 2
fi
svg=$1
png=${2:-${svg%.svg}.png}
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$chromium" ]; then
    echo "$0: no chromium found (apt-get install chromium, or set CHROMIUM)" >&2
    exit 2
fi
if [ ! -r "$svg" ]; then
    echo "$0: $svg: cannot read" >&2
    exit 2
fi
# The page size is the SVG's own: width="W" height="H" on its root element.
size=$(sed -n 's/^<svg [^>]*width="\([0-9]*\)" height="\([0-9]*\)".*/\1,\2/p' "$svg" | head -n 1)
size=${size:-1000,1000}
abs=$(cd "$(dirname "$svg")" && pwd)/$(basename "$svg")
out=$(cd "$(dirname "$png")" && pwd)/$(basename "$png")
"$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --window-size="$size" --screenshot="$out" "file://$abs" >/dev/null 2>&1
echo "$out"
