#!/usr/bin/env bash
# Install everything the tests need into .venv (if missing) and run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/pytest ]; then
  python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[dev]'
fi
exec .venv/bin/python -m pytest -q "$@"
