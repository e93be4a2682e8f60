"""``python -m bot.curate build|verify <source>``: rebuild a source's passage files, or judge them.

``build`` writes ``passages.yaml`` and ``corrections.yaml`` beside the source's ``decisions.yaml``;
``verify`` writes nothing and exits 1 on any problem (the same problems ``python -m bot check``
reports), printing the curator's hints too. ``build`` exits 2, writing nothing, on decisions that
cannot be built (a phrase not in its lines, a label change without a reason), naming the passage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.curate.audit import audit, sources_with_transcripts, write_source
from bot.curate.decisions import DecisionError
from bot.pack import DEFAULT_DATA_DIR


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.curate", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help="data directory (default: data/)")
    parser.add_argument("command", choices=("build", "verify"))
    parser.add_argument("source", help="a source id with a folder under data/transcript/")
    args = parser.parse_args(argv)
    known = sources_with_transcripts(args.data)
    if args.source not in known:
        print(
            f"error: no folder transcript/{args.source} in {args.data} "
            f"(there are: {', '.join(known) or 'none'})",
            file=sys.stderr,
        )
        return 2
    if args.command == "build":
        try:
            built = write_source(args.data, args.source)
        except DecisionError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"wrote {len(built.passages)} passages and {len(built.corrections)} corrections")
        return 0
    result = audit(args.data, args.source)
    for note in result.notes:
        print(f"  {note}")
    for problem in result.problems:
        print(problem)
    print("OK" if not result.problems else f"{len(result.problems)} problem(s)")
    return 1 if result.problems else 0


if __name__ == "__main__":
    sys.exit(main())
