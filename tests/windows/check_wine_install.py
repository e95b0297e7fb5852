#!/usr/bin/env python3
"""`vssctl wine-install` makes a program that loads VssApi from System32 use
ours, and `vssctl wine-uninstall` gives Wine's own back (contract C-9,
README "Drop-in for Windows programs").

check_wine_install.py --vssctl VSSCTL --wine WINE --loader LOADER.exe
                      --dll vssapi.dll --arch x64|x86

A fresh prefix of its own (a prefix made before wine32 was installed cannot
boot), the loader copied alone into it, so no vssapi.dll sits beside it.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vssctl", required=True)
    parser.add_argument("--wine", required=True)
    parser.add_argument("--loader", required=True)
    parser.add_argument("--dll", required=True)
    parser.add_argument("--arch", choices=["x64", "x86"], required=True)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="openvss-wine-install.") as scratch:
        prefix = Path(scratch) / "prefix"
        env = dict(os.environ, WINEPREFIX=str(prefix), WINEDEBUG="-all")
        env.pop("WINEDLLOVERRIDES", None)  # the prefix's registry must decide, as for a user
        env["WINEDLLOVERRIDES"] = "mscoree=;mshtml=;winemenubuilder.exe="
        subprocess.run([args.wine, "wineboot", "--init"], env=env, capture_output=True, timeout=300)
        subprocess.run(["wineserver", "-w"], env=env, timeout=120)
        program_dir = prefix / "drive_c" / "tools"
        program_dir.mkdir(parents=True)
        loader = program_dir / Path(args.loader).name
        shutil.copy(args.loader, loader)

        def load() -> str:
            result = subprocess.run([args.wine, str(loader)], cwd=program_dir, env=env, capture_output=True,
                                    text=True, timeout=120)
            lines = [line for line in result.stdout.splitlines() if line != "PASS"]
            print(f"  loader ({result.returncode}): {' / '.join(lines)}")
            return lines[0] if lines and result.returncode == 0 else f"failed: {result.stdout}{result.stderr[-800:]}"

        failures = 0
        before = load()
        if before != "not openvss":
            print(f"FAIL before wine-install the loader got: {before}")
            failures += 1
        install = [args.vssctl, "wine-install", "--prefix", str(prefix),
                   "--dll64" if args.arch == "x64" else "--dll32", args.dll]
        print("$ " + " ".join(install))
        if subprocess.run(install, env=env, timeout=300).returncode != 0:
            print("FAIL wine-install")
            return 1
        after = load()
        if not after.startswith("openvss "):
            print(f"FAIL after wine-install the loader got: {after}")
            failures += 1
        print(f"$ {args.vssctl} wine-uninstall --prefix {prefix}")
        if subprocess.run([args.vssctl, "wine-uninstall", "--prefix", str(prefix)], env=env,
                          timeout=300).returncode != 0:
            print("FAIL wine-uninstall")
            failures += 1
        restored = load()
        if restored != "not openvss":
            print(f"FAIL after wine-uninstall the loader got: {restored}")
            failures += 1
        subprocess.run(["wineserver", "-k"], env=env, timeout=60)
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
