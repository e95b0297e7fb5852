#!/usr/bin/env python3
"""vssctl shows a progress line on a terminal for a step longer than a second, and only there.

Usage: check_progress.py VSSCTL SLOW_SCENARIO

Runs `vssctl run --real-time SLOW_SCENARIO` under script(1), which gives it a
terminal, and expects the progress line for DoSnapshotSet on it; run with
pipes, the output must hold no progress line at all. Skipped (77) without script(1).
"""
import shutil
import subprocess
import sys


def main() -> int:
    vssctl, scenario = sys.argv[1], sys.argv[2]
    command = f"{vssctl} run --real-time {scenario}"
    piped = subprocess.run(command.split(), capture_output=True, text=True, timeout=120)
    if "\x1b[K" in piped.stdout + piped.stderr or "..." in piped.stderr:
        print(f"progress shown without a terminal:\n{piped.stderr}", file=sys.stderr)
        return 1
    if shutil.which("script") is None:
        print("script(1) is missing: cannot give vssctl a terminal")
        return 77
    tty = subprocess.run(["script", "-qc", command, "/dev/null"], capture_output=True, text=True, timeout=120)
    if "DoSnapshotSet ... 1s" not in tty.stdout:
        print(f"no progress line on a terminal:\n{tty.stdout!r}", file=sys.stderr)
        return 1
    print("progress line on a terminal, none through pipes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
