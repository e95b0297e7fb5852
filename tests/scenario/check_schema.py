#!/usr/bin/env python3
"""abi/scenario.schema.json says what src/scenario/parse.cpp says.

Usage: check_schema.py --schema FILE --hresult-table FILE --examples DIR
                       --good DIR --bad DIR

- The schema is a valid JSON Schema (draft 2020-12).
- Its HRESULT names are the names of src/core/hresult_table.cpp, and its
  failure names those with a negative value.
- Every examples/scenarios/*.json and tests/scenario/good/*.json is valid.
- Every tests/scenario/bad/*.json is rejected, unless it is listed below as
  wrong in a way a schema cannot express (the parser's .err file beside it
  says why it is wrong). The lists are checked too: a listed file the
  schema does reject should leave its list.

Exit code 77 (a skip for Meson) when Python's jsonschema is missing.
"""
import argparse
import json
import math
import re
import sys
from pathlib import Path

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed; skipping")
    sys.exit(77)

# Bad files that are not JSON at all (the parser reports where the JSON breaks).
NOT_JSON = {
    "broken-after-end.json",
    "broken-garbage.json",
    "broken-missing-colon.json",
    "broken-trailing-comma-array.json",
    "broken-trailing-comma.json",
    "broken-true-misspelled.json",
    "broken-unclosed-string-at-end.json",
    "broken-unclosed-string.json",
    "deep-nesting.json",        # and too deep before that
    "empty.json",
    "huge-exponent.json",       # 1e999 is no number nlohmann (or a double) holds
    "invalid-utf8.json",
    "nul-byte.json",
    "only-white-space.json",
}

# Bad files that are JSON and that a schema cannot reject.
SCHEMA_CANNOT = {
    "ambiguous-component.json": "a component named by a name two components share",
    "duplicate-component.json": "two components with the same logical_path\\name",
    "duplicate-instance-id.json": "two writers with one instance id (GUIDs compare without case)",
    "duplicate-key.json": "the same field twice (a JSON object model keeps one)",
    "message-too-long-utf16.json": "maxLength counts code points, the limit is UTF-16 code units",
    "nul-escape.json": "U+0000 in a string",
    "unknown-component.json": "a component the writer does not declare",
    "utf16.json": "UTF-16 text (Python reads it; a scenario file is UTF-8)",
}


def load(path: Path):
    """The file's JSON value; ValueError when it is not strict JSON."""
    def no_constant(name):
        raise ValueError(f"{name} is not JSON")

    def finite(text):
        value = float(text)
        if math.isinf(value):
            raise ValueError(f"{text} is past the range of a double")
        return value
    try:
        return json.loads(path.read_bytes(), parse_constant=no_constant, parse_float=finite)
    except RecursionError as error:
        raise ValueError("nested too deep") from error


def table_names(table: Path):
    rows = re.findall(r'HRESULT\(0x([0-9A-Fa-f]+)u\), "(\w+)"', table.read_text(encoding="utf-8"))
    names = list(dict.fromkeys(name for _, name in rows))
    failures = list(dict.fromkeys(name for value, name in rows if int(value, 16) >= 0x80000000))
    return names, failures


def main() -> int:
    parser = argparse.ArgumentParser()
    for option in ("--schema", "--hresult-table", "--examples", "--good", "--bad"):
        parser.add_argument(option, required=True, type=Path)
    args = parser.parse_args()

    problems = []
    schema = load(args.schema)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    names, failures = table_names(args.hresult_table)
    if schema["$defs"]["hresult"]["anyOf"][0]["enum"] != names:
        problems.append("the schema's HRESULT names differ from src/core/hresult_table.cpp")
    if schema["$defs"]["failureHresult"]["anyOf"][0]["enum"] != failures:
        problems.append("the schema's failure HRESULT names differ from src/core/hresult_table.cpp")

    valid = sorted(args.examples.glob("*.json")) + sorted(args.good.glob("*.json"))
    for path in valid:
        errors = list(validator.iter_errors(load(path)))
        for error in errors:
            problems.append(f"{path}: rejected: {'/'.join(map(str, error.absolute_path))}: {error.message}")
    if not valid:
        problems.append("no examples and no good files")

    bad = sorted(args.bad.glob("*.json"))
    names_on_disk = {path.name for path in bad}
    for listed in sorted((NOT_JSON | set(SCHEMA_CANNOT)) - names_on_disk):
        problems.append(f"{listed} is listed in check_schema.py but is not in {args.bad}")
    rejected = 0
    for path in bad:
        try:
            value = load(path)
        except ValueError:
            if path.name not in NOT_JSON:
                problems.append(f"{path}: not JSON, but not in NOT_JSON")
            continue
        if path.name in NOT_JSON:
            problems.append(f"{path}: listed in NOT_JSON but loads as JSON")
            continue
        caught = not validator.is_valid(value)
        if path.name in SCHEMA_CANNOT:
            if caught:
                problems.append(f"{path}: the schema rejects it after all; take it out of SCHEMA_CANNOT")
        elif not caught:
            problems.append(f"{path}: the schema accepts it, the parser does not ({path.with_suffix('.err').name})")
        rejected += caught

    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(valid)} valid files accepted; {rejected} of {len(bad)} bad files rejected by the schema, "
          f"{len(NOT_JSON)} not JSON, {len(SCHEMA_CANNOT)} beyond what a schema can say")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
