#!/usr/bin/env bash
# Installs the Debian packages Kade needs (only those missing) and builds it in build/.
# Usage: scripts/setup.sh            (Release build; BUILD_DIR and CMAKE_ARGS may override)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev          # Boost.Beast/Asio 1.81: http::message_generator; Debian's default is 1.74
  libxapian-dev             # full-text search (1.4), Dutch Snowball stemmer
  libzstd-dev zlib1g-dev    # precompression: zstd and gzip
  libtomlplusplus-dev       # front matter and config/kade.toml
  libmd4c-dev libmd4c-html0-dev  # Markdown (CommonMark + GFM)
  libxxhash-dev             # checksums, ETags and the build id
  libexpat1-dev             # kade-import-blogger: streaming XML with line and column for errors
  libgtest-dev              # unit tests
  wdutch                    # Dutch word list (/usr/share/dict/dutch): compound splitting in the search index
  python3 zstd curl         # black-box tests and the quick start
  dpkg-dev                  # cpack -G DEB: dpkg-shlibdeps finds the package's Depends
  python3-feedparser libxml2-utils  # tests/e2e/feed_validators_test.py: feedparser and xmllint over the feeds and sitemap
  libssl-dev openssl        # HTTPS listener (server.tls_listen); the TLS test makes its CA with openssl
  varnish varnish-modules   # tests/e2e/varnish_test.py: config/varnish.vcl (xkey purges) in front of kade-serve
  xapian-tools              # xapian-tcpsrv: remote search shards (tests/e2e/shards_test.py, bench/shards)
  wrk                       # load generator for bench/run (its smoke mode runs in the test suite)
  clang libclang-rt-14-dev llvm  # scripts/sanitize.sh: clang, the ASan/UBSan/libFuzzer runtimes, llvm-symbolizer
  chromium                  # tests/browser: the reader's journeys in headless Chromium (playwright-core)
  default-jre-headless      # tests/browser/html_validator.test.mjs: the Nu Html Checker (vnu-jar) runs on Java 17
)
# Node and npm for tests/browser; a machine that already has them (node 20 with its npm) keeps
# them, because Debian's npm package would conflict with such a node.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do

  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# playwright-core, axe-core and vnu-jar for tests/browser, exactly as the lock file says; again
# only when the lock changed. No install scripts: vnu-jar's would fetch a Java of its own; the
# test runs its jar with the Java above.
if ! cmp -s tests/browser/package-lock.json tests/browser/node_modules/.kade-lock; then
  (cd tests/browser && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  cp tests/browser/package-lock.json tests/browser/node_modules/.kade-lock
fi

build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release ${CMAKE_ARGS:-} >/dev/null
cmake --build "$build_dir"
