#!/usr/bin/env python3
"""vssctl's --json report for one example scenario, checked against its golden file.

Usage: check_golden.py [--wrapper WRAPPER] [--update] [--restore BCD_GOLDEN] VSSCTL SCENARIO GOLDEN [VSSCTL ARGS...]

Runs `VSSCTL run --json [ARGS] SCENARIO` (under WRAPPER, e.g. wine, for the
Windows build), normalizes what differs between runs and machines, and
compares with GOLDEN. With --restore: `run --save-bcd` first, its Backup
Components Document compared with BCD_GOLDEN (the snapshot set's random id
normalized), then `restore --json --bcd` is the report compared with GOLDEN. Normalized: handler thread numbers (pool threads are
not ordered) and the scenario's path. Times are not: they are the simulated
clock's, the same on every run. --update rewrites GOLDEN instead.
"""
import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path


def normalize(report: dict) -> dict:
    report["scenario"] = Path(report["scenario"].replace("\\", "/")).name
    for attempt in report["attempts"]:
        for entry in attempt["trace"]:
            if entry.get("thread") is not None:
                entry["thread"] = "T"
    return report


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wrapper", default="")
    parser.add_argument("--update", action="store_true")
    parser.add_argument("--restore", metavar="BCD_GOLDEN", default="")
    parser.add_argument("vssctl")
    parser.add_argument("scenario")
    parser.add_argument("golden")
    args, args.extra = parser.parse_known_args() # the rest (--retry) goes to vssctl

    wrapper = [args.wrapper] if args.wrapper else []
    command = wrapper + [args.vssctl, "run", "--json", *args.extra, args.scenario]
    folder = tempfile.TemporaryDirectory()
    if args.restore:
        bcd = os.path.join(folder.name, "backup-components.xml")
        backup = subprocess.run(wrapper + [args.vssctl, "run", "--save-bcd", bcd, args.scenario],
                                capture_output=True, timeout=300)
        if not os.path.exists(bcd):
            sys.stderr.write(f"vssctl run --save-bcd wrote no document (exit {backup.returncode})\n"
                             f"{backup.stderr.decode(errors='replace')}")
            return 1
        document = Path(bcd).read_text(encoding="utf-8")
        document = re.sub(r'snapshotSetId="\{[0-9a-f-]{36}\}"', 'snapshotSetId="{SNAPSHOT-SET}"', document)
        bcd_golden = Path(args.restore)
        if args.update:
            bcd_golden.write_text(document, encoding="utf-8")
        elif bcd_golden.read_text(encoding="utf-8") != document:
            sys.stdout.writelines(difflib.unified_diff(bcd_golden.read_text(encoding="utf-8").splitlines(True),
                                                       document.splitlines(True), str(bcd_golden), "saved"))
            print(f"\n{bcd_golden.name} differs", file=sys.stderr)
            return 1
        command = wrapper + [args.vssctl, "restore", "--json", "--bcd", bcd, *args.extra, args.scenario]
    run = subprocess.run(command, capture_output=True, timeout=300)
    if run.returncode not in (0, 1):
        sys.stderr.write(f"{' '.join(command)} exited {run.returncode}\n{run.stderr.decode(errors='replace')}")
        return 1
    report = normalize(json.loads(run.stdout.decode("utf-8")))
    if report["exit_status"] != run.returncode:
        print(f"exit status {run.returncode} but the report says {report['exit_status']}", file=sys.stderr)
        return 1
    actual = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    golden = Path(args.golden)
    if args.update:
        golden.write_text(actual, encoding="utf-8")
        print(f"wrote {golden}")
        return 0
    expected = golden.read_text(encoding="utf-8")
    if actual == expected:
        print(f"{golden.name}: the report matches ({len(report['attempts'])} attempt(s), exit status {run.returncode})")
        return 0
    sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                               str(golden), "vssctl run --json"))
    print(f"\n{golden.name} differs; if the change is intended: {Path(__file__).name} --update ...",
          file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
