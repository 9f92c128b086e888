#!/usr/bin/env bash
# Builds the stylesheet (web/build.sh: npm and Sass) and runs the demo: a synthetic council on SQLite, served at
# http://127.0.0.1:8080/ with sign-in details printed. Arguments go to `continuum demo` (--addr, --scale, --seed).
set -euo pipefail
cd "$(dirname "$0")"
web/build.sh
exec go run ./cmd/continuum demo "$@"
