#!/usr/bin/env python3
"""Every public header compiles on its own, warning-free, as C11, C++17 and C++20,
and one that includes vssapi/platform.h refuses C99 and C++14 with its message.

Usage: check_headers.py HEADER... --include DIR --cc CMD... --cxx CMD...
Each header is included alone (and twice, to prove its guard) in a scratch
file and compiled with -fsyntax-only -Wall -Wextra -pedantic -Werror by the
build's own compilers, so the cross build checks them against mingw's headers.
"""
import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

STANDARDS = [("c", "-std=c11"), ("c++", "-std=c++17"), ("c++", "-std=c++20")]
# Headers that need no more than C99 and C++11: the export macros, and the
# flat C API, which other languages' FFI generators read (checked below).
STANDALONE = {"vssapi/export.h", "vssapi/vssapi.h"}
OLDER = [("c", "-std=c99"), ("c++", "-std=c++11")]
TOO_OLD = [("c", "-std=c99", "need C11 or later"), ("c++", "-std=c++14", "need C++17 or later")]
FLAGS = ["-fsyntax-only", "-Wall", "-Wextra", "-pedantic", "-Werror"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--include", required=True)
    parser.add_argument("--cc", nargs="+", required=True)
    parser.add_argument("--cxx", nargs="+", required=True)
    parser.add_argument("headers", nargs="+")
    args = parser.parse_args()

    include = Path(args.include).resolve()
    failures = 0
    checks = 0
    with tempfile.TemporaryDirectory() as scratch:
        for header in args.headers:
            name = Path(header).resolve().relative_to(include).as_posix()
            for language, standard in STANDARDS:
                suffix = ".c" if language == "c" else ".cpp"
                source = Path(scratch) / f"only{suffix}"
                source.write_text(f"#include <{name}>\n#include <{name}>\nint vssapi_header_check;\n")
                compiler = args.cc if language == "c" else args.cxx
                cmd = [*compiler, standard, *FLAGS, f"-I{include}", str(source)]
                result = subprocess.run(cmd, capture_output=True, text=True)
                checks += 1
                if result.returncode != 0:
                    failures += 1
                    print(f"FAIL {name} as {standard}:\n{result.stderr}")
                else:
                    print(f"ok   {name} as {standard}")
            if name in STANDALONE:
                for language, standard in OLDER:
                    suffix = ".c" if language == "c" else ".cpp"
                    source = Path(scratch) / f"older{suffix}"
                    source.write_text(f"#include <{name}>\nint vssapi_header_check;\n")
                    compiler = args.cc if language == "c" else args.cxx
                    result = subprocess.run([*compiler, standard, *FLAGS, f"-I{include}", str(source)],
                                            capture_output=True, text=True)
                    checks += 1
                    if result.returncode != 0:
                        failures += 1
                        print(f"FAIL {name} as {standard}:\n{result.stderr}")
                    else:
                        print(f"ok   {name} as {standard}")
                continue
            for language, standard, message in TOO_OLD:
                suffix = ".c" if language == "c" else ".cpp"
                source = Path(scratch) / f"old{suffix}"
                source.write_text(f"#include <{name}>\nint vssapi_header_check;\n")
                compiler = args.cc if language == "c" else args.cxx
                result = subprocess.run([*compiler, standard, "-fsyntax-only", f"-I{include}", str(source)],
                                        capture_output=True, text=True)
                checks += 1
                if result.returncode == 0 or message not in result.stderr:
                    failures += 1
                    print(f"FAIL {name} as {standard}: not refused with '{message}'\n{result.stderr[-400:]}")
                else:
                    print(f"ok   {name} refuses {standard}")
    print(f"{checks - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
