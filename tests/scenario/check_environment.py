#!/usr/bin/env python3
"""VSSAPI_SCENARIO makes an unmodified requester program see a scenario's writers.

Usage: check_environment.py [--wrapper WRAPPER] PROGRAM GOOD_SCENARIO BAD_SCENARIO

PROGRAM (tests/scenario/plain_requester.cpp) knows nothing of scenarios. With
VSSAPI_SCENARIO=GOOD_SCENARIO (examples/scenarios/two-instances.json) it must
list both SQL instances, HR failed at PrepareForBackup with its code and
message; with a broken file, CreateVssBackupComponents must fail with
VSS_E_UNEXPECTED and stderr must say where the file is wrong.
"""
import argparse
import os
import subprocess
import sys


def run(args, scenario):
    environment = dict(os.environ, VSSAPI_SCENARIO=scenario)
    command = ([args.wrapper] if args.wrapper else []) + [args.program]
    result = subprocess.run(command, capture_output=True, env=environment, timeout=300)
    return result.returncode, result.stdout.decode(errors="replace"), result.stderr.decode(errors="replace")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wrapper", default="")
    parser.add_argument("program")
    parser.add_argument("good")
    parser.add_argument("bad")
    args = parser.parse_args()
    failures = []

    status, out, err = run(args, args.good)
    expected = [
        "CreateVssBackupComponents 0x00000000",
        "writer 'SqlServerWriter' state 7 hrFailureWriter 0x800423F4 hrApplication 0x80070005 "
        "message 'Access denied to D:\\SQL\\HR\\hr.mdf'",
        "writer 'SqlServerWriter' state 5 hrFailureWriter 0x00000000",
    ]
    for line in expected:
        if line not in out:
            failures.append(f"with {args.good}: no line containing {line!r}")
    if status != 0:
        failures.append(f"with {args.good}: exit status {status}")

    status, out, err = run(args, args.bad)
    if "CreateVssBackupComponents 0x80042302" not in out:
        failures.append(f"with {args.bad}: CreateVssBackupComponents did not fail with VSS_E_UNEXPECTED:\n{out}")
    if "VSSAPI_SCENARIO=" not in err or ":" not in err:
        failures.append(f"with {args.bad}: stderr does not say what is wrong: {err!r}")

    for failure in failures:
        print(failure, file=sys.stderr)
    if not failures:
        print("an unmodified requester saw the scenario's writers; a broken file was refused with its position:")
        print("   " + err.strip())
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
