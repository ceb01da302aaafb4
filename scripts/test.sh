#!/usr/bin/env bash
# Install everything the tests need and run the whole suite: lint, then pytest.
# Used by the README's quick start and by .ci/run. Safe to rerun.
#   - a virtual environment in .venv (reused when present) with sitroom, its test extras and Ray;
#   - a throwaway PostgreSQL server on a private port for the store's PostgreSQL tests
#     (Debian's postgresql package is installed with apt-get when missing);
#   - Debian's poppler-utils (pdfinfo, pdftoppm) for the report tests' PDF page checks.
#   - Debian's chromium for the workbench's browser tests (installed with apt-get when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test,ray]"

source scripts/poppler.sh
ensure_poppler || echo "poppler-utils could not be installed: the PDF page checks will skip" >&2
source scripts/chromium.sh
ensure_chromium || true

source scripts/postgres.sh
start_test_postgres || echo "PostgreSQL could not be started: its tests will report why" >&2
trap stop_test_postgres EXIT

.venv/bin/ruff check sitroom tests benchmarks scripts
.venv/bin/python -W error -c "import sitroom"
set +e
.venv/bin/python -m pytest -q "$@"
status=$?
set -e
exit $status
