#!/usr/bin/env python3
"""Prints 'N passed, N failed' over the Meson test logs of the given build dirs.

Each Meson test counts once (a doctest executable is one test here); the
per-case counts are in each build's meson-logs/testlog.txt.
"""
import json
import sys
from pathlib import Path

passed = failed = skipped = 0
for build in sys.argv[1:]:
    # NAME=STATUS: one check run outside Meson (the bounded fuzz runs), 0 = passed.
    if "=" in build:
        name, status = build.split("=", 1)
        if status == "0":
            passed += 1
        else:
            print(f"{name}: failed (status {status})", file=sys.stderr)
            failed += 1
        continue
    log = Path(build) / "meson-logs" / "testlog.json"
    if not log.exists():
        print(f"{build}: no test log", file=sys.stderr)
        failed += 1
        continue
    for line in log.read_text().splitlines():
        result = json.loads(line)["result"]
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1
if skipped:
    print(f"({skipped} skipped: suites a sanitizer build cannot run, see README)")
print(f"{passed} passed, {failed} failed")  # the last line, plain, for CI
sys.exit(1 if failed else 0)
