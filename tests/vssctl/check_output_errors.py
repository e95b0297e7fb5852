#!/usr/bin/env python3
"""Every vssctl command fails, with a message on stderr, when its output cannot be written.

Usage: check_output_errors.py [--wrapper WRAPPER] VSSCTL SCENARIO_DIR

Each command that succeeds (exit status 0) with its standard output on a pipe
is run again with standard output on /dev/full (every write: ENOSPC): it must
exit non-zero and say "cannot write the output" on stderr. So must
`run --save-bcd /dev/full`. Skipped (77) where there is no /dev/full.
"""
import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wrapper", default="")
    parser.add_argument("vssctl")
    parser.add_argument("scenarios")
    args = parser.parse_args()
    if not os.path.exists("/dev/full"):
        print("no /dev/full here")
        return 77
    vssctl = ([args.wrapper] if args.wrapper else []) + [args.vssctl]
    scenarios = Path(args.scenarios)
    succeeds = str(scenarios / "all-writers-succeed.json")
    restore = str(scenarios / "restore-alternate-location.json")
    failures = []
    with tempfile.TemporaryDirectory() as scratch:
        bcd = str(Path(scratch) / "bcd.xml")
        saved = subprocess.run(vssctl + ["run", "--save-bcd", bcd, restore], capture_output=True, timeout=300)
        if not os.path.exists(bcd):
            failures.append(f"run --save-bcd wrote no document: {saved.stderr.decode(errors='replace')}")
        commands = [
            ["--help"], ["--version"], ["help"], ["help", "run"], ["run", "--help"],
            ["providers"], ["providers", "--json"],
            ["explain", "S_OK"], ["explain", "--json", "VSS_E_BAD_STATE", "0x800423F3"],
            ["writers", succeeds], ["writers", "--json", succeeds],
            ["run", succeeds], ["run", "--json", succeeds],
            ["restore", "--bcd", bcd, restore], ["restore", "--json", "--bcd", bcd, restore],
        ]
        for arguments in commands:
            what = "vssctl " + " ".join(Path(a).name if os.sep in a else a for a in arguments)
            ok = subprocess.run(vssctl + arguments, capture_output=True, timeout=300)
            if ok.returncode != 0 or not ok.stdout:
                failures.append(f"{what}: exit status {ok.returncode} with {len(ok.stdout)} bytes on a pipe")
                continue
            with open("/dev/full", "wb") as full:
                failed = subprocess.run(vssctl + arguments, stdout=full, stderr=subprocess.PIPE, timeout=300)
            message = failed.stderr.decode(errors="replace")
            if failed.returncode == 0 or "cannot write the output" not in message:
                failures.append(f"{what} > /dev/full: exit status {failed.returncode}, stderr {message.strip()!r}")
        document = subprocess.run(vssctl + ["run", "--save-bcd", "/dev/full", restore], capture_output=True,
                                  timeout=300)
        if document.returncode == 0 or b"cannot write /dev/full" not in document.stderr:
            failures.append(f"run --save-bcd /dev/full: exit status {document.returncode}, "
                            f"stderr {document.stderr.decode(errors='replace').strip()!r}")
    for failure in failures:
        print("FAIL:", failure, file=sys.stderr)
    print(f"output errors: {len(commands) + 1 - len(failures)} of {len(commands) + 1} commands fail as they should")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
