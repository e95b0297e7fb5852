#!/bin/sh
# The C# binding as a user gets it: OpenVss.VssApi.dll and its .dll.config as meson install
# lays them out (<libdir>/mono/openvss), copied beside a program compiled outside the source
# tree (the way Mono programs use a library: pkg-config's Libraries variable lists the files),
# and libvssapi from the prefix. Runs Tests.exe that way, from a folder outside the source
# tree, in an environment holding nothing but PATH, HOME, LANG and LD_LIBRARY_PATH=<the
# prefix's folders holding libvssapi.so.1> (no VSSAPI_LIBRARY, no MONO_PATH).
#
#   meson install -C build/native --destdir /tmp/stage
#   bindings/csharp/installed_check.sh /tmp/stage/usr/local
#
# or with a prefix made by hand, the library alone (then the assembly is built here from the
# sources with mcs and laid out in a copy of the prefix as meson install would):
#   mkdir -p /tmp/csprefix/lib
#   cp -P build/native/src/libvssapi.so* /tmp/csprefix/lib/
#   bindings/csharp/installed_check.sh /tmp/csprefix
#
# MONO and MCS (default: mono and mcs on PATH) choose the tools. The source tree is read for
# Tests.cs, Example.cs, README.md and examples/scenarios only.
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
# shellcheck source=SCRIPTDIR/../installed_prefix.sh
. "$here/../installed_prefix.sh"
installed_prefix "PREFIX   (a folder holding libvssapi.so.1, e.g. a meson install --destdir)" "$@"
mono=$(command -v "${MONO:-mono}") || { echo "$0: mono not found" >&2; exit 2; }
mcs=$(command -v "${MCS:-mcs}") || { echo "$0: mcs not found" >&2; exit 2; }
# Every folder of the prefix holding the library's soname, for the loader.
libdirs=$(installed_libdirs libvssapi.so.1) || exit 2
installed_work csharp
case $work in
"$here"/*) echo "$0: the work folder $work is inside the source tree" >&2; exit 2 ;;
esac
flags="-nologo -debug -warn:4 -warnaserror -langversion:6"

assembly=$(find "$prefix" -path '*/mono/openvss/OpenVss.VssApi.dll' | head -n 1)
tested_prefix=$prefix
if [ -z "$assembly" ]; then
    # A prefix with the library only: a copy of it (symbolic links to its files, so the
    # library loaded is still the prefix's own) with the assembly laid out as meson install does.
    echo "== $prefix has no mono/openvss/OpenVss.VssApi.dll: building it from $here/VssApi.cs into a copy of the prefix"
    tested_prefix=$work/prefix
    mkdir -p "$tested_prefix"
    cp -RPs "$prefix/." "$tested_prefix/"
    libdir=$(dirname "$(find "$tested_prefix" -name 'libvssapi.so.1' | head -n 1)")
    mkdir -p "$libdir/mono/openvss"
    nice "$mcs" $flags -target:library -out:"$libdir/mono/openvss/OpenVss.VssApi.dll" "$here/VssApi.cs"
    cp "$here/OpenVss.VssApi.dll.config" "$libdir/mono/openvss/"
    assembly=$libdir/mono/openvss/OpenVss.VssApi.dll
    libdirs=$(prefix=$tested_prefix installed_libdirs libvssapi.so.1) || exit 2 # in a subshell: prefix stays
fi
installed=$(dirname "$assembly")
if [ ! -f "$installed/OpenVss.VssApi.dll.config" ]; then
    echo "$0: $installed has OpenVss.VssApi.dll but not its OpenVss.VssApi.dll.config (the dllmap)" >&2
    exit 1
fi

# The pkg-config file, when the prefix has one: its files are the ones installed.
pc=$(find "$tested_prefix" -name 'openvss-sharp.pc' | head -n 1)
if [ -n "$pc" ] && command -v pkg-config >/dev/null; then
    pc_prefix=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --variable=prefix openvss-sharp)
    for file in $(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --variable=Libraries openvss-sharp); do
        # A --destdir install: the .pc names the final prefix; find the file under this one.
        rest=${file#"$pc_prefix"}
        relocated=$(find "$tested_prefix" -path "*$rest" | head -n 1)
        if [ -z "$relocated" ] || ! cmp -s "$relocated" "$installed/$(basename "$file")"; then
            echo "$0: $pc lists $file, which is not what $installed holds" >&2
            exit 1
        fi
    done
    echo "== $pc lists the installed files"
fi

# The program, compiled outside the source tree against the installed assembly, with the
# assembly and its dllmap copied beside it.
mkdir "$work/run"
nice "$mcs" $flags -target:exe -r:"$assembly" -out:"$work/run/Tests.exe" "$here/Tests.cs"
nice "$mcs" $flags -target:exe -r:"$assembly" -out:"$work/run/example.exe" "$here/Example.cs"
cp "$assembly" "$installed/OpenVss.VssApi.dll.config" "$work/run/"
if [ -f "$assembly.mdb" ]; then cp "$assembly.mdb" "$work/run/"; fi

echo "== OpenVss.VssApi.dll from $installed, libvssapi from LD_LIBRARY_PATH=$libdirs"
(cd "$work/run" && env -i PATH=/usr/bin:/bin HOME="$work" LANG=C.UTF-8 LD_LIBRARY_PATH="$libdirs" \
    "$mono" --debug Tests.exe --source "$here" --example example.exe --mono "$mono" --prefix "$prefix")
echo "== installed check passed"
