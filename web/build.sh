#!/usr/bin/env bash
# Builds Continuum's stylesheet: GOV.UK Frontend and MOJ Frontend, installed from npm at the versions the lockfile
# pins, compiled by Sass into internal/web/assets/app.css, which the Go binary embeds. The output is not committed;
# run this before `go build` (the demo and test scripts do).
set -euo pipefail
cd "$(dirname "$0")"
# npm ci only when the installed packages are older than the lockfile. Install scripts stay off: nothing here needs
# one (Sass's optional file watcher is not used).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
node_modules/.bin/sass --load-path=. --no-source-map --style=compressed --quiet-deps --quiet --no-error-css \
  src/app.scss ../internal/web/assets/app.css
