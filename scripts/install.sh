#!/usr/bin/env bash
# Make .venv from a lock file (default requirements.lock) when it is missing or the lock or
# pyproject.toml changed since; otherwise do nothing. Every file is checked against its hash.
set -euo pipefail
cd "$(dirname "$0")/.."
lock=${1:-requirements.lock}
stamp=.venv/.installed-from-$lock
want=$(cat "$lock" pyproject.toml | sha256sum | cut -c1-16)
if [ -x .venv/bin/python ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
echo "installing Exponent and its locked dependencies into .venv from $lock (about a minute the first time)..." >&2
[ -x .venv/bin/python ] || python3 -m venv .venv
pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
"${pip[@]}" --require-hashes -r "$lock"
"${pip[@]}" --no-deps --no-build-isolation -e .
echo "$want" > "$stamp"
echo "installed." >&2
