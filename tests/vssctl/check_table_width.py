#!/usr/bin/env python3
"""vssctl's writer tables line up on the screen when names are not ASCII.

Usage: check_table_width.py [--wrapper WRAPPER] VSSCTL SCENARIO

Runs `vssctl run SCENARIO` (tests/vssctl/wide-names.json: a CJK name, a name
with a combining accent, a fullwidth instance name) and, in every writer
table, checks that each column starts at the same screen column in every row
as in the header. Screen columns are counted here with Python's own Unicode
data (East Asian Wide and Fullwidth: 2, combining and format characters: 0),
not with vssctl's table. The checker is first shown a table padded by code
points, as vssctl once padded it, and must find it crooked. `writers --json`
must keep the names as they are.
"""
import argparse
import json
import subprocess
import sys
import unicodedata

COLUMNS = ["Writer", "State", "hrFailureWriter", "hrApplication", "Message"]


def width(text: str) -> int:
    columns = 0
    for char in text:
        if unicodedata.category(char) in ("Mn", "Me", "Cf") and char != "\u00ad":
            continue
        columns += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return columns


def starts(line: str) -> list:
    """The screen columns where the fields of a table line start: two spaces or more part fields."""
    found, spaces, column = [], 2, 0
    for char in line:
        if char != " " and spaces >= 2:
            found.append(column)
        spaces = spaces + 1 if char == " " else 0
        column += width(char)
    return found


def crooked(text: str) -> list:
    """Rows whose fields do not start where the header's columns do; a table runs to a blank line."""
    problems, header, tables = [], None, 0
    for line in text.splitlines():
        if line.startswith("  Writer  ") and "hrFailureWriter" in line:
            header, tables = starts(line), tables + 1
            if len(header) != len(COLUMNS):
                problems.append(f"header {line!r}: {len(header)} columns")
        elif not line.strip():
            header = None
        elif header is not None and not line.startswith("    "):  # "    component ..." lines are no row
            fields = starts(line)
            if len(fields) < len(COLUMNS) - 1 or fields != header[:len(fields)]:
                problems.append(f"row {line!r}: fields at columns {fields}, the header's at {header}")
    if tables == 0:
        problems.append("no writer table in the output")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wrapper", default="")
    parser.add_argument("vssctl")
    parser.add_argument("scenario")
    args = parser.parse_args()
    command = ([args.wrapper] if args.wrapper else []) + [args.vssctl]

    # The check must see a table padded by code points (or bytes) as crooked.
    names = ["数据库 Writer", "Cafe\u0301 Writer", "Mail Writer"]
    wide = max(len(name) for name in names)
    by_code_points = "\n".join(["  " + "Writer".ljust(wide + 2) + "State       hrFailureWriter  hrApplication  Message"] +
                               ["  " + name.ljust(wide + 2) + "[1] STABLE  S_OK             S_OK" for name in names])
    if not crooked(by_code_points):
        print("the check finds nothing wrong with a table padded by code points", file=sys.stderr)
        return 1

    run = subprocess.run(command + ["run", args.scenario], capture_output=True, timeout=300)
    text = run.stdout.decode("utf-8", errors="replace").replace("\r\n", "\n")
    failures = []
    if run.returncode != 1:  # one writer fails at freeze
        failures.append(f"vssctl run exited {run.returncode}: {run.stderr.decode(errors='replace')}")
    for name in names + ["Ｔｅｓｔ", "文件正在使用"]:
        if name not in text:
            failures.append(f"{name!r} is not in the output")
    failures += crooked(text)

    listed = subprocess.run(command + ["writers", "--json", args.scenario], capture_output=True, timeout=300)
    try:
        got = sorted(writer["name"] for writer in json.loads(listed.stdout.decode("utf-8"))["writers"])
    except (ValueError, KeyError) as error:
        got = [f"unreadable: {error}"]
    if got != sorted(names):
        failures.append(f"writers --json names {got}, expected {sorted(names)}")

    for failure in failures:
        print("FAIL:", failure, file=sys.stderr)
    if failures:
        sys.stderr.write(text)
    print(f"writer tables by display width: {len(failures)} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
