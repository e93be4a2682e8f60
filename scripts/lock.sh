#!/usr/bin/env bash
# Re-make the lock files after changing dependencies in pyproject.toml (needs uv: pip install uv).
#   requirements.lock      what the bot runs with (Dockerfile, scripts/run.sh)
#   requirements-dev.lock  the same plus the test and lint tools (.ci/run, scripts/test.sh)
# Both pin every package, the build backend included, with the hashes of PyPI's files, for
# Python 3.11 on any platform; installs use pip's --require-hashes, so a changed file fails.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(python3 -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]))')
for extra in "" dev; do
  out=requirements${extra:+-$extra}.lock
  echo "$build" | uv pip compile pyproject.toml - ${extra:+--extra $extra} \
    --generate-hashes --universal --python-version 3.11 \
    --index-url https://pypi.org/simple --no-config --quiet \
    --custom-compile-command "bash scripts/lock.sh" --output-file "$out"
  echo "wrote $out"
done
