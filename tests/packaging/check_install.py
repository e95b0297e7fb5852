#!/usr/bin/env python3
"""openvss as another project uses it: installed (meson install --destdir),
then found by pkg-config, by CMake's find_package(vssapi), and as a Meson
subproject with dependency('vssapi', fallback: 'openvss'); what the
install puts beside the library (man page, bash completion, docs, licence);
and each language binding from that install, by its own installed_check.sh.

Usage: check_install.py BUILD_DIR SOURCE_DIR {installed|subproject|binding LANGUAGE}
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def run(command, **kwargs):
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        print(f"$ {' '.join(map(str, command))}\n{done.stdout}\n{done.stderr}", file=sys.stderr)
        raise SystemExit(f"failed: {command[0]} (exit status {done.returncode})")
    return done.stdout


def install(build: Path, stage: Path) -> tuple[dict, Path]:
    """meson install --destdir STAGE: the build's options and the staged prefix."""
    run(["meson", "install", "-C", str(build), "--destdir", str(stage), "--no-rebuild", "--quiet"])
    listed = run(["meson", "introspect", str(build), "--buildoptions"])
    options = {o["name"]: o["value"] for o in json.loads(listed)}
    return options, stage / options["prefix"].lstrip("/")


# Each binding's check of itself from an installed prefix (what it runs, where).
BINDING_CHECKS = {
    "python": "bindings/python/tests/installed_check.sh",
    "rust": "bindings/rust/installed_check.sh",
    "node": "bindings/node/test/installed_check.sh",
    "go": "bindings/go/installed_check.sh",
    "csharp": "bindings/csharp/installed_check.sh",
}


def binding(build: Path, source: Path, work: Path, language: str) -> None:
    _, root = install(build, work / "stage")
    # The script's output is the test's log: a user's view of the install.
    done = subprocess.run(["sh", str(source / BINDING_CHECKS[language]), str(root)],
                          env=dict(os.environ, TMPDIR=str(work)))
    if done.returncode != 0:
        raise SystemExit(f"{BINDING_CHECKS[language]} failed (exit status {done.returncode})")


def installed(build: Path, source: Path, work: Path) -> None:
    stage = work / "stage"
    options, root = install(build, stage)
    libdir = root / options["libdir"]
    env = dict(os.environ, LD_LIBRARY_PATH=str(libdir))
    problems = []

    # pkg-config: vssapi.pc is relocatable (its prefix is where it lies), so the
    # staged tree needs no PKG_CONFIG_SYSROOT_DIR.
    pc_env = dict(env, PKG_CONFIG_PATH=str(libdir / "pkgconfig"))
    flags = run(["pkg-config", "--cflags", "--libs", "vssapi"], env=pc_env).split()
    for flag in flags:
        if flag.startswith(("-I", "-L")) and not Path(flag[2:]).resolve().is_relative_to(root.resolve()):
            problems.append(f"pkg-config gives {flag}, outside the installed prefix {root}")
    run(["cc", "-std=c11", str(source / "tests/packaging/consumer.c"), *flags, "-o", str(work / "pc_c")])
    run(["c++", "-std=c++17", str(source / "tests/packaging/consumer.cpp"), *flags, "-o", str(work / "pc_cpp")])
    print("pkg-config:", run([str(work / "pc_c")], env=env).strip(), "|", run([str(work / "pc_cpp")], env=env).strip())

    # CMake: find_package(vssapi) and the imported target.
    if shutil.which("cmake"):
        cmake_build = work / "cmake"
        run(["cmake", "-S", str(source / "tests/packaging/cmake"), "-B", str(cmake_build),
             f"-DCMAKE_PREFIX_PATH={root}"], env=env)
        run(["cmake", "--build", str(cmake_build)], env=env)
        print("cmake:", run([str(cmake_build / "consumer")], env=env).strip(), "|",
              run([str(cmake_build / "consumer_cpp")], env=env).strip())
    else:
        problems.append("cmake not found: find_package(vssapi) not checked")

    # What else the install holds.
    share = root / options["datadir"]
    expected = [
        share / "doc/openvss/LICENSE",
        share / "doc/openvss/README.md",
        share / "doc/openvss/contract.md",
        share / "bash-completion/completions/vssctl",
        root / options["mandir"] / "man1/vssctl.1",
        root / options["includedir"] / "openvss/vsprov.h",
        libdir / "cmake/vssapi/vssapiConfig.cmake",
    ]
    for path in expected:
        if not path.is_file():
            problems.append(f"not installed: {path.relative_to(stage)}")
    man = root / options["mandir"]
    if shutil.which("man") and (man / "man1/vssctl.1").is_file():
        page = run(["man", "-P", "cat", "vssctl"], env=dict(env, MANPATH=str(man), MANWIDTH="80", TERM="dumb"))
        if "vssctl" not in page or "explain" not in page:
            problems.append("man vssctl does not show the page")
        else:
            print("man vssctl: ok,", len(page.splitlines()), "lines")
    completion = share / "bash-completion/completions/vssctl"
    if completion.is_file():
        words = run(["bash", "-c", f'source "{completion}"; COMP_WORDS=(vssctl ""); COMP_CWORD=1; _vssctl; '
                     'echo "${COMPREPLY[@]}"'])
        if "explain" not in words or "providers" not in words:
            problems.append(f"bash completion offers: {words.strip()}")
        else:
            print("bash completion: vssctl <TAB> ->", words.strip())
    if problems:
        raise SystemExit("\n".join(problems))


def subproject(source: Path, work: Path) -> None:
    consumer = work / "consumer"
    shutil.copytree(source / "tests/packaging/meson", consumer)
    shutil.copy(source / "tests/packaging/consumer.c", consumer / "consumer.c")
    (consumer / "subprojects").mkdir()
    (consumer / "subprojects/openvss").symlink_to(source)
    build = consumer / "build"
    run(["meson", "setup", str(build), str(consumer)])
    run(["meson", "compile", "-C", str(build)])
    listed = run(["meson", "test", "-C", str(build), "--list", "--no-rebuild"])
    tests = [line.strip() for line in listed.splitlines() if line.strip()]
    print("the consumer's tests:", "; ".join(tests))
    if len(tests) != 1 or "openvss" in tests[0] or not tests[0].endswith("consumer"):
        raise SystemExit(f"the consumer's meson test would run more than its own test: {tests}")
    run(["meson", "test", "-C", str(build), "--no-rebuild"])
    ours = list((build / "subprojects/openvss").rglob("*_tests*"))
    if ours:
        raise SystemExit(f"a test program of ours was built: {ours[0]}")


def main() -> int:
    build, source, mode = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve(), sys.argv[3]
    with tempfile.TemporaryDirectory(prefix="openvss-packaging-") as temp:
        if mode == "installed":
            installed(build, source, Path(temp))
        elif mode == "binding":
            binding(build, source, Path(temp), sys.argv[4])
        else:
            subproject(source, Path(temp))
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
