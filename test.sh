#!/usr/bin/env bash
# Runs every test: vet, then the whole suite. The PostgreSQL half of the store suite runs when
# CONTINUUM_TEST_POSTGRES is set (.ci/run sets it); under CI=true a missing database fails the run.
set -euo pipefail
cd "$(dirname "$0")"
if [ -z "${CONTINUUM_TEST_POSTGRES:-}" ] && pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  export CONTINUUM_TEST_POSTGRES="postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
fi
go vet ./...
go test -count=1 ./...
# Each fuzz target runs briefly so a parser that panics on odd input fails the build.
go test -run '^$' -fuzz '^FuzzIdentifiers$' -fuzztime 10s ./internal/casework
go test -run '^$' -fuzz '^FuzzParseDate$' -fuzztime 10s ./internal/civil
