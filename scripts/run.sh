#!/usr/bin/env bash
# Install the bot into .venv (if missing) and run it. Needs DISCORD_TOKEN (environment or .env).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c "import bot, discord" 2>/dev/null; then
  python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e .
fi
exec .venv/bin/python -m bot run "$@"
