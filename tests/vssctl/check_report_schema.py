#!/usr/bin/env python3
"""Everything vssctl prints with --json follows abi/vssctl-report.schema.json.

Usage: check_report_schema.py [--wrapper WRAPPER] VSSCTL SCHEMA SCENARIO_DIR GOLDEN_DIR [EXTRA_SCENARIO...]

- The schema is a valid JSON Schema (draft 2020-12).
- Real outputs follow it, each its own part of it ($defs): `run --json` (and
  `--retry`) for every example scenario and the extra ones, `restore --json`
  for the restore examples (from a document `run --save-bcd` wrote), a
  scenario read from standard input, `run --provider copy --read` (snapshots),
  `writers --json` for every scenario, `explain --json` for one code, several
  and one VSS does not define, `providers --json`; and every golden report
  (its thread numbers, which check_golden.py writes as "T", taken as 1).
- Every HRESULT in them has the one shape {"hex", "name"} (checked apart from
  the schema too, by field name), and run and writers reports have
  "format_version": 1.
- The schema rejects what it must: an HRESULT as a bare string, a report
  without format_version, an unknown field, explain's object outside an array.

Exit code 77 (a skip for Meson) when Python's jsonschema is missing.
"""
import argparse
import copy
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed; skipping")
    sys.exit(77)

HRESULT_FIELDS = re.compile(r"^(hr(_.*)?|result|outcome|gather_writer_status)$")


def hresults_elsewhere(node, where="$"):
    """Fields that hold an HRESULT by their name but not as {"hex", "name"}."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if HRESULT_FIELDS.match(key) and not (key == "outcome" and isinstance(value, str)):
                if not (isinstance(value, dict) and set(value) == {"hex", "name"}):
                    found.append(f"{where}.{key} = {json.dumps(value)[:60]}")
            found += hresults_elsewhere(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += hresults_elsewhere(value, f"{where}[{i}]")
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wrapper", default="")
    parser.add_argument("vssctl")
    parser.add_argument("schema")
    parser.add_argument("scenarios")
    parser.add_argument("golden")
    parser.add_argument("extra", nargs="*")
    args = parser.parse_args()
    vssctl = ([args.wrapper] if args.wrapper else []) + [args.vssctl]

    schema = json.loads(Path(args.schema).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)

    def part(name):
        return jsonschema.Draft202012Validator({"$defs": schema["$defs"], "$ref": f"#/$defs/{name}"})

    failures = []
    checked = 0

    def check(what, name, document):
        nonlocal checked
        checked += 1
        errors = sorted(part(name).iter_errors(document), key=lambda e: list(e.absolute_path))
        for error in errors[:3]:
            path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
            failures.append(f"{what}: ${path}: {error.message[:200]}")
        if not jsonschema.Draft202012Validator(schema).is_valid(document):
            failures.append(f"{what}: not valid against the whole schema")
        failures.extend(f"{what}: {field}" for field in hresults_elsewhere(document))
        if isinstance(document, dict) and document.get("format_version") != 1:
            failures.append(f"{what}: format_version {document.get('format_version')!r}")

    def vssctl_json(what, name, arguments, statuses=(0, 1), stdin=None):
        run = subprocess.run(vssctl + arguments, capture_output=True, timeout=300, stdin=stdin)
        if run.returncode not in statuses:
            failures.append(f"{what}: exit status {run.returncode}: {run.stderr.decode(errors='replace')[:300]}")
            return None
        try:
            document = json.loads(run.stdout.decode("utf-8"))
        except ValueError as error:
            failures.append(f"{what}: not JSON ({error}): {run.stdout[:200]!r}")
            return None
        check(what, name, document)
        return document

    scenarios = sorted(Path(args.scenarios).glob("*.json")) + [Path(extra) for extra in args.extra]
    with tempfile.TemporaryDirectory() as scratch:
        for scenario in scenarios:
            vssctl_json(f"run --json {scenario.name}", "run_report", ["run", "--json", str(scenario)])
            vssctl_json(f"run --json --retry {scenario.name}", "run_report", ["run", "--json", "--retry", str(scenario)])
            vssctl_json(f"writers --json {scenario.name}", "writers_report", ["writers", "--json", str(scenario)])
            if scenario.name.startswith("restore-"):
                bcd = Path(scratch) / (scenario.stem + ".xml")
                subprocess.run(vssctl + ["run", "--save-bcd", str(bcd), str(scenario)], capture_output=True,
                               timeout=300)
                report = vssctl_json(f"restore --json {scenario.name}", "run_report",
                                     ["restore", "--json", "--bcd", str(bcd), str(scenario)])
                if report is not None and report.get("command") != "restore":
                    failures.append(f"restore --json {scenario.name}: command {report.get('command')!r}")
        succeeds = Path(args.scenarios) / "all-writers-succeed.json"
        with open(succeeds, "rb") as stdin:
            report = vssctl_json("run --json - (standard input)", "run_report", ["run", "--json", "-"], stdin=stdin)
        if report is not None and report["scenario"] != "-":
            failures.append(f"run --json -: scenario {report['scenario']!r}")
        with open(succeeds, "rb") as stdin:
            listed = vssctl_json("writers --json - (standard input)", "writers_report", ["writers", "--json", "-"],
                                 statuses=(0,), stdin=stdin)
        if listed is not None and listed["scenario"] != "-":
            failures.append(f"writers --json -: scenario {listed['scenario']!r}")
        if not args.wrapper:  # the folder by its Linux path: the Windows build's is check_read.py's business
            volume = Path(scratch) / "volume"
            volume.mkdir()
            (volume / "orders.db").write_text("orders at the commit")
            report = vssctl_json("run --json --provider copy --read", "run_report",
                                 ["run", "--json", "--provider", "copy", "--volume", str(volume), "--read",
                                  "orders.db", str(succeeds)], statuses=(0,))
            if report is not None and "read" not in report["attempts"][-1].get("snapshots", [{}])[0]:
                failures.append("run --json --provider copy --read: no snapshot with what was read")
    one = vssctl_json("explain --json (one code)", "explain_list", ["explain", "--json", "VSS_E_BAD_STATE"],
                      statuses=(0,))
    if one is not None and not (isinstance(one, list) and len(one) == 1):
        failures.append(f"explain --json with one code: not an array of one: {str(one)[:100]}")
    vssctl_json("explain --json (several)", "explain_list",
                ["explain", "--json", "S_OK", "0x800423F3", "-2147212301", "E_INVALIDARG"], statuses=(0,))
    unknown = vssctl_json("explain --json (unknown)", "explain_list", ["explain", "--json", "0x80070020"],
                          statuses=(1,))
    if unknown is not None and not (isinstance(unknown, list) and unknown and unknown[0].get("known") is False):
        failures.append(f"explain --json 0x80070020: not an array whose entry says known: false: {str(unknown)[:100]}")
    vssctl_json("providers --json", "providers_list", ["providers", "--json"], statuses=(0,))

    goldens = sorted(Path(args.golden).glob("*.json"))
    for golden in goldens:
        report = json.loads(golden.read_text(encoding="utf-8"))
        for attempt in report["attempts"]:  # check_golden.py wrote "T" for every handler thread number
            for entry in attempt["trace"]:
                entry["thread"] = 1 if entry.get("thread") == "T" else entry.get("thread")
        check(f"golden {golden.name}", "run_report", report)

    # The schema must be able to say no.
    sample = json.loads(goldens[0].read_text(encoding="utf-8"))
    wrong = []
    bare = copy.deepcopy(sample)
    bare["attempts"][0]["steps"][0]["writers"][0]["hr_application"] = "0x00000000"
    wrong.append(("an HRESULT as a bare string", bare))
    unversioned = copy.deepcopy(sample)
    del unversioned["format_version"]
    wrong.append(("no format_version", unversioned))
    later = copy.deepcopy(sample)
    later["format_version"] = 2
    wrong.append(("format_version 2", later))
    extra = copy.deepcopy(sample)
    extra["attempts"][0]["surprise"] = True
    wrong.append(("an unknown field", extra))
    lower = copy.deepcopy(sample)
    lower["result"] = {"hex": "0x800423f3", "name": "VSS_E_WRITERERROR_RETRYABLE"}
    wrong.append(("lower-case hex", lower))
    if isinstance(one, list) and one:
        wrong.append(("explain's object alone", one[0]))
    for what, document in wrong:
        if jsonschema.Draft202012Validator(schema).is_valid(document):
            failures.append(f"the schema accepts {what}")

    for failure in failures:
        print("FAIL:", failure, file=sys.stderr)
    print(f"vssctl --json: {checked} documents against {Path(args.schema).name}, {len(wrong)} wrong ones refused; "
          f"{len(failures)} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
