#!/usr/bin/env python3
"""The README's binding examples are the binding examples the tests run.

Usage: check_readme.py README EXAMPLE...

Each bindings/<language>/example.* runs in that language's test suite; this
check fails when the README does not show one of them verbatim, so the
README's examples cannot drift from code that runs.
"""
import sys
from pathlib import Path


def main() -> int:
    readme = Path(sys.argv[1]).read_text(encoding="utf-8")
    missing = [example for example in sys.argv[2:]
               if Path(example).read_text(encoding="utf-8").strip() not in readme]
    for example in missing:
        print(f"README.md does not show {example} verbatim", file=sys.stderr)
    print(f"{len(sys.argv) - 2 - len(missing)} of {len(sys.argv) - 2} examples shown verbatim")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
