#!/usr/bin/env python3
"""vssctl shows a progress line on a terminal for a step longer than a second, and only there;
escape codes only on a terminal that takes them.

Usage: check_progress.py VSSCTL SLOW_SCENARIO

Runs `vssctl run --real-time SLOW_SCENARIO` under script(1), which gives it a
terminal: with TERM=xterm the progress line for DoSnapshotSet is there and is
erased with an escape code (ESC [ K); with TERM=dumb, or no TERM, the line is
there but no escape code at all (carriage returns and spaces only). Run with
pipes, the output must hold no progress line and no escape code. Skipped (77)
without script(1).
"""
import os
import shutil
import subprocess
import sys


def main() -> int:
    vssctl, scenario = sys.argv[1], sys.argv[2]
    command = f"{vssctl} run --real-time {scenario}"
    failures = []
    piped = subprocess.run(command.split(), capture_output=True, timeout=120, env={**os.environ, "TERM": "xterm"})
    output = (piped.stdout + piped.stderr).decode("utf-8", errors="replace")
    if "\x1b" in output or "\r" in output or "..." in piped.stderr.decode(errors="replace"):
        failures.append(f"progress or escape codes without a terminal:\n{output!r}")
    if shutil.which("script") is None:
        print("script(1) is missing: cannot give vssctl a terminal")
        return 77
    for term in ("xterm", "dumb", None):
        env = {key: value for key, value in os.environ.items() if key != "TERM"}
        if term is not None:
            env["TERM"] = term
        tty = subprocess.run(["script", "-qc", command, "/dev/null"], capture_output=True, timeout=120, env=env)
        screen = tty.stdout.decode("utf-8", errors="replace")  # as it is: carriage returns kept
        if "DoSnapshotSet ... 1s" not in screen:
            failures.append(f"TERM={term}: no progress line on a terminal:\n{screen!r}")
        if term == "xterm" and "\x1b[K" not in screen:
            failures.append(f"TERM=xterm: the progress line is not erased with ESC [ K:\n{screen!r}")
        if term != "xterm" and "\x1b" in screen:
            failures.append(f"TERM={term}: escape codes on a terminal that shows them as text:\n{screen!r}")
        if term != "xterm" and "\r" + " " * len("  DoSnapshotSet ... 1s (clock +1s)") not in screen:
            failures.append(f"TERM={term}: the progress line is not erased with spaces:\n{screen!r}")
    for failure in failures:
        print("FAIL:", failure, file=sys.stderr)
    print(f"progress line on a terminal (escape codes only where TERM takes them), none through pipes: "
          f"{len(failures)} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
