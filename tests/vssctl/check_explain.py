#!/usr/bin/env python3
"""`vssctl explain` knows every VSS code of abi/vsserror.h.

Usage: check_explain.py [--wrapper WRAPPER] VSSCTL VSSERROR_H

For each VSS_E_/VSS_S_ code the header defines: the name is the header's, the
meaning is not empty, the producer is not the "not a VSS code" fallback, the
retry class is contract C-7.1's, the rule ids the texts cite are listed with
their links into docs/contract.md, and the code given in hex, in decimal and by
name explains the same way.
"""
import argparse
import json
import re
import subprocess
import sys

RETRY_AFTER_WAIT = {
    "VSS_E_WRITERERROR_RETRYABLE", "VSS_E_WRITERERROR_OUTOFRESOURCES", "VSS_E_WRITERERROR_TIMEOUT",
    "VSS_E_FLUSH_WRITES_TIMEOUT", "VSS_E_HOLD_WRITES_TIMEOUT", "VSS_E_PROVIDER_VETO",
    "VSS_E_UNEXPECTED_PROVIDER_ERROR",
}
SHORT_BACK_OFF = {"VSS_E_SNAPSHOT_SET_IN_PROGRESS"}
RULE_ID = re.compile(r"(?<![A-Za-z0-9])C-\d+\.\d+")


def explain(args, codes):
    command = ([args.wrapper] if args.wrapper else []) + [args.vssctl, "explain", "--json", *codes]
    result = subprocess.run(command, capture_output=True, timeout=300)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} ... exited {result.returncode}: {result.stderr.decode()}")
    return json.loads(result.stdout.decode("utf-8"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wrapper", default="")
    parser.add_argument("vssctl")
    parser.add_argument("header")
    args = parser.parse_args()
    text = open(args.header, encoding="utf-8").read()
    codes = {name: int(value, 16) for name, value in
             re.findall(r"#define (VSS_[ES]_\w+) \(\(HRESULT\)0x([0-9A-Fa-f]{8})u?\)", text)}
    if len(codes) < 70:
        print(f"found only {len(codes)} codes in {args.header}", file=sys.stderr)
        return 1
    names = sorted(codes)
    by_hex = explain(args, [f"0x{codes[name]:08X}" for name in names])
    by_decimal = explain(args, [str(codes[name] - (1 << 32) if codes[name] >= 1 << 31 else codes[name])
                                for name in names])
    by_name = explain(args, names)
    failures = []
    for name, hexed, decimal, named in zip(names, by_hex, by_decimal, by_name):
        if not (hexed == decimal == named):
            failures.append(f"{name}: hex, decimal and name explain differently")
        if hexed["name"] != name:
            failures.append(f"{name}: explained as {hexed['name']}")
        if not hexed["meaning"] or hexed["meaning"] == "unknown to VSS":
            failures.append(f"{name}: no meaning")
        if hexed["producer"].startswith("not a VSS code"):
            failures.append(f"{name}: no producer")
        expected = ("after_wait" if name in RETRY_AFTER_WAIT else
                    "short_back_off" if name in SHORT_BACK_OFF else "no")
        if hexed["retry_class"] != expected:
            failures.append(f"{name}: retry class {hexed['retry_class']}, C-7.1 says {expected}")
        if not hexed["retry"]:
            failures.append(f"{name}: no retry guidance")
        cited = list(dict.fromkeys(RULE_ID.findall(hexed["producer"] + " " + hexed["retry"])))
        rules = hexed.get("rules", {})
        if rules.get("ids") != cited or rules.get("document") != "docs/contract.md":
            failures.append(f"{name}: rules {rules.get('ids')} in {rules.get('document')}, the texts cite {cited}")
        elif rules.get("links") != [f"docs/contract.md#{rule.lower()}" for rule in cited]:
            failures.append(f"{name}: rule links {rules.get('links')}")
        elif not rules.get("installed", "").endswith("/doc/openvss/contract.md"):
            failures.append(f"{name}: installed contract {rules.get('installed')!r}")
    for failure in failures:
        print(failure, file=sys.stderr)
    print(f"{len(names) - len({f.split(':')[0] for f in failures})} of {len(names)} VSS codes explained fully")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
