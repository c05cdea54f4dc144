#!/usr/bin/env bash
# Lighthouse 12.2.3 on the home page, a post and /search of a freshly indexed blog, with
# Debian's Chromium; prints the four category scores per page. Not part of CI.
#
#   bench/lighthouse/run.sh [BUILD_DIR] [CONTENT_DIR]
#
# BUILD_DIR holds kade-index and kade-serve (default: build); CONTENT_DIR is the blog to index
# (default: the fixture blog, tests/fixtures/site/content). Reports (HTML and JSON) are kept
# in $KADE_LIGHTHOUSE_OUT (default: a temporary folder, printed at the end).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
content=$(cd "${2:-$root/tests/fixtures/site/content}" && pwd)
chromium=${KADE_CHROMIUM:-/usr/bin/chromium}

[ -x "$here/node_modules/.bin/lighthouse" ] || (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

work=$(mktemp -d)
out=${KADE_LIGHTHOUSE_OUT:-$work/reports}
mkdir -p "$out"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
cat > "$work/kade.toml" <<TOML
[site]
title = "Kade"
base_url = "$base"
language = "nl"
author = "Sonja van Vuren"
description = "Over ondernemen, samenwerken en doen waar je goed in bent."
[index]
content = "$content"
output = "$work/site.kade"
[server]
listen = "127.0.0.1:$port"
threads = 1
bundle = "$work/site.kade"
[log]
access = "off"
TOML
"$build/kade-index" --config "$work/kade.toml" > /dev/null
"$build/kade-serve" --config "$work/kade.toml" > "$work/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; [ -n "${KADE_LIGHTHOUSE_OUT:-}" ] || rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -fs "$base/healthz" > /dev/null && break; sleep 0.05; done

post=$(curl -fs "$base/" | grep -o 'href="/[0-9]\{4\}/[0-9]\{2\}/[^"]*\.html"' | head -1 | cut -d'"' -f2)
query=$(basename "$post" .html | cut -d- -f1)

printf '%-44s %13s %14s %5s %11s\n' page accessibility best-practices seo performance
# /search is the search page; /search?q=… a result page, which says noindex on purpose (result
# pages are an endless space of thin pages), so its SEO score lacks "is-crawlable".
for path in "/" "$post" "/search" "/search?q=$query"; do
    name=$(echo "$path" | tr -c 'a-zA-Z0-9\n' '_')
    CHROME_PATH="$chromium" "$here/node_modules/.bin/lighthouse" "$base$path" \
        --quiet --output=json --output=html --output-path="$out/$name" \
        --only-categories=accessibility,best-practices,seo,performance \
        --chrome-flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync" \
        > /dev/null
    node -e '
        const r = require(process.argv[1]);
        const s = (k) => Math.round(r.categories[k].score * 100);
        console.log(process.argv[2].padEnd(44), String(s("accessibility")).padStart(13),
            String(s("best-practices")).padStart(14), String(s("seo")).padStart(5),
            String(s("performance")).padStart(11));
    ' "$out/$name.report.json" "$path"
done
[ -n "${KADE_LIGHTHOUSE_OUT:-}" ] && echo "reports in $out"
exit 0
