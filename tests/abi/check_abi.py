#!/usr/bin/env python3
"""The ABI gate: the built Linux library against the checked-in baseline.

Usage: check_abi.py LIBRARY BASELINE

Runs libabigail's abidiff on the exported interfaces only. An incompatible
change (a removed or changed function, a changed public struct) fails; a
compatible one (an added function) passes but is printed, so the baseline can
be refreshed on purpose. Refreshing it is a reviewed step (README, "ABI gate"):

  abidw --no-corpus-path --no-show-locs --no-comp-dir-path \
        --exported-interfaces-only \
        build/native/src/libvssapi.so.1.1.0 > abi/vssapi.abi
"""
import re
import subprocess
import sys

# abidiff's exit status is a bit field (libabigail's abidiff manual).
ERROR = 1
USAGE_ERROR = 2
ABI_CHANGE = 4
ABI_INCOMPATIBLE_CHANGE = 8


def main() -> int:
    library, baseline = sys.argv[1:3]
    # No --headers-dir2: libabigail then drops the public structs themselves
    # (their DWARF paths are relative to the build dir), hiding real changes.
    cmd = ["abidiff", "--exported-interfaces-only", "--no-show-locs", baseline, library]
    result = subprocess.run(cmd, capture_output=True, text=True)
    print(result.stdout, end="")
    print(result.stderr, end="", file=sys.stderr)
    status = result.returncode
    if status & (ERROR | USAGE_ERROR):
        print(f"abidiff could not compare (exit {status})", file=sys.stderr)
        return 1
    # abidiff marks only removals as incompatible; a changed public struct or
    # signature is a plain "change" to it, but breaks callers all the same.
    # Only pure additions are compatible.
    broken = status & ABI_INCOMPATIBLE_CHANGE
    for kind, removed, changed in re.findall(r"(Functions|Variables) changes summary: (\d+) Removed, (\d+) Changed",
                                             result.stdout):
        broken |= int(removed) > 0 or int(changed) > 0
    if broken:
        print("ABI gate: INCOMPATIBLE change against abi/vssapi.abi (see above)", file=sys.stderr)
        return 1
    if status & ABI_CHANGE:
        print("ABI gate: compatible change (additions); refresh abi/vssapi.abi on purpose (README)")
    else:
        print("ABI gate: no change against abi/vssapi.abi")
    return 0


if __name__ == "__main__":
    sys.exit(main())
