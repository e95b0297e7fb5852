#!/bin/sh
# The Rust crate as a user gets it: a copy of this folder (what a path or git
# dependency fetches) outside the source tree, built against an installed
# libvssapi found by build.rs through pkg-config, with nothing else set: no
# VSSAPI_LIBRARY, no LD_LIBRARY_PATH (build.rs puts pkg-config's -L directory
# on the rpath). Runs `cargo test --offline` there, then checks that the test
# programs load the prefix's library.
#
#   meson install -C build/native --destdir /tmp/stage
#   bindings/rust/installed_check.sh /tmp/stage/usr/local
#
# PREFIX must hold pkgconfig/vssapi.pc under lib, lib64 or lib/<multiarch>
# (Meson writes a relocatable one, so a --destdir stage will do). The source
# tree is read for examples/scenarios only, which the tests open beside the
# crate as ../../examples/scenarios. KEEP=1 keeps the work folder.
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
source_root=$(cd "$here/../.." && pwd -P)
# shellcheck source=SCRIPTDIR/../installed_prefix.sh
. "$here/../installed_prefix.sh"
installed_prefix "PREFIX   (an install prefix holding pkgconfig/vssapi.pc and libvssapi.so)" "$@"
cargo=$(command -v "${CARGO:-cargo}") || { echo "$0: cargo not found" >&2; exit 2; }
libdir=$(installed_pc_libdir) || exit 2
installed_work rust

# The crate and, where its tests look for them, the example scenarios.
crate=$work/app/bindings/rust
mkdir -p "$crate" "$work/app/examples"
cp -R "$here"/. "$crate"/
rm -rf "$crate/target" "$crate/installed_check.sh"
cp -R "$source_root/examples/scenarios" "$work/app/examples/scenarios"

# A clean environment: the toolchain (PATH, and rustup's homes when it is
# rustup's), the target folder in the work folder, and pkg-config's path.
run() {
    env -i PATH="$PATH" HOME="${HOME:-$work}" \
        ${RUSTUP_HOME:+RUSTUP_HOME="$RUSTUP_HOME"} ${CARGO_HOME:+CARGO_HOME="$CARGO_HOME"} \
        ${RUSTUP_TOOLCHAIN:+RUSTUP_TOOLCHAIN="$RUSTUP_TOOLCHAIN"} \
        CARGO_TARGET_DIR="$work/target" CARGO_TERM_COLOR=never \
        PKG_CONFIG_PATH="$libdir/pkgconfig" "$@"
}

echo "== pkg-config --libs vssapi: $(run pkg-config --libs vssapi)"
echo "== cargo test --offline in $crate"
(cd "$crate" && run "$cargo" test --offline --quiet)

# The programs cargo built load the installed library through their rpath.
checked=0
for program in "$work"/target/debug/examples/example "$work"/target/debug/deps/scenarios-*; do
    [ -x "$program" ] && [ ! -d "$program" ] || continue
    case $program in *.d) continue ;; esac
    loaded=$(env -i PATH=/usr/bin:/bin ldd "$program" | sed -n 's/^[[:space:]]*libvssapi\.so\.1 => \([^ ]*\).*/\1/p')
    if [ -z "$loaded" ]; then
        echo "$0: $program does not find libvssapi.so.1" >&2
        exit 1
    fi
    loaded=$(cd "$(dirname "$loaded")" && pwd -P)/$(basename "$loaded")
    case $loaded in
    "$prefix"/*) echo "== $(basename "$program") loads $loaded" ;;
    *) echo "$0: $program loads $loaded, not the library under $prefix" >&2; exit 1 ;;
    esac
    checked=$((checked + 1))
done
if [ "$checked" -lt 2 ]; then
    echo "$0: cargo built no example or scenarios test program to check" >&2
    exit 1
fi
echo "== installed check passed"
