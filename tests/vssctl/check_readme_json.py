#!/usr/bin/env python3
"""The README's excerpt of a `vssctl run --json` report is what vssctl prints.

Usage: check_readme_json.py VSSCTL README

Finds the README's sentence "From `vssctl run --json SCENARIO`:" and the JSON
block after it, runs that command from the project's root, and fails unless
the block's lines (but its "..." lines, which stand for lines left out) are
lines of the output, in the same order.
"""
import re
import subprocess
import sys
from pathlib import Path


def main() -> int:
    vssctl, readme = sys.argv[1], Path(sys.argv[2])
    text = readme.read_text(encoding="utf-8")
    found = re.search(r"From `vssctl (run --json [^`]+)`:\n\n```json\n(.*?)```", text, re.S)
    if not found:
        print("README.md has no `vssctl run --json` excerpt", file=sys.stderr)
        return 1
    arguments = found.group(1).split()
    run = subprocess.run([str(Path(vssctl).resolve()), *arguments], cwd=readme.parent, capture_output=True,
                         timeout=120)
    output = run.stdout.decode("utf-8").splitlines()
    at = 0
    for line in found.group(2).splitlines():
        if line.strip() == "...":
            continue
        while at < len(output) and output[at] != line:
            at += 1
        if at == len(output):
            print(f"README.md's excerpt of vssctl {' '.join(arguments)}: {line!r} is not (in that order) in "
                  f"what it prints", file=sys.stderr)
            return 1
        at += 1
    print(f"README shows an excerpt of: vssctl {' '.join(arguments)}, line for line")
    return 0


if __name__ == "__main__":
    sys.exit(main())
