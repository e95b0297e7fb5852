#!/usr/bin/env python3
"""VSSAPI_LOG: an SDK-API program's out-of-order calls are explained, one line each.

Usage: check_log.py [--wrapper WRAPPER] --scenario FILE PROGRAM

PROGRAM (tests/requester/out_of_order.cpp) calls DoSnapshotSet before
PrepareForBackup and GetWriterStatus before GatherWriterStatus, then
PrepareForBackup and DoSnapshotSet in order; the --scenario's provider vetoes
that commit. With VSSAPI_LOG=stderr each refusal and the failed DoSnapshotSet
is one line on stderr with its reason; with VSSAPI_LOG=<file> the same lines
go to the file; unset, nothing is written.
"""
import argparse
import os
import subprocess
import sys
import tempfile

EXPECTED_OUT = [
    "InitializeForBackup 0x00000000",
    "GatherWriterMetadata 0x0004230A",
    "DoSnapshotSet 0x80042301",
    "GetWriterStatus 0x80042301",
    "PrepareForBackup 0x0004230A",
    "DoSnapshotSet 0x80042306",
]
EXPECTED_LOG = [
    "vssapi: DoSnapshotSet -> VSS_E_BAD_STATE: DoSnapshotSet before PrepareForBackup completed "
    "(admitted only after PrepareForBackup)",
    "vssapi: GetWriterStatus -> VSS_E_BAD_STATE: GetWriterStatus before GatherWriterStatus completed "
    "(or after FreeWriterStatus)",
    "vssapi: DoSnapshotSet -> VSS_E_PROVIDER_VETO: its IVssAsync ended in failure; the requester is now in phase "
    "SnapshotFailed",
]


def run(args, log):
    environment = {k: v for k, v in os.environ.items() if k != "VSSAPI_LOG"}
    environment["VSSAPI_SCENARIO"] = args.scenario
    if log is not None:
        environment["VSSAPI_LOG"] = log
    command = ([args.wrapper] if args.wrapper else []) + [args.program]
    result = subprocess.run(command, capture_output=True, env=environment, timeout=300)
    out = [line for line in result.stdout.decode(errors="replace").splitlines() if line.strip()]
    err = [line.rstrip("\r") for line in result.stderr.decode(errors="replace").splitlines()
           if line.startswith("vssapi:")]
    return result.returncode, [line.rstrip("\r") for line in out if not line.startswith("StartSnapshotSet")], err


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wrapper", default="")
    parser.add_argument("--scenario", required=True, help="a scenario whose provider vetoes the commit")
    parser.add_argument("program")
    args = parser.parse_args()
    failures = []

    status, out, err = run(args, "stderr")
    if status != 0 or out != EXPECTED_OUT:
        failures.append(f"VSSAPI_LOG=stderr: exit {status}, stdout {out}")
    if err != EXPECTED_LOG:
        failures.append(f"VSSAPI_LOG=stderr: log lines {err}, expected {EXPECTED_LOG}")

    status, out, err = run(args, None)
    if status != 0 or out != EXPECTED_OUT or err:
        failures.append(f"VSSAPI_LOG unset: exit {status}, stdout {out}, log lines {err} (expected none)")

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "vssapi.log")
        status, out, err = run(args, path)
        written = []
        if os.path.exists(path):
            with open(path, encoding="utf-8", errors="replace") as file:
                written = [line.rstrip("\r\n") for line in file if line.strip()]
        if status != 0 or err or written != EXPECTED_LOG:
            failures.append(f"VSSAPI_LOG=file: exit {status}, stderr log {err}, file {written}")

    for failure in failures:
        print("FAIL:", failure)
    print("log of refused and failed calls: " + ("ok" if not failures else f"{len(failures)} failure(s)"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
