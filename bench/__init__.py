"""Benchmarks: run from the repo root with ``.venv/bin/python -m bench.<name>`` (see bench/README.md)."""
