#!/usr/bin/env python3
"""Builds a test program in Microsoft's ABI without MSVC (contract C-9).

msvc_build.py --arch x64|x86 --vssapi-reference LIBVSSAPI_A --nm NM
              --output PROGRAM.exe SOURCE.cpp...

clang++ compiles for *-pc-windows-msvc exactly as MSVC lays out objects,
vtables and calls; lld-link links without a C runtime. The import library
of VssApi.dll is made by llvm-dlltool from mingw-w64's import library of
Windows' own DLL (the reference list, C-9.1), never from ours, so the
program imports what a program built against the SDK imports.
"""
import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

SYSTEM_IMPORTS = {
    "kernel32.dll": ["ExitProcess", "Sleep", "GetStdHandle", "WriteFile", "GetProcessHeap", "HeapAlloc", "HeapFree",
                     "LoadLibraryExW", "GetProcAddress", "CreateFileW", "ReadFile", "CloseHandle", "CreateDirectoryW",
                     "GetFileAttributesW", "DeleteFileW", "RemoveDirectoryW"],
    "oleaut32.dll": ["SysAllocString", "SysFreeString"],
    "ole32.dll": ["CoTaskMemAlloc", "CoTaskMemFree"],
    "msvcrt.dll": ["_CxxThrowException", "__CxxFrameHandler3"],
}
# x86 __stdcall argument bytes of the system functions above.
X86_BYTES = {"ExitProcess": 4, "Sleep": 4, "GetStdHandle": 4, "WriteFile": 20, "GetProcessHeap": 0,
             "HeapAlloc": 12, "HeapFree": 12, "LoadLibraryExW": 12, "GetProcAddress": 8, "SysAllocString": 4, "SysFreeString": 4,
             "CoTaskMemAlloc": 4, "CoTaskMemFree": 4, "_CxxThrowException": 8, "CreateFileW": 28, "ReadFile": 20,
             "CloseHandle": 4, "CreateDirectoryW": 8, "GetFileAttributesW": 4, "DeleteFileW": 4, "RemoveDirectoryW": 4,
             "__CxxFrameHandler3": None}  # None: __cdecl


def reference_names(nm: str, library: str) -> list[str]:
    out = subprocess.run([nm, library], check=True, capture_output=True, text=True).stdout
    names = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] == "T":
            names.append(parts[2])
    return sorted(set(names))


def run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(" ".join(command) + "\n" + result.stdout + result.stderr)
        sys.exit(result.returncode)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--arch", choices=["x64", "x86"], required=True)
    parser.add_argument("--vssapi-reference", required=True)
    parser.add_argument("--nm", required=True)
    parser.add_argument("--clang", default="clang++")
    parser.add_argument("--lld-link", default="lld-link")
    parser.add_argument("--dlltool", default="llvm-dlltool")
    parser.add_argument("--output", required=True)
    parser.add_argument("sources", nargs="+")
    args = parser.parse_args()

    x86 = args.arch == "x86"
    target = "i686-pc-windows-msvc" if x86 else "x86_64-pc-windows-msvc"
    machine = "i386" if x86 else "i386:x86-64"
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        libs = []
        # The import library of Windows' VssApi.dll, from the reference list.
        lines = ["LIBRARY VssApi.dll", "EXPORTS"]
        for name in reference_names(args.nm, args.vssapi_reference):
            if x86 and not name.startswith("?"):
                name = name[1:] if name.startswith("_") else name  # _Name@N -> Name@N; -k drops @N
            lines.append(f'    "{name}"' if name.startswith("?") else f"    {name}")
        (work / "vssapi.def").write_text("\n".join(lines) + "\n")
        run([args.dlltool, "-m", machine, "-d", str(work / "vssapi.def"), "-l", str(work / "vssapi.lib")]
            + (["-k"] if x86 else []))
        libs.append(str(work / "vssapi.lib"))
        for dll, functions in SYSTEM_IMPORTS.items():
            stem = dll.split(".")[0]
            entries = [f"{f}@{X86_BYTES[f]}" if x86 and X86_BYTES[f] is not None else f for f in functions]
            (work / f"{stem}.def").write_text(f"LIBRARY {dll}\nEXPORTS\n" + "".join(f"    {e}\n" for e in entries))
            run([args.dlltool, "-m", machine, "-d", str(work / f"{stem}.def"), "-l", str(work / f"{stem}.lib")]
                + (["-k"] if x86 else []))
            libs.append(str(work / f"{stem}.lib"))
        objects = []
        for index, source in enumerate(args.sources):
            obj = work / f"{index}_{Path(source).stem}.obj"
            run([args.clang, f"--target={target}", "-fms-extensions", "-fms-compatibility", "-std=c++17",
                 "-O1", "-fno-builtin", "-fexceptions", "-fcxx-exceptions", "-fno-stack-protector",
                 "-Wall", "-Wno-unused-function", "-Werror=return-type",
                 "-I", str(Path(source).parent), "-c", source, "-o", str(obj)])
            objects.append(str(obj))
        run([args.lld_link, "/nologo", "/nodefaultlib", "/entry:mainCRTStartup", "/subsystem:console",
             f"/out:{args.output}"] + (["/safeseh:no"] if x86 else []) + objects + libs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
