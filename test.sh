#!/usr/bin/env bash
# Runs every test: vet, then the whole suite. The PostgreSQL half of the store suite runs when
# CONTINUUM_TEST_POSTGRES is set (.ci/run sets it); under CI=true a missing database fails the run.
set -euo pipefail
cd "$(dirname "$0")"
if [ -z "${CONTINUUM_TEST_POSTGRES:-}" ] && pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  export CONTINUUM_TEST_POSTGRES="postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
fi
# The stylesheet the pages and the browser tests use, and axe-core for the accessibility checks.
web/build.sh
go vet ./...
go test -count=1 ./...
# Each fuzz target runs briefly so a parser that panics on odd input fails the build. The budgets
# are counts of inputs, not durations: Go 1.26's fuzzer can report a spurious "context deadline
# exceeded" when a duration ends while a worker is busy (go.dev/issue/75804).
go test -run '^$' -fuzz '^FuzzIdentifiers$' -fuzztime 150000x ./internal/casework
go test -run '^$' -fuzz '^FuzzParseDate$' -fuzztime 300000x ./internal/civil
go test -run '^$' -fuzz '^FuzzValidate$' -fuzztime 60000x ./internal/returns/cin
go test -run '^$' -fuzz '^FuzzReadTable$' -fuzztime 100000x ./internal/returns/ssda903
go test -run '^$' -fuzz '^FuzzImportChild$' -fuzztime 50000x ./internal/returns/ssda903
go test -run '^$' -fuzz '^FuzzReadPlaces$' -fuzztime 50000x ./internal/returns/ssda903
go test -run '^$' -fuzz '^FuzzParseTrajectory$' -fuzztime 50000x ./internal/kpi
go test -run '^$' -fuzz '^FuzzFormDecode$' -fuzztime 20000x ./internal/web
go test -run '^$' -fuzz '^FuzzAPIBody$' -fuzztime 20000x ./internal/web
go test -run '^$' -fuzz '^FuzzTrailDay$' -fuzztime 20000x ./internal/web
