#!/usr/bin/env python3
"""The built library exports exactly the symbols of its checked-in list.

ELF: check_exports.py --map abi/vssapi.map --nm NM --library libvssapi.so
PE:  check_exports.py --def abi/vssapi.def --objdump OBJDUMP --library vssapi.dll
         [--reference LIBVSSAPI_A --reference-nm NM]
Fails on any symbol exported but not listed (a leak) and any symbol listed but
not exported (a broken promise), printing both lists. With --reference
(contract C-9.1), also fails on any name Windows' VssApi.dll exports that ours
lacks (mingw-w64's import library of the real DLL is the list), and on any
export of ours that is neither one of those nor the library's own (vss_*,
vssapi_*).
"""
import argparse
import re
import subprocess
import sys
from pathlib import Path


def listed_in_map(path: Path) -> tuple[set[str], set[str]]:
    text = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)
    nodes = set(re.findall(r"^\s*([A-Za-z_][\w.]*)\s*\{", text, flags=re.M))
    symbols = set()
    for block in re.findall(r"global:(.*?)(?:local:|\})", text, flags=re.S):
        symbols.update(s.strip() for s in block.split(";") if s.strip())
    return symbols, nodes


def listed_in_def(path: Path) -> set[str]:
    symbols = set()
    in_exports = False
    for raw in path.read_text().splitlines():
        line = raw.split(";", 1)[0].strip()
        if not line:
            continue
        if line.upper() == "EXPORTS":
            in_exports = True
            continue
        if in_exports:
            name = line.split("=", 1)[0].strip()
            if name.startswith('"'):
                symbols.add(name.strip('"'))
            else:  # x86: Name@N is exported as Name (the DLL is linked with --kill-at)
                symbols.add(re.sub(r"@\d+$", "", name.split()[0]))
    return symbols


def exported_by_elf(nm: str, library: str, version_nodes: set[str]) -> set[str]:
    out = subprocess.run([nm, "-D", "--defined-only", library], check=True,
                         capture_output=True, text=True).stdout
    symbols = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        name = parts[2].split("@", 1)[0]
        if parts[1] == "A" and name in version_nodes:
            continue  # the version node's own marker symbol
        symbols.add(name)
    return symbols


def exported_by_pe(objdump: str, library: str) -> set[str]:
    out = subprocess.run([objdump, "-p", library], check=True, capture_output=True,
                         text=True).stdout
    table = out.split("[Ordinal/Name Pointer] Table", 1)
    if len(table) < 2:
        return set()
    symbols = set()
    for line in table[1].splitlines()[1:]:
        match = re.match(r"\s*\[\s*\d+\]\s+(\S+)", line)
        if not match:
            break
        symbols.add(match.group(1))
    return symbols


def exported_by_windows(nm: str, library: str) -> set[str]:
    """The DLL export names an import library stands for (x86: _Name@N is Name)."""
    out = subprocess.run([nm, library], check=True, capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) != 3 or parts[1] != "T":
            continue
        name = parts[2]
        if not name.startswith("?"):
            name = re.sub(r"^_(\w+)@\d+$", r"\1", name)
        names.add(name)
    return names


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--library", required=True)
    parser.add_argument("--map")
    parser.add_argument("--def", dest="def_file")
    parser.add_argument("--nm")
    parser.add_argument("--objdump")
    parser.add_argument("--reference")
    parser.add_argument("--reference-nm")
    args = parser.parse_args()

    if args.map:
        expected, nodes = listed_in_map(Path(args.map))
        actual = exported_by_elf(args.nm, args.library, nodes)
        source = args.map
    else:
        expected = listed_in_def(Path(args.def_file))
        actual = exported_by_pe(args.objdump, args.library)
        source = args.def_file

    leaked = sorted(actual - expected)
    missing = sorted(expected - actual)
    for name in sorted(actual & expected):
        print(f"ok       {name}")
    for name in leaked:
        print(f"LEAKED   {name}  (exported but not in {source})")
    for name in missing:
        print(f"MISSING  {name}  (in {source} but not exported)")
    failed = len(leaked) + len(missing)
    if args.reference:
        windows = exported_by_windows(args.reference_nm, args.reference)
        for name in sorted(windows - actual):
            print(f"LACKING  {name}  (Windows' VssApi.dll exports it)")
        extra = sorted(n for n in actual - windows if not n.startswith(("vss_", "vssapi_")))
        for name in extra:
            print(f"FOREIGN  {name}  (neither Windows' nor the library's own)")
        print(f"{len(windows & actual)} of Windows' {len(windows)} exports present")
        failed += len(windows - actual) + len(extra)
    print(f"{len(actual & expected)} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
