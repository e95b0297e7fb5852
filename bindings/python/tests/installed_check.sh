#!/bin/sh
# The Python binding as a user gets it: the package installed the way Python
# installs things, the library from an install prefix, nothing from the build or
# source tree on any path. Runs the unittest suite that way, from a directory
# outside the source tree, with only LD_LIBRARY_PATH=<prefix's lib dirs> set.
#
#   meson install -C build/native --destdir /tmp/stage
#   bindings/python/tests/installed_check.sh /tmp/stage
#
# or with a prefix made by hand, the library alone:
#   mkdir -p /tmp/pyprefix/lib
#   find build/native/src -maxdepth 1 -name 'libvssapi.so*' ! -type d -exec cp -P {} /tmp/pyprefix/lib/ \;
#   bindings/python/tests/installed_check.sh /tmp/pyprefix
#
# PYTHON (default python3) is the interpreter to install into (a venv of it).
# INSTALL=pip (the default when that Python can build a wheel offline: setuptools
# with wheel, or setuptools 70.1 and later) runs pip install --no-build-isolation
# --no-deps --no-index; INSTALL=copy copies the package folder into the venv's
# site-packages, as a packager would. When PREFIX also holds the package as
# meson install put it (.../site-packages/vssapi), the suite runs against that
# copy too, found through PYTHONPATH as a prefix's packages are.
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
binding=$(dirname "$here")
# shellcheck source=SCRIPTDIR/../../installed_prefix.sh
. "$binding/../installed_prefix.sh"
installed_prefix "PREFIX   (a folder holding libvssapi.so.1, e.g. a meson install --destdir)" "$@"
python=${PYTHON:-python3}
install=${INSTALL:-auto}
# Every folder of the prefix holding the library, for the loader.
libdirs=$(installed_libdirs libvssapi.so.1) || exit 2
installed_work python
mkdir "$work/run" "$work/src"
# setuptools builds in the folder it is given: give it a copy, not the sources.
cp "$binding/pyproject.toml" "$binding/README.md" "$work/src/"
cp -R "$binding/vssapi" "$work/src/vssapi"
rm -rf "$work/src/vssapi/__pycache__"

# The venv sees the interpreter's own packages (pip, setuptools): nothing is downloaded.
"$python" -m venv --without-pip --system-site-packages "$work/venv"
venv_python=$work/venv/bin/python
site=$("$venv_python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')

can_build_wheel() {
    # From the installed versions: importing setuptools here could fail for other reasons.
    "$venv_python" - <<'EOF'
import importlib.metadata, importlib.util, sys
def version(name):
    try:
        return tuple(int(part) for part in importlib.metadata.version(name).split(".")[:2])
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return None
setuptools = version("setuptools")
ok = importlib.util.find_spec("pip") is not None and setuptools is not None and setuptools >= (61, 0) \
    and (setuptools >= (70, 1) or version("wheel") is not None)
sys.exit(0 if ok else 1)
EOF
}

if [ "$install" = auto ]; then
    if can_build_wheel; then install=pip; else install=copy; fi
fi
case $install in
pip)
    echo "== pip install --no-build-isolation --no-deps --no-index (into a venv of $python)"
    "$venv_python" -m pip install --quiet --no-build-isolation --no-deps --no-index "$work/src"
    ;;
copy)
    echo "== copying the package into the venv's site-packages ($python cannot build a wheel offline here)"
    cp -R "$work/src/vssapi" "$site/vssapi"
    ;;
*)
    echo "$0: INSTALL must be auto, pip or copy, not $install" >&2
    exit 2
    ;;
esac

# Runs the check and the suite in a clean environment: $1 the package's folder,
# then extra VAR=value settings.
run_suite() {
    expected=$1
    shift
    echo "== vssapi from $expected, libvssapi from LD_LIBRARY_PATH=$libdirs"
    (cd "$work/run" && env -i PATH=/usr/bin:/bin HOME="$work" LD_LIBRARY_PATH="$libdirs" \
        PYTHONDONTWRITEBYTECODE=1 "$@" "$venv_python" - "$expected" "$prefix" "$binding" <<'EOF'
import os, sys
import vssapi
expected, prefix, binding = (os.path.realpath(p) for p in sys.argv[1:])
package = os.path.realpath(os.path.dirname(vssapi.__file__))
assert package.startswith(expected + os.sep) or package == os.path.join(expected, "vssapi"), \
    f"vssapi imported from {package}, not from {expected}"
assert not package.startswith(binding + os.sep), f"vssapi imported from the source tree: {package}"
with open("/proc/self/maps") as maps:
    loaded = {line.split()[-1] for line in maps if "libvssapi" in line}
assert loaded and all(os.path.realpath(p).startswith(prefix + os.sep) for p in loaded), \
    f"libvssapi loaded from {loaded}, not from {prefix}"
assert os.path.isfile(os.path.join(package, "py.typed")), "py.typed is missing"
print(f"vssapi {vssapi.version()} from {package}, {sorted(loaded)[0]}")
EOF
    )
    (cd "$work/run" && env -i PATH=/usr/bin:/bin HOME="$work" LD_LIBRARY_PATH="$libdirs" \
        PYTHONDONTWRITEBYTECODE=1 "$@" "$venv_python" -m unittest discover -s "$here" -t "$here")
}

run_suite "$site"

# The copy meson install made, if the prefix has one.
meson_site=$(find "$prefix" -path '*-packages/vssapi/__init__.py' -exec dirname {} \; | head -n 1)
if [ -n "$meson_site" ]; then
    meson_site=$(dirname "$meson_site")
    rm -rf "$site/vssapi" "$site"/vssapi-*.dist-info
    run_suite "$meson_site" PYTHONPATH="$meson_site"
fi
echo "== installed check passed"
