#!/usr/bin/env python3
"""vssctl's command line as a newcomer meets it: help, mistakes, bad files, the writer list;
each command's own --help, --option=value, -- and - for standard input (CLI11).

Usage: check_command_line.py [--wrapper WRAPPER] VSSCTL SCENARIO_DIR BAD_DIR
"""
import argparse
import json
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

    def run(*arguments, stdin=b""):
        command = ([args.wrapper] if args.wrapper else []) + [args.vssctl, *arguments]
        result = subprocess.run(command, capture_output=True, timeout=300, input=stdin)
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

    scenarios = Path(args.scenarios)
    two_instances = scenarios / "two-instances.json"
    succeeds = str(scenarios / "all-writers-succeed.json")
    # Each command's own help (or `help COMMAND`): its usage line and only its options.
    expect("run --help", run("run", "--help"), 0, "Usage: vssctl run [OPTIONS] SCENARIO", "--save-bcd FILE",
           "--provider NAME", "--volume PATH", "--read FILE", "--retry", "--real-time", "--json", "Exit status:")
    if "--prefix" in run("run", "--help")[1] or "--bcd" in run("run", "--help")[1]:
        failures.append("run --help lists options of other commands")
    expect("help restore", run("help", "restore"), 0, "Usage: vssctl restore [OPTIONS] SCENARIO", "--bcd FILE")
    expect("explain -h", run("explain", "-h"), 0, "Usage: vssctl explain [OPTIONS] HRESULT...")
    expect("wine-install --help", run("wine-install", "--help"), 0, "--prefix DIR", "--dll64 FILE", "--dll32 FILE")
    expect("help", run("help"), 0, "usage: vssctl", "run SCENARIO")
    expect("help of no command", run("help", "nonesuch"), 2, "unknown command 'nonesuch'", stream=2)
    expect("--version", run("--version"), 0, "vssctl (openvss) ")
    # Options in their place, with their words.
    expect("an option before the command", run("--json", "explain", "S_OK"), 2,
           "--json is an option of run, restore, writers, providers and explain: give it after the command",
           stream=2)
    expect("wine option elsewhere", run("run", "--prefix", "x", succeeds), 2,
           "--prefix applies to wine-install and wine-uninstall only", stream=2)
    expect("two scenario files", run("writers", succeeds, succeeds), 2, "writers takes exactly one scenario file",
           stream=2)
    expect("providers with an argument", run("providers", "x"), 2, "providers takes no arguments", stream=2)
    expect("restore without --bcd", run("restore", succeeds), 2, "restore needs --bcd FILE", stream=2)
    expect("a value missing", run("run", succeeds, "--provider"), 2, "--provider", stream=2)
    # --option=value is --option value.
    expect("--provider=NAME", run("run", succeeds, "--provider=nonesuch", "--volume=/"), 2,
           "no provider named 'nonesuch'", stream=2)
    # After --, an argument that starts with - is an argument.
    expect("explain -- -N", run("explain", "--", "-2147212301"), 0, "VSS_E_WRITERERROR_RETRYABLE")
    expect("explain N -- -N", run("explain", "VSS_E_BAD_STATE", "--", "-2147212301"), 0, "VSS_E_BAD_STATE",
           "VSS_E_WRITERERROR_RETRYABLE")
    expect("explain -N without --", run("explain", "-2147212301"), 0, "VSS_E_WRITERERROR_RETRYABLE")
    expect("run -- --file", run("run", "--", "--no-such.json"), 2, "--no-such.json: cannot open", stream=2)
    # - reads standard input.
    expect("writers -", run("writers", "-", stdin=two_instances.read_bytes()), 0, "Writers of <stdin>",
           "Writer name: 'SqlServerWriter'")
    expect("run - (broken)", run("run", "-", stdin=b'{"writers": ['), 2, "<stdin>:", stream=2)
    expect("run - (empty)", run("run", "-"), 2, "<stdin>:", stream=2)
    expect("restore - --bcd -", run("restore", "--bcd", "-", "-"), 2, "standard input is read once", stream=2)
    # explain --json prints an array, for one code too.
    status, out, err = run("explain", "--json", "VSS_E_BAD_STATE")
    try:
        explained = json.loads(out)
    except ValueError:
        explained = None
    if status != 0 or not isinstance(explained, list) or len(explained) != 1 or \
            explained[0].get("name") != "VSS_E_BAD_STATE" or explained[0].get("hex") != "0x80042301":
        failures.append(f"explain --json with one code: exit {status}, {out[:200]!r}")

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
