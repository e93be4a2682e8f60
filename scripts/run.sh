#!/usr/bin/env bash
# Install the bot into .venv (if missing or out of date) and run it. Needs DISCORD_TOKEN (environment or .env).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh requirements.lock
echo "starting the bot (.venv/bin/python -m bot run; Ctrl-C stops it)..." >&2
exec .venv/bin/python -m bot run "$@"
