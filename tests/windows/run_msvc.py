#!/usr/bin/env python3
"""Runs one MSVC-ABI test program under Wine (contract C-9).

run_msvc.py --wine WINE --program PROGRAM.exe [--scenario FILE --golden FILE]

The program sits beside our vssapi.dll, which Wine loads before its own
(WINEDLLOVERRIDES=vssapi=n,b comes from the test environment). Its exit code
is its number of failed expectations; with --golden, its report must also
match the golden file line for line. VSSAPI_SCENARIO is given as the
Windows path Wine maps the file to.
"""
import argparse
import difflib
import os
import subprocess
import sys
from pathlib import Path


def windows_path(path: Path) -> str:
    return "Z:" + str(path.resolve()).replace("/", "\\")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wine", required=True)
    parser.add_argument("--program", required=True)
    parser.add_argument("--scenario")
    parser.add_argument("--golden")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the program")
    args = parser.parse_args()

    env = dict(os.environ)
    for setting in args.env:
        name, _, value = setting.partition("=")
        env[name] = value
    if args.scenario:
        env["VSSAPI_SCENARIO"] = windows_path(Path(args.scenario))
    program = Path(args.program).resolve()
    result = subprocess.run([args.wine, program.name], cwd=program.parent, env=env, capture_output=True,
                            text=True, timeout=100)
    sys.stdout.write(result.stdout)
    if result.returncode != 0:
        sys.stderr.write(result.stderr[-4000:])
        print(f"{program.name} exited with {result.returncode}")
        return 1
    if args.golden:
        report = [line for line in result.stdout.splitlines() if line != "PASS"]
        golden = Path(args.golden).read_text().splitlines()
        if report != golden:
            sys.stdout.writelines(difflib.unified_diff([g + "\n" for g in golden], [r + "\n" for r in report],
                                                       args.golden, "report"))
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
