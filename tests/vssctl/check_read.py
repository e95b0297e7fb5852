#!/usr/bin/env python3
"""C-5.5 as a user sees it: `vssctl run --provider copy --volume DIR --read FILE`
reads the file through the snapshot's device path as it was at the commit, the
report says where the snapshot was, and the copy is gone afterwards; `live`
reads the file as it is; `vssctl providers` lists them; bad names are usage
errors.

Usage: check_read.py [--wrapper WRAPPER] VSSCTL SCENARIO
"""
import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wrapper")
    parser.add_argument("vssctl")
    parser.add_argument("scenario")
    args = parser.parse_args()
    command = ([args.wrapper] if args.wrapper else []) + [args.vssctl]
    failures = []

    def vssctl(*arguments):
        return subprocess.run(command + list(arguments), capture_output=True, text=True, timeout=120)

    listed = vssctl("providers", "--json")
    providers = json.loads(listed.stdout) if listed.returncode == 0 else []
    names = [p["name"] for p in providers]
    if not any(name.startswith("openvss copy provider") for name in names) or not providers[0]["default"]:
        failures.append(f"providers --json: {listed.returncode} {names}")

    with tempfile.TemporaryDirectory() as scratch:
        volume = Path(scratch) / "volume"
        volume.mkdir()
        (volume / "orders.db").write_text("orders at the commit")
        # A Windows vssctl under Wine names the folder by its Wine path (Z: is /).
        given = ("Z:" + str(volume).replace("/", "\\")) if args.wrapper else str(volume)
        for provider, expected in (("copy", "orders at the commit"), ("live", "orders at the commit")):
            run = vssctl("run", args.scenario, "--json", "--provider", provider, "--volume", given,
                         "--read", "orders.db")
            try:
                report = json.loads(run.stdout)
                snapshots = report["attempts"][-1]["snapshots"]
                read = snapshots[0].get("read", "")
            except (ValueError, KeyError, IndexError) as error:
                failures.append(f"run --provider {provider}: exit {run.returncode}, {error}: {run.stdout[:400]} {run.stderr[:400]}")
                continue
            if run.returncode != 0 or not read.endswith(expected) or len(snapshots) != 1:
                failures.append(f"run --provider {provider}: exit {run.returncode}, snapshots {snapshots}")
            device = snapshots[0]["device"]
            if provider == "copy" and not args.wrapper and Path(device).exists():
                failures.append(f"the copy {device} outlived its snapshot")

    bad = vssctl("run", args.scenario, "--provider", "nonesuch", "--volume", "/")
    if bad.returncode != 2 or "no provider named 'nonesuch'" not in bad.stderr:
        failures.append(f"--provider nonesuch: exit {bad.returncode}, {bad.stderr.strip()}")
    misplaced = vssctl("explain", "S_OK", "--read", "x")
    if misplaced.returncode != 2:
        failures.append(f"explain --read: exit {misplaced.returncode}")
    missing = vssctl("run", args.scenario, "--provider", "live", "--volume", "/no/such/folder")
    if missing.returncode != 1 or "VSS_E_OBJECT_NOT_FOUND" not in missing.stdout:
        failures.append(f"--volume /no/such/folder: exit {missing.returncode}, {missing.stdout[-300:]}")

    for failure in failures:
        print("FAIL:", failure)
    print(f"vssctl providers and run --read: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
