#!/usr/bin/env bash
# Install everything the tests need into .venv (if missing or out of date) and run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh requirements-dev.lock
exec .venv/bin/python -m pytest -q "$@"
