#!/usr/bin/env python3
"""The version numbers agree as docs/versioning.md says.

Usage: check_versioning.py SOURCE_DIR
"""
import re
import sys
from pathlib import Path


def main() -> int:
    root = Path(sys.argv[1])
    problems = []
    project = re.search(r"project\('openvss'.*?version:\s*'([^']+)'", (root / "meson.build").read_text(), re.S).group(1)
    changelog = re.search(r"^## \[([^\]]+)\]", (root / "CHANGELOG.md").read_text(), re.M)
    if not changelog or changelog.group(1) != project:
        problems.append(f"CHANGELOG.md's top entry is {changelog.group(1) if changelog else 'missing'}, the project {project}")
    abi_major = re.search(r"#define VSSAPI_ABI_VERSION (\d+)", (root / "abi/vssapi/vssapi.h").read_text()).group(1)
    src = (root / "src/meson.build").read_text()
    soversion = re.search(r"soversion:\s*'(\d+)'", src).group(1)
    file_version = re.search(r"\n\s*version:\s*'(\d+)\.(\d+)\.(\d+)'", src).groups()
    nodes = sorted((int(a), int(b)) for a, b in re.findall(r"VSSAPI_(\d+)\.(\d+)\s*\{", (root / "abi/vssapi.map").read_text()))
    newest = nodes[-1]
    if soversion != abi_major:
        problems.append(f"soversion {soversion} but VSSAPI_ABI_VERSION {abi_major}")
    if (int(file_version[0]), int(file_version[1])) != newest or file_version[2] != "0":
        problems.append(f"library file version {'.'.join(file_version)} but the newest map node is VSSAPI_{newest[0]}.{newest[1]}")
    if str(newest[0]) != abi_major:
        problems.append(f"map node VSSAPI_{newest[0]}.{newest[1]} but VSSAPI_ABI_VERSION {abi_major}")
    baseline = (root / "abi/vssapi.abi").read_text()
    soname = re.search(r"soname='([^']+)'", baseline)
    if not soname or soname.group(1) != f"libvssapi.so.{abi_major}":
        problems.append(f"abi/vssapi.abi is of {soname.group(1) if soname else 'no soname'}, not libvssapi.so.{abi_major}")
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"project {project} (CHANGELOG agrees); ABI {abi_major}.{newest[1]}: libvssapi.so.{soversion}, "
              f"file {'.'.join(file_version)}, baseline {soname.group(1)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
