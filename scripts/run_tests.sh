#!/usr/bin/env bash
# The whole suite: lint and the import rules first, then pytest (arguments are passed on to pytest).
# pytest's exit code is kept in test-artifacts/pytest-exit-code for .ci/run.
set -uo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
mkdir -p test-artifacts
rm -f test-artifacts/pytest-exit-code

echo "== lint (ruff)"
$BIN/ruff check src tests bench scripts || { echo "lint errors (see above)"; exit 1; }

echo "== import rules (import-linter)"
$BIN/lint-imports || { echo "import rules broken (see above)"; exit 1; }

echo "== pytest"
# Two workers on the 2-core machines (measured faster than one process: docs/benchmarks.md).
$BIN/python -m pytest -n "${DEALERHUB_TEST_WORKERS:-auto}" "$@"
status=$?
echo "$status" > test-artifacts/pytest-exit-code
if [ "$status" -eq 5 ]; then
    echo "pytest collected NO tests: that is a failure, not a pass"
fi
exit "$status"
