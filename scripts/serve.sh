#!/usr/bin/env bash
# Quick start: install what is missing, build, index content/ and serve the blog on
# http://127.0.0.1:8080 (config/kade.toml). Ctrl-C stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
mkdir -p build
build/kade-index --config config/kade.toml
exec build/kade-serve --config config/kade.toml "$@"
