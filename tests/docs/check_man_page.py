#!/usr/bin/env python3
"""docs/vssctl.1 documents every command and option `vssctl --help` lists.

Usage: check_man_page.py MAN_PAGE VSSCTL [WRAPPER...]
"""
import re
import subprocess
import sys
from pathlib import Path


def main() -> int:
    page = Path(sys.argv[1]).read_text(encoding="utf-8")
    command = sys.argv[3:] + [sys.argv[2], "--help"]
    help_text = subprocess.run(command, capture_output=True, text=True, timeout=60).stdout
    # roff writes a hyphen in an option as \- ; compare without the escapes.
    plain = page.replace("\\-", "-")
    # "--option" is the help's placeholder (as in --option=value), not an option.
    options = sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", help_text)) - {"--option"})
    commands = sorted(set(re.findall(r"^\s{2}([a-z][a-z-]+)\b", help_text, re.MULTILINE)))
    missing = [name for name in options + commands if name not in plain]
    if not options or not commands:
        print(f"could not read commands and options from: {' '.join(command)}", file=sys.stderr)
        return 1
    if missing:
        print(f"{sys.argv[1]} does not document: {', '.join(missing)}", file=sys.stderr)
        return 1
    print(f"the man page documents all {len(commands)} commands and {len(options)} options of vssctl --help")
    return 0


if __name__ == "__main__":
    sys.exit(main())
