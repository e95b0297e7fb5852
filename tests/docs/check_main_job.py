#!/usr/bin/env python3
"""The README shows what the main job prints, as it prints it.

Usage: check_main_job.py README MAIN_SCRIPT VSSCTL

Finds the vssctl command line in MAIN_SCRIPT (.ci/main), runs it with VSSCTL
from the project's root, and fails unless the README holds its output verbatim.
The simulated clock makes that output the same on every run.
"""
import shlex
import subprocess
import sys
from pathlib import Path


def main() -> int:
    readme, script, vssctl = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    root = script.resolve().parent.parent
    lines = [line for line in script.read_text().splitlines() if "/src/vssctl\" run" in line]
    if len(lines) != 1:
        print(f"{script}: expected one vssctl run line, found {len(lines)}", file=sys.stderr)
        return 1
    arguments = shlex.split(lines[0])[1:]
    run = subprocess.run([str(Path(vssctl).resolve()), *arguments], cwd=root, capture_output=True, text=True, timeout=120)
    if run.stdout.strip() not in readme.read_text(encoding="utf-8"):
        print("README.md does not show the main job's output verbatim; it prints now:\n", file=sys.stderr)
        print(run.stdout, file=sys.stderr)
        return 1
    print(f"README shows the output of: vssctl {' '.join(arguments)} (exit status {run.returncode})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
