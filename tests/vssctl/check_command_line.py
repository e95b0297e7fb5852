#!/usr/bin/env python3
"""vssctl's command line as a newcomer meets it: help, mistakes, bad files, the writer list.

Usage: check_command_line.py [--wrapper WRAPPER] VSSCTL SCENARIO_DIR BAD_DIR
"""
import argparse
import subprocess
import sys
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wrapper", default="")
    parser.add_argument("vssctl")
    parser.add_argument("scenarios")
    parser.add_argument("bad")
    args = parser.parse_args()
    failures = []

    def run(*arguments):
        command = ([args.wrapper] if args.wrapper else []) + [args.vssctl, *arguments]
        result = subprocess.run(command, capture_output=True, timeout=300)
        return (result.returncode, result.stdout.decode("utf-8", errors="replace").replace("\r\n", "\n"),
                result.stderr.decode("utf-8", errors="replace").replace("\r\n", "\n"))

    def expect(what, outcome, status, *texts, stream=1):
        if outcome[0] != status:
            failures.append(f"{what}: exit status {outcome[0]}, expected {status}; stderr: {outcome[2]}")
        for text in texts:
            if text not in outcome[stream]:
                failures.append(f"{what}: {text!r} not in {'stdout' if stream == 1 else 'stderr'}:\n{outcome[stream]}")

    expect("--help", run("--help"), 0, "run SCENARIO", "writers SCENARIO", "explain HRESULT", "--retry",
           "--real-time", "--json")
    expect("no command", run(), 2, "usage: vssctl", stream=2)
    expect("unknown command", run("backup"), 2, "unknown command 'backup'", stream=2)
    expect("unknown option", run("run", "--fast", "x.json"), 2, "unknown option '--fast'", stream=2)
    expect("missing file", run("run", str(Path(args.scenarios) / "no-such-file.json")), 2, "no-such-file.json",
           stream=2)
    expect("--retry elsewhere", run("writers", "--retry", "x.json"), 2, "--retry applies to run only", stream=2)
    expect("explain garbage", run("explain", "0xZZ"), 2, "is not an HRESULT", stream=2)
    expect("explain unknown code", run("explain", "0x80070020"), 1, "0x80070020", "not a code VSS defines")
    expect("explain by name", run("explain", "VSS_E_WRITERERROR_RETRYABLE"), 0, "0x800423F3",
           "wait 10 minutes", "Rules:        C-7.1, C-7.2", "docs/contract.md#c-7.1, #c-7.2",
           "/doc/openvss/contract.md)")

    bad_files = sorted(Path(args.bad).glob("*.json"))
    for bad in bad_files:
        status, out, err = run("run", str(bad))
        expected_error = bad.with_suffix(".err")
        if status != 2:
            failures.append(f"{bad.name}: exit status {status}, expected 2")
        if expected_error.exists() and expected_error.read_text(encoding="utf-8").strip() not in err:
            failures.append(f"{bad.name}: stderr {err.strip()!r} lacks {expected_error.read_text().strip()!r}")

    expect("writers", run("writers", str(Path(args.scenarios) / "two-instances.json")), 0,
           "Writer name: 'SqlServerWriter'", "Writer Instance Id: {66666666-7777-4888-9999-aaaaaaaaaaaa}",
           "State: [1] Stable", "Last error: No error")

    for failure in failures:
        print(failure, file=sys.stderr)
    print(f"command line: {len(failures)} problem(s); {len(bad_files)} bad scenario files refused")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
